"""The commitment records of one sentence: marker, scope, pledged verbs, actors, object,
strength, condition and dates."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ...syntax import has_tags, lemma, particle_of
from ..cues import CUES_DIR, closed_class, cue_matcher, read_table
from .actors import (
    ANNEX,
    FIRST_PERSON,
    GROUP,
    MENTION,
    PASSIVE,
    annex_actors,
    passive_agent,
    resolve_actors,
)
from .clauses import clause_regions
from .conditions import condition_positions
from .deadlines import assign_deadlines, time_phrases
from .lexicon import ACTOR_LABELS, AUX_LEMMAS, REPORTING_CUES, STRENGTH_ORDER, Cue, lexicons
from .objects import nominal_object_positions, object_positions, object_words
from .parties import Summit
from .record import Commitment
from .verbs import NOMINALISERS, action_of, is_finite_verb, verb_kind

# titles, headings and footnotes are OTHER (ANNOTATION.md section 3): they pledge nothing
NO_PLEDGE_KINDS = frozenset({"title", "annex_title", "heading", "footnote"})


@dataclass
class Pledge:
    verb_index: int
    action: str
    used: set[int]
    kind: str  # "inf", "part", "fin", "marker", "question", "noun"


def find_marker(tokens) -> tuple[int, str, Cue] | None:
    """(token index, strength, cue) of the pledge marker: weak markers first, then moderate,
    then strong; among markers of one strength the earliest."""
    lex = lexicons()
    strength_of: dict[Cue, str] = {}
    for cue, strength in lex.strength_markers:
        strength_of.setdefault(cue, strength)
    best = None
    for i, cue in lex.marker_matcher.find(tokens):
        strength = strength_of[cue]
        rank = (STRENGTH_ORDER.index(strength), i)
        if best is None or rank < best[0]:
            best = (rank, (i, strength, cue))
    return best[1] if best else None


def _marker_tokens(tokens, marker: tuple[int, str, Cue] | None) -> set[int]:
    """Indices of the tokens that make up the marker ("verbinden", "zich" ...)."""
    if marker is None:
        return set()
    i, _strength, cue = marker
    return lexicons().marker_matcher.items_at(tokens, i, cue)


def pledged_verbs(
    tokens: Sequence[Token],
    regions: list[int],
    allowed: set[int],
    skip: set[int],
    after: int,
    item: bool = False,
) -> list[Pledge]:
    """Action verbs in the allowed clause regions from token ``after`` on; coordinated verbs
    that share one object merged into the first. In an action item, text after a comma that
    does not coordinate ("..., onder meer via ...") is a modifier and has no actions."""
    found: list[Pledge] = []
    taken: set[int] = set()
    end = len(tokens)
    if item:
        end = next(
            (
                j
                for j, t in enumerate(tokens)
                if t.text in (",", ";") and _opens_modifier(tokens, j + 1)
            ),
            len(tokens),
        )
    for i in range(after, end):
        if regions[i] not in allowed or i in skip or i in taken:
            continue
        kind = verb_kind(tokens, i, regions, first_of_item=item and i == 0)
        if kind is None:
            continue
        action, used = action_of(tokens[i], tokens, i, kind)
        first_used = min(used)
        if (
            first_used > 0
            and tokens[first_used - 1].lower_ in NOMINALISERS | {"in", "tot"}
            and (first_used < 2 or tokens[first_used - 2].lower_ in NOMINALISERS)
        ):
            continue  # "voor het in kaart brengen van": a noun
        taken |= used
        if found and _shares_object(tokens, found[-1].verb_index, i, used):
            continue
        found.append(Pledge(i, action, used, kind))
    return found


def _opens_modifier(tokens: Sequence[Token], j: int) -> bool:
    """After a comma in an action item: a modifier ("met inbegrip van", "teneinde", "onder
    meer via") rather than more of the list or a coordinated action ("en ... opzetten")."""
    if j >= len(tokens):
        return True
    tok = tokens[j]
    if tok.lower_ in ("en", "of"):
        return False
    if has_tags(tok.doc):
        return tok.pos_ in ("ADP", "SCONJ", "ADV") or tok.lower_ in lexicons().subordinators
    return tok.lower_ in lexicons().subordinators or tok.lower_ in ("met", "onder", "via", "in")


def _shares_object(tokens: Sequence[Token], prev: int, cur: int, used: set[int]) -> bool:
    """ "versterken en te intensiveren", "verdiepen en verbreden": nothing but "en", "te",
    particles and adverbs between two verbs."""
    between = [t for j, t in enumerate(tokens[prev + 1 : cur], start=prev + 1) if j not in used]
    if not between or not any(t.lower_ in ("en", "of") for t in between):
        return False
    for t in between:
        if t.lower_ in ("en", "of", "te", ",") or (has_tags(t.doc) and t.pos_ == "ADV"):
            continue
        return False
    return True


def _finite_action(tokens, regions, skip) -> list[Pledge]:
    """A performative present ("stelt de EU ... beschikbaar", "nemen wij ... aan"): the first
    finite content verb of the main clause."""
    for i, tok in enumerate(tokens):
        if regions[i] != 0 or i in skip or not has_tags(tok.doc):
            continue
        if tok.pos_ == "VERB" and is_finite_verb(tok) and lemma(tok) not in AUX_LEMMAS:
            action, used = action_of(tok, tokens, i, "fin")
            return [Pledge(i, action, used, "fin")]
    return []


def _as_finite(tokens, pledge: Pledge) -> Pledge:
    """A performative present the word form took for an infinitive ("nemen wij ... aan": the
    plural present is the infinitive's form): a finite verb, with its clause-final particle or
    light-verb complement."""
    i = pledge.verb_index
    verb = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    inverted = nxt is not None and (
        nxt.lower_ in FIRST_PERSON
        or nxt.ent_type_
        or (
            nxt.lower_ in closed_class("article")
            and i + 2 < len(tokens)
            and tokens[i + 2].ent_type_
        )
    )
    prev = tokens[i - 1] if i > 0 else None
    inverted = inverted or (
        prev is not None and (prev.lower_ in FIRST_PERSON or prev.ent_type_) and i <= 3
    )  # "Wij nemen ... aan": the subject first
    before_te = prev is not None and prev.lower_ == "te"
    if pledge.kind == "inf" and not before_te and (is_finite_verb(verb) or inverted):
        action, used = action_of(verb, tokens, pledge.verb_index, "fin")
        return Pledge(pledge.verb_index, action, used, "fin")
    return pledge


def _after_coordinated_finite(tokens, regions, marker) -> bool:
    """The marker "zal/zullen" is the second finite verb of a main clause coordinated with
    "en" ("keurt ... goed en zal ..."), sharing its subject."""
    if marker is None or marker[0] < 3 or regions[marker[0]] != 0:
        return False
    m = marker[0]
    return (
        tokens[m - 1].lower_ == "en"
        and lemma(tokens[m]) == "zullen"
        and any(
            is_finite_verb(t) and lemma(t) not in AUX_LEMMAS and regions[j] == 0
            for j, t in enumerate(tokens[: m - 1])
        )
    )


def _item_fallback(tokens, regions) -> list[Pledge]:
    """An action item whose verb the first pass missed: after a modifier comma ("..., tegen
    2028 met de helft verhogen"), or at the end of a relative clause that runs on to it
    ("ondernemingen die overschakelen op ... ondersteunen"): an item is verb-final, so its last
    infinitive before any modifier is the action."""
    found = pledged_verbs(tokens, regions, {0}, set(), 0, item=False)
    if found:
        return found[-1:]
    every = set(regions)
    found = pledged_verbs(tokens, regions, every, set(), 0, item=True)
    return found[-1:]


@functools.lru_cache(maxsize=1)
def nominal_pledges() -> dict[str, str]:
    """Nouns naming a pledged action, with the action (nominal_pledges.tsv)."""
    return {row[0]: row[1] for row in read_table(CUES_DIR / "nominal_pledges.tsv")}


def _nominal_pledge(tokens, regions) -> list[Pledge]:
    """An action item with no verb that names its action by a noun ("de oprichting van een
    brigade", "een gezamenlijke inkoop van ...", "het onderzoeken van de mogelijkheid ..."):
    the noun heads the item's first phrase (after its article and adjectives) and a "van"
    complement follows it; the action is the noun's verb. An item whose main clause has a
    verb, or ends in an infinitive the tagger missed ("De aanleg van het kabelsysteem
    voltooien"), is no nominal pledge: that verb is its action."""
    k = 0
    while k < len(tokens) and (
        tokens[k].pos_ in ("DET", "ADJ") or tokens[k].lower_ in ("de", "het", "een")
    ):
        k += 1
    if k >= len(tokens) or k == 0:
        return []
    noun = tokens[k]
    action = nominal_pledges().get(noun.lower_)
    if action is None and tokens[k - 1].lower_ == "het" and noun.lower_.endswith("en"):
        action = noun.lower_  # a nominal infinitive names its own verb
    if action is None:
        return []
    main = [
        t
        for j, t in enumerate(tokens)
        if j > k
        and regions[j] == regions[k]
        and t.is_alpha
        and t.pos_ not in ("ADP", "ADV", "CCONJ", "PROPN")
    ]
    last = main[-1] if main else None
    if any(t.pos_ in ("VERB", "AUX") for t in main) or (
        # an infinitive the tagger took for a number ("uiterlijk in 2025 voltooien")
        last is not None and last.lower_.endswith("en") and last.pos_ not in ("NOUN", "ADJ")
    ):
        return []
    return [Pledge(k, action, {k}, "noun")]


def _marker_verb(tokens, marker) -> list[Pledge]:
    """The marker as the action when nothing else is pledged ("zal streven naar een ...")."""
    if marker is None:
        return []
    i = marker[0]
    tok = tokens[i]
    kind = verb_kind(tokens, i, [0] * len(tokens))
    if kind == "inf":
        return [Pledge(i, tok.lower_, {i}, "marker")]
    if has_tags(tok.doc) and tok.pos_ != "VERB":
        return []
    return [Pledge(i, lemma(tok), {i}, "marker")]


RELABELLED_SCORE = 0.5


def _speakers_pledge(tokens, regions, marker, reported_noun: bool) -> bool:
    """A pledge marker of the main clause next to the speakers' own subject ("Wij verbinden
    ons ertoe", "Wij streven ernaar", "zullen wij") or, but "zal/zullen", with a party as its
    subject, with no call cue in the sentence."""
    if marker is None or reported_noun or regions[marker[0]] != 0:
        return False
    m = marker[0]
    speakers = closed_class("speaker")
    if not any(t.lower_ in speakers for t in tokens[max(0, m - 1) : m + 2]) and (
        # another party's marker: "De bondgenoten streven ernaar ...", "Oman zegt toe ...";
        # not "zal/zullen", which also foretells ("De windparken zullen ... leveren")
        "zullen" in marker[2].items[0].split("|")
        or tokens[-1].text == ":"
        or not has_tags(tokens[m].doc)
        or not _subject(tokens[m])  # the marker a verb with a subject of its own
        or not _party_subject(tokens, tokens[m], regions)
        or any(cue.label != "COMMITMENT" for _i, cue in cue_matcher().find(tokens))
    ):
        return False
    return not any(cue.label == "CALL" for _i, cue in cue_matcher().find(tokens))


def _party_subject(tokens: Sequence[Token], verb: Token, regions: list[int]) -> bool:
    """The subject of a main-clause verb names a party: its ``nsubj`` in the tree (or, where
    the parse gives none, the words before the verb) holds an actor mention, a first-person
    word or an actor word of actors.tsv ("beide regeringen")."""
    subjects = _subject(verb)
    if subjects:
        words = [t for s in subjects for t in s.subtree]
    else:
        base = tokens[0].i
        words = [t for t in tokens[: verb.i - base] if regions[t.i - base] == 0]
    actor_words = lexicons().actor_words
    return any(
        t.ent_type_ in ACTOR_LABELS or t.lower_ in FIRST_PERSON or t.lower_ in actor_words
        for t in words
    )


def performative_pledge(tokens: Sequence[Token], regions: list[int]) -> str | None:
    """A pledge made in the present tense without a marker, read from the main clause's finite
    verb: "active" for a party doing it ("Kenia stelt ... beschikbaar", "Wij verdubbelen tegen
    2031 ...", "De kustwachten voeren ... uit"), "passive" for an action decided ("Er wordt een
    fonds opgericht", "De volgende top wordt in 2030 in Ankara gehouden"). None where the verb
    is an auxiliary or copula, the subject names no party, or a cue of another act stands in
    the sentence ("stelt vast dat", "roept op"): what the sentence does is then the cue's."""
    if not tokens or not has_tags(tokens[0].doc):
        return None
    verb = next(
        (
            t
            for j, t in enumerate(tokens)
            if regions[j] == 0 and is_finite_verb(t) and "Pres" in t.morph.get("Tense", [])
        ),
        None,
    ) or next(
        # the plural present has the infinitive's form ("Wij verdubbelen ..."): a root verb
        # with a subject of its own is finite, whatever the tagger said
        (
            t
            for j, t in enumerate(tokens)
            if regions[j] == 0
            and t.dep_ == "ROOT"
            and t.pos_ == "VERB"
            and "Past" not in t.morph.get("Tense", [])
            and "Part" not in t.morph.get("VerbForm", [])
            and any(c.dep_ == "nsubj" for c in t.children)
        ),
        None,
    )
    if verb is None:
        return None
    if tokens[-1].text == ":" or any(
        cue.label != "COMMITMENT" for _i, cue in cue_matcher().find(tokens)
    ):
        return None  # a lead-in ("komen wij overeen:") pledges through its items
    if lemma(verb) == "worden":
        # "wordt ... opgericht"; not "worden verzocht ... toe te passen" (asked to act: a
        # passive that governs a te-infinitive is a verb of asking or allowing)
        participle = any(
            regions[j] == 0
            and t.i > verb.i
            and t.pos_ == "VERB"
            and "Part" in t.morph.get("VerbForm", [])
            for j, t in enumerate(tokens)
        )
        asks = any(t.lower_ == "te" for t in tokens)
        return "passive" if participle and not asks else None
    if lemma(verb) in AUX_LEMMAS and particle_of(verb) is None:  # not "gaan ... over tot"
        return None
    subject = _subject(verb)
    if verb.pos_ != "VERB" or not (
        _party_subject(tokens, verb, regions) or (subject and subject[0].pos_ in ("NOUN", "PROPN"))
    ):
        return None
    i = verb.i - tokens[0].i
    action, _used = action_of(verb, tokens, i, "fin")
    # a time phrase of the main clause, not one of the subject ("De verkiezingen van 2029
    # vereisen ..."), nor of a clause inside it
    own = {t.i for s in subject for t in s.subtree}
    dated = any(
        regions[ph.start] == 0 and tokens[ph.start].i not in own
        for ph in time_phrases(tokens, _date_runs(tokens))
    )
    if action in pledge_verbs():
        return "active"
    # "De ministers stellen vast dat ...": a verb that takes a content clause says or judges
    says = any(
        regions[j] > 0 and t.lower_ == "dat" and t.pos_ == "SCONJ" for j, t in enumerate(tokens)
    )
    return "active" if dated and not says else None


def _date_runs(tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    """(start, end, text) of the DATE entities among ``tokens``, from the tokens' own entity
    tags (positions in ``tokens``)."""
    runs: list[tuple[int, int, str]] = []
    start = None
    for j, t in enumerate([*tokens, None]):
        inside = t is not None and t.ent_type_ == "DATE"
        if start is not None and (not inside or (t is not None and t.ent_iob_ == "B")):
            runs.append((start, j, " ".join(x.text for x in tokens[start:j])))
            start = None
        if inside and start is None:
            start = j
    return runs


def _subject(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]


@functools.lru_cache(maxsize=1)
def pledge_verbs() -> frozenset[str]:
    """Actions that pledge in the present tense without a date (pledge_verbs.tsv)."""
    return frozenset(row[0] for row in read_table(CUES_DIR / "pledge_verbs.tsv"))


def _inquiry(tokens, marker) -> Pledge | None:
    """The marker as the action when it is a one-word verb of inquiry followed by an indirect
    question ("verkennen of", "nagaan hoe"; interrogative in closed_class/words.tsv)."""
    if marker is None:
        return None
    i, _strength, cue = marker
    if len(cue.items) != 1 or i + 1 >= len(tokens):
        return None
    if tokens[i + 1].lower_ not in closed_class("interrogative"):
        return None
    tok = tokens[i]
    if has_tags(tok.doc) and tok.pos_ not in ("VERB", "AUX"):
        return None
    return Pledge(i, tok.lower_ if tok.lower_.endswith("en") else lemma(tok), {i}, "question")


def _question_positions(tokens, verb_index: int) -> list[int]:
    """The indirect question after a verb of inquiry, to the sentence's end or a semicolon."""
    out = []
    for k in range(verb_index + 1, len(tokens)):
        if tokens[k].text in (";", ":"):
            break
        out.append(k)
    while out and tokens[out[-1]].is_punct:
        out.pop()
    return out


def object_text(tokens: Sequence[Token], regions: list[int], pledge: Pledge, start: int) -> str:
    """The words the action governs: in Dutch (verb-final) the stretch before the verb, from
    the marker or the previous action on, without adverbs, auxiliaries and "te"."""
    lo = start
    for j in range(pledge.verb_index - 1, start - 1, -1):
        if tokens[j].text in (";", ":") or regions[j] != regions[pledge.verb_index]:
            lo = j + 1
            break
    words = [
        t
        for j, t in enumerate(tokens[lo : pledge.verb_index], start=lo)
        if j not in pledge.used
        and t.lower_ != "te"
        and not (has_tags(t.doc) and t.pos_ in ("ADV", "AUX"))
        and lemma(t) not in AUX_LEMMAS
    ]
    while words and (words[0].is_punct or words[0].lower_ in ("en", "of")):
        words = words[1:]
    while words and words[-1].is_punct:
        words = words[:-1]
    return " ".join(t.text for t in words).replace(" ,", ",")


def _strength(marker, action: str, item: bool) -> str:
    if marker is not None and not item:
        return marker[1]
    return lexicons().action_strength.get(action, "strong")


def date_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, text) of the document's DATE entities, read once per document: every read
    of ``doc.ents`` (or ``sent.ents``) builds a Span for every entity of the document."""
    return [(e.start, e.end, e.text) for e in doc.ents if e.label_ == "DATE"]


def _dates(
    sent: Span,
    tokens: Sequence[Token],
    pledges: list[Pledge],
    doc_dates: list[tuple[int, int, str]] | None = None,
) -> list[list[tuple[int, int, str]]]:
    """DATE entities (start, end, text), each given to the first action after it (the last
    takes the rest)."""
    dates: list[list[tuple[int, int, str]]] = [[] for _ in pledges]
    base = tokens[0].i
    if doc_dates is None:
        doc_dates = date_entities(sent.doc)
    for start, end, text in doc_dates:
        if start < sent.start or end > sent.end:  # the entities of sent.ents
            continue
        k = next(
            (n for n, p in enumerate(pledges) if p.verb_index + base >= start), len(pledges) - 1
        )
        dates[k].append((start, end, text))
    return dates


@dataclass
class SentenceInfo:
    act: str | None
    kind: str
    segment_id: str
    in_annex: bool
    sentence_id: str = ""
    act_score: float | None = None  # the speech-act model's probability of ``act``


def _scope(tokens, regions, marker) -> tuple[set[int], int]:
    """Clause regions whose verbs a marker governs, and the first token after it: the marker's
    own clause, the main clause after it when the marker is subordinate ("dat X beloven A te
    doen, B te doen"), and the clause it opens ("het voornemen van X om ...")."""
    m = marker[0]
    allowed = {regions[m]}
    if regions[m] > 0:
        allowed.add(0)
    if "zullen" not in marker[2].items[0].split("|"):  # "zal ..., waarbij ..." opens nothing
        nxt = next(
            (
                j
                for j in range(m + 1, min(len(tokens), m + 16))
                if regions[j] != regions[m] and regions[j] > 0
            ),
            None,
        )
        if (
            nxt is not None
            and tokens[nxt].lower_ in ("om", "dat", "teneinde")
            and not any(t.lower_ == "te" for t in tokens[m + 1 : nxt])
        ):
            allowed.add(regions[nxt])
    return allowed, m


def extract_commitments(
    sent: Span,
    info: SentenceInfo,
    summit: Summit,
    previous_actors: list[str],
    lead_in_actors: list[str] | None = None,
    tokens: list[Token] | None = None,
    doc_dates: list[tuple[int, int, str]] | None = None,
) -> list[Commitment]:
    """The commitment records of one sentence (empty for sentences that pledge nothing).
    ``tokens`` (the sentence's non-space tokens) and ``doc_dates`` (``date_entities``) save
    the component re-reading them for every sentence."""
    if tokens is None:
        tokens = [t for t in sent if not t.is_space]
    if not tokens or info.kind in NO_PLEDGE_KINDS:
        return []
    regions = clause_regions(tokens)
    marker = find_marker(tokens)
    reported_noun = marker is not None and marker[2].items[0] in lexicons().reported_nouns
    if info.act != "COMMITMENT" and (
        _speakers_pledge(tokens, regions, marker, reported_noun)
        or (info.kind == "bullet" and lead_in_actors)
        or (marker is None and performative_pledge(tokens, regions) is not None)
    ):
        # the speakers' own pledge marker in the main clause ("Wij verbinden ons ertoe ..."),
        # or an item under a lead-in that pledges ("De Raad verbindt zich ertoe:"): a pledge
        # whatever label the speech-act model gave it; the label's probability says nothing
        # of it, so the record's confidence starts lower
        info = dataclasses.replace(info, act="COMMITMENT", act_score=RELABELLED_SCORE)
    item = info.kind == "bullet" and info.act == "COMMITMENT"

    if item:
        allowed, after = {0}, 0
    elif info.act == "COMMITMENT" or (
        info.act in REPORTING_CUES
        and marker is not None
        and (reported_noun or regions[marker[0]] > 0)
    ):
        allowed, after = _scope(tokens, regions, marker) if marker is not None else ({0}, 0)
    else:
        return []

    skip = _marker_tokens(tokens, marker) if not item else set()
    question = _inquiry(tokens, marker) if not item else None
    if question is not None:
        # "Wij zullen verkennen of ... kunnen worden gekoppeld": the inquiry is the action, the
        # indirect question its object (the verbs inside it are nobody's pledge yet)
        pledges = [question]
    else:
        pledges = pledged_verbs(tokens, regions, allowed, skip, after, item)
    if item and not pledges:
        pledges = _item_fallback(tokens, regions) or _nominal_pledge(tokens, regions)
    if not pledges and not item and info.act == "COMMITMENT":
        pledges = _finite_action(tokens, regions, skip) or _marker_verb(tokens, marker)
    elif (
        pledges
        and marker is not None
        and info.act == "COMMITMENT"
        and _after_coordinated_finite(tokens, regions, marker)
    ):
        # "De Raad keurt het actieplan goed en zal de uitvoering ervan evalueren": the
        # performative present before "en zal" is a decision of its own
        pledges = _finite_action(tokens[: marker[0] - 1], regions, skip) + pledges
    if not pledges:
        return []
    if marker is None and not item:
        pledges = [_as_finite(tokens, p) for p in pledges]

    if (
        not item
        and info.act != "COMMITMENT"
        and pledges[0].kind == "part"
        and not passive_agent(tokens, summit)
    ):
        return []  # "de top die ... zal worden gehouden": an event, nobody's pledge
    if item:
        actors, source = (
            (lead_in_actors, MENTION)
            if lead_in_actors
            else (
                annex_actors(summit),
                ANNEX,
            )
        )
    else:
        actors, source = resolve_actors(
            tokens, regions, marker, pledges, summit, previous_actors, reported_noun, info
        )
    if not item and marker is None and _asks_or_states(tokens, pledges, source):
        return []
    condition = condition_positions(tokens)
    dates = _dates(sent, tokens, pledges, doc_dates)
    base = tokens[0].i
    phrases = time_phrases(tokens, [(a - base, b - base, t) for n in dates for a, b, t in n])
    deadlines = assign_deadlines(tokens, regions, [p.verb_index for p in pledges], phrases)
    if len(pledges) == 1 and pledges[0].kind == "noun":
        # a nominal item has one action: a time phrase of its main clause bounds it, wherever
        # it stands ("de oprichting, uiterlijk in 2031, van ...", "... tegen 2030;")
        region = regions[pledges[0].verb_index]
        texts = [t for ph in phrases if regions[ph.start] == region for t in ph.texts]
        deadlines = [list(dict.fromkeys(texts))]
    # the dates and the time phrases are the record's, not its object's
    sentence_dates = [(a, b) for n in dates for a, b, _t in n] + [
        (ph.start + base, ph.end + base) for ph in phrases
    ]
    records = []
    begin = after if marker is not None else 0
    for n, p in enumerate(pledges):
        end = min([len(tokens)] + [min(q.used) for q in pledges[n + 1 :]])
        if p.kind == "question":
            positions = _question_positions(tokens, p.verb_index)
        elif p.kind == "noun":
            positions = nominal_object_positions(
                tokens, regions, p.verb_index, sentence_dates, set(condition)
            )
        else:
            positions = object_positions(tokens, regions, p, begin, end, skip, sentence_dates)
        if p.kind == "part" and not positions:  # passive: the subject is the object
            fin = next((i for i, t in enumerate(tokens) if lemma(t) in AUX_LEMMAS), 0)
            positions = list(range(fin))
        begin = max([p.verb_index + 1] + [k + 1 for k in positions if k > p.verb_index])
        action_tokens = sorted(p.used)
        obj = object_words(tokens, positions)
        # an empty object or condition is an empty span at the action
        object_start, object_end = _char_span(tokens, positions, action_tokens)
        condition_start, condition_end = _char_span(tokens, condition, action_tokens)
        records.append(
            Commitment(
                commitment_id=f"{info.sentence_id}.c{n + 1}",
                actors=tuple(actors),
                actor_source=source,
                action=p.action,
                object=obj,
                strength=_strength(marker, p.action, item),
                conditional=bool(condition),
                reported=summit.is_reported(actors),
                dates=tuple(t for _a, _b, t in dates[n]),
                deadlines=tuple(deadlines[n]),
                confidence=_confidence(info, source, p, obj),
                action_start=tokens[action_tokens[0]].idx,
                action_end=_end_char(tokens[action_tokens[-1]]),
                object_start=object_start,
                object_end=object_end,
                condition=" ".join(tokens[k].text for k in condition).replace(" ,", ","),
                condition_start=condition_start,
                condition_end=condition_end,
                action_tokens=tuple(tokens[k].i for k in action_tokens),
                object_tokens=tuple(tokens[k].i for k in positions),
                actor_tokens=_actor_tokens(tokens, summit, actors) if source == MENTION else (),
            )
        )
    return records


def _end_char(token: Token) -> int:
    return token.idx + len(token.text)


def _char_span(tokens, positions, action_tokens) -> tuple[int, int]:
    """Character offsets of the tokens at ``positions``; none: an empty span at the action."""
    if not positions:
        at = tokens[action_tokens[0]].idx
        return at, at
    return tokens[positions[0]].idx, _end_char(tokens[positions[-1]])


# how much the way the actors were found is worth (the confidence of a record)
SOURCE_WEIGHT = {MENTION: 1.0, GROUP: 0.9, ANNEX: 0.85, PASSIVE: 0.75}


def _confidence(info: SentenceInfo, source: str, pledge: Pledge, obj: str) -> float:
    """A score for review, not a probability: the speech-act model's probability of the
    sentence's label, lowered for actors from a rule (SOURCE_WEIGHT), an empty object and an
    action found by a fallback (a performative present or the marker itself)."""
    score = info.act_score if info.act_score is not None else 1.0
    score *= SOURCE_WEIGHT[source]
    if not obj:
        score *= 0.5
    if pledge.kind in ("fin", "marker", "question"):
        score *= 0.8
    return round(score, 3)


def _actor_tokens(tokens, summit: Summit, actors) -> tuple[tuple[int, int, str], ...]:
    """(start, end, key) of the mentions of the record's actors inside the sentence."""
    lo, hi = tokens[0].i, tokens[-1].i + 1
    return tuple(
        (m.start, m.end, m.key)
        for m in summit.mentions
        if m.start >= lo and m.end <= hi and m.key in actors
    )


def _asks_or_states(tokens, pledges: list[Pledge], source: str) -> bool:
    """No pledge marker, and either a call cue ("roept de partners op ... te versnellen") or
    a performative present whose subject names no party ("De pandemie vereist ..."): a call
    or a statement the speech-act model took for a commitment."""
    if any(cue.label == "CALL" for _i, cue in cue_matcher().find(tokens)):
        return True
    if pledges[0].kind not in ("fin", "marker"):
        return False
    named = source == MENTION or {t.lower_ for t in tokens} & FIRST_PERSON
    return not named
