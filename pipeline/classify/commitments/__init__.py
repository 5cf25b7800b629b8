"""Commitment records: who pledges what, how firmly, on what condition, by when.

For every sentence labelled COMMITMENT, and every sentence that reports another party's pledge
(ENDORSEMENT "De EU is ingenomen met het voornemen van Kroatië om ..."), the component
``commitments`` sets ``span._.commitments`` to a list of records (ANNOTATION.md section 3)::

    {"actors": ["eu", "wb_partners"], "action": "versterken", "object": "de steun voor ...",
     "strength": "moderate", "conditional": False, "reported": False, "dates": ["2025"]}

How a record is found (rules over lemmas, POS tags and word order; the data lives in
pipeline/data/cues/ with its sources):

1. The *marker*: the first pledge cue of strength.tsv ("zal", "beloven", "verbinden zich",
   "voornemen" ...). The pledged actions are the verbs of the clause the marker stands in, and
   of a clause the marker opens ("het voornemen van X *om* ... te V", "toegezegd *dat* zij ...").
   Purpose, means and relative clauses (subordinators.tsv: "om ... te", "teneinde", "door ...
   te", "die", "waarbij" ...) are skipped. Annex items and list items have no marker: their
   main-clause verbs are the actions.
2. The *action*: the verb's lemma with a separated particle joined back ("op te voeren" ->
   "opvoeren", pipeline/syntax.py), or a light-verb phrase whole (light_verbs.tsv: "uitvoering
   geven", "een begin maken"). Coordinated verbs that share one object make one record
   ("versterken en te intensiveren"), verbs with objects of their own make one record each.
3. The *actors*: the subject of the marker's clause, as canonical keys from ``doc.ents``
   (``ent.kb_id_``, set by the actor linker) and from actor words (actors.tsv: "wij", "samen",
   "onze" = the summit participants; "de partners" = the partner group). The summit's
   *authors* and *participants* are read from the preamble ("Wij, de leiders van de EU ...,
   met de leiders van onze partners van de Westelijke Balkan"): a forum or joint body stands for
   its parties (forums.tsv: "Unie voor het Middellandse Zeegebied", "Associatieraad tussen de
   EU en Georgië"), a region whose leaders meet is its partner group ("de leiders ... van de
   Westelijke Balkan"), signatories listed together sign for their party, an institution met
   brings its party ("met de voorzitter van de Commissie van de Afrikaanse Unie"). Where the
   preamble names no partners (Council conclusions), action items and "de partners" take the
   partner group the document is about; an annex title naming two parties ("actieprogramma
   EU-Afrikaanse Unie") gives its items' actors. Items under a CALL lead-in are asked, not
   pledged; titles and headings pledge nothing. Agentless passives commit the
   first author, or all participants where "samen", "ons", "onze" show both sides; annex items
   commit all participants; "door X" names the agent of a passive; "zij" takes the non-author
   actors of the sentence or the one before.
4. *strength*: the marker's strength (weak before moderate before strong, strength.tsv); without
   a marker, the action verb's class (action_verbs.tsv: deliverables strong, effort moderate).
   *reported*: no author among the actors. *conditional*: a cue of conditions.tsv.
   *dates*: DATE entities, each given to the first action after it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ... import doc as _doc  # noqa: F401  (registers the extension attributes)
from ...syntax import has_tags, lemma, particle_of
from ..speech import (
    CUES_DIR,
    Cue,
    CueMatcher,
    parse_cues,
    read_table,
    sentence_contexts,
    token_keys,
)

log = logging.getLogger(__name__)

ACTOR_LABELS = ("ORG", "GPE", "LOC", "PERSON", "NORP")
STRENGTH_ORDER = ("weak", "moderate", "strong")
CLAUSE_END = {",", ";", ":", "–", "—"}  # not brackets: "dat de EIB (...) heeft toegezegd"
PRONOUNS_THEY = {"zij", "ze"}
# "zullen", "worden" ... never are the pledged action themselves
AUX_LEMMAS = frozenset(
    {
        "zullen",
        "worden",
        "zijn",
        "hebben",
        "kunnen",
        "mogen",
        "moeten",
        "dienen",
        "willen",
        "blijven",
        "gaan",
        "laten",
    }
)
# the verbs of the endorsing main clause that may stand before a reported pledge
REPORTING_CUES = ("ENDORSEMENT", "REAFFIRMATION")


# --------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class Lexicons:
    strength_markers: tuple[tuple[Cue, str], ...]  # (cue, strength), weak first
    marker_matcher: CueMatcher
    reported_nouns: frozenset[str]
    action_strength: dict
    light_verbs: dict  # verb lemma -> list of (complement, action)
    conditions: CueMatcher
    actor_words: dict  # word -> role
    partner_groups: dict  # group -> (regions, members)
    parents: dict  # key -> (parent key, speaks for the parent)
    subordinators: dict  # word -> kind
    forums: dict  # forum key -> its member parties ("union_for_the_mediterranean")
    forum_heads: tuple  # first words of bilateral bodies named after their parties


@functools.lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    rows = read_table(CUES_DIR / "strength.tsv")
    markers = []
    for strength in STRENGTH_ORDER:
        for row in rows:
            if row[1] == strength and row[2] == "marker":
                markers.append((parse_cues([row])[0], strength))
    reported = frozenset(row[0] for row in rows if row[2] == "reported")
    for strength in STRENGTH_ORDER:  # reported nouns are markers too ("het voornemen van X")
        for row in rows:
            if row[1] == strength and row[2] == "reported":
                markers.append((parse_cues([row])[0], strength))
    # keep the order weak < moderate < strong across both kinds
    markers.sort(key=lambda m: STRENGTH_ORDER.index(m[1]))
    light: dict[str, list[tuple[str, str]]] = {}
    for comp, verb, action in read_table(CUES_DIR / "light_verbs.tsv"):
        light.setdefault(verb, []).append((comp, action))
    forum_rows = read_table(CUES_DIR / "forums.tsv")
    groups = {}
    for row in read_table(CUES_DIR / "partner_groups.tsv"):
        groups[row[0]] = (tuple(row[1].split(",")), tuple(row[2].split(",")))
    return Lexicons(
        strength_markers=tuple(markers),
        marker_matcher=CueMatcher([c for c, _s in markers]),
        reported_nouns=reported,
        action_strength={row[0]: row[1] for row in read_table(CUES_DIR / "action_verbs.tsv")},
        light_verbs=light,
        conditions=CueMatcher(
            parse_cues([[r[0], "CONDITION"] for r in read_table(CUES_DIR / "conditions.tsv")])
        ),
        actor_words={row[0]: row[1] for row in read_table(CUES_DIR / "actors.tsv")},
        partner_groups=groups,
        parents={
            row[0]: (row[1], row[2] == "yes") for row in read_table(CUES_DIR / "actor_parents.tsv")
        },
        subordinators={row[0]: row[1] for row in read_table(CUES_DIR / "subordinators.tsv")},
        forums={
            row[0][4:]: tuple(row[1].split(",")) for row in forum_rows if row[0].startswith("key:")
        },
        forum_heads=tuple(row[0][5:].lower() for row in forum_rows if row[0].startswith("head:")),
    )


# --------------------------------------------------------------------------------------------
# who speaks: authors and participants from the preamble


@dataclass
class Summit:
    """The declaring parties of one document.

    ``authors``: who declares ("Wij, de leiders van de EU ...", "De Raad heeft ... aangenomen");
    ``speakers``: the authors with the institutions that speak for them and the parties they
    speak for (a Council pledge is the EU's own); a pledge of anyone else is *reported*;
    ``participants``: the parties a "wij" or an action item commits: the authors (institutions
    folded into their party) and the partner groups the summit met ("met de leiders van onze
    partners van de Westelijke Balkan").
    """

    authors: list[str] = field(default_factory=lambda: ["eu"])
    participants: list[str] = field(default_factory=lambda: ["eu"])
    partner_groups: list[str] = field(default_factory=list)
    mentions: list = field(default_factory=list)  # the document's actor Mentions
    speakers: frozenset = frozenset()
    default_group: str | None = None  # the partner group the document is about
    annex_parties: list = field(default_factory=list)  # parties the annex title names

    def is_reported(self, actors: Sequence[str]) -> bool:
        speakers = self.speakers or frozenset(self.authors)
        return not any(a in speakers for a in actors)


@functools.lru_cache(maxsize=1)
def _known_keys() -> frozenset[str] | None:
    """The gazetteer's keys, when the entity stage is installed: a declaring party is a known
    actor, not whatever the statistical recogniser took for an organisation."""
    try:
        from ...entities.gazetteer import gazetteer_keys

        return gazetteer_keys()
    except Exception:  # the entity stage is optional for this module
        return None


def _entity_keys(span: Span) -> list[tuple[Span, str]]:
    """Parties named in a span: organisations and states known to the gazetteer, and regions
    (the caller keeps a region only as "partners van <region>")."""
    known = _known_keys()
    out = []
    for e in span.ents:
        key = e.kb_id_
        if not key or e.label_ not in ("ORG", "GPE", "LOC") or key.startswith("city:"):
            continue
        if e.label_ != "LOC" and known is not None and key not in known:
            continue
        if e.start > 0 and e.doc[e.start - 1].lower_ in ("in", "te"):
            continue  # where the meeting took place ("in Luxemburg"), not who met
        out.append((e, key))
    return out


def _group_of_region(key: str) -> str | None:
    for group, (regions, _members) in lexicons().partner_groups.items():
        if key in regions:
            return group
    return None


def _group_of_member(key: str) -> str | None:
    for group, (_regions, members) in lexicons().partner_groups.items():
        if key in members:
            return group
    return None


def _preceded_by_partners(ent: Span, window: int = 4) -> bool:
    start = max(ent.sent.start if ent.doc.has_annotation("SENT_START") else 0, ent.start - window)
    return any(t.lower_ == "partners" for t in ent.doc[start : ent.start])


def _collapse_members(keys: list[str]) -> list[str]:
    """Member countries become their partner group when two or more of it are named; first
    mention order, no duplicates."""
    named: dict[str, int] = {}
    for k in keys:
        g = _group_of_member(k)
        if g:
            named[g] = named.get(g, 0) + 1
    out: list[str] = []
    for k in keys:
        g = _group_of_member(k)
        if g and named[g] >= 2:
            k = g
        if k not in out:
            out.append(k)
    return out


def _fold_institutions(keys: list[str], only_if_parent_named: bool) -> list[str]:
    """Institutions that speak for their party become the party ("de voorzitter van de
    Europese Raad" among the EU's signatories is the EU)."""
    parents = lexicons().parents
    out: list[str] = []
    folded = {
        parents[k][0] if k in parents and parents[k][1] and not only_if_parent_named else k
        for k in keys
    }
    for k in keys:
        parent, speaks = parents.get(k, (None, False))
        if parent and speaks and (parent in keys or not only_if_parent_named):
            k = parent
        elif parent and not speaks and parent in folded:
            continue  # the Commission's president signing beside the EU's leaders
        if k not in out:
            out.append(k)
    return out


def _speakers(authors: list[str]) -> frozenset[str]:
    parents = lexicons().parents
    out = set(authors)
    for k, (parent, speaks) in parents.items():
        if not speaks:
            continue
        if k in authors:
            out.add(parent)
        if parent in authors:
            out.add(k)
    return frozenset(out)


PREAMBLE_WITH = (
    "in overleg met",
    "bijeengekomen",
    "samen met",
    "met de leiders van",
    "in aanwezigheid van",
    "op uitnodiging van",
    "na een gedachtewisseling met",
)
DETERMINERS = frozenset({"de", "het", "een"})


@functools.lru_cache(maxsize=1)
def _alias_index() -> dict:
    """Normalised name -> (key, label) from the gazetteer, when the entity stage is installed."""
    try:
        from ...entities.gazetteer import alias_index

        return alias_index()
    except Exception:  # the entity stage is optional for this module
        return {}


def _names_in(text: str) -> list[str]:
    """Actor keys of the gazetteer names in a stretch of text, longest match first, in reading
    order: the parties in a body's name ("Associatieraad EU-Georgië", "tussen de Europese
    Unie en Montenegro")."""
    import re

    from ...entities.keys import normalise_name

    index = _alias_index()
    words = [w for w in re.split(r"[\s\-–/,()]+", text) if w]
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 5), i, -1):
            hit = index.get(normalise_name(" ".join(words[i:j])))
            if hit and hit[1] in ("ORG", "GPE", "LOC"):
                key = hit[0] if hit[1] != "LOC" else _group_of_region(hit[0])
                if key and key not in out:
                    out.append(key)
                i = j - 1
                break
        i += 1
    return out


def forum_parties(ent: Span) -> list[str]:
    """The parties a joint body or forum stands for (forums.tsv): the fixed members of a
    forum ("Unie voor het Middellandse Zeegebied" -> the EU and its Mediterranean partners),
    or the parties named in a bilateral body's name ("Stabilisatie- en Associatieraad tussen de
    Europese Unie en Montenegro", "Associatieraad EU-Georgië"). Empty for anything else."""
    lex = lexicons()
    if ent.kb_id_ in lex.forums:
        return list(lex.forums[ent.kb_id_])
    if ent.label_ != "ORG":
        return []
    text = ent.text.lower()
    head = next((h for h in lex.forum_heads if text.startswith(h)), None)
    if head is None:
        return []
    rest = ent.text[len(head) :]
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].lower_ == "tussen":  # "... Associatieraad tussen X en Y"
        stop = next(
            (
                k
                for k in range(ent.end, min(len(doc), ent.end + 12))
                if doc[k].is_punct or doc[k].pos_ in ("VERB", "AUX")
            ),
            ent.end + 12,
        )
        rest += " " + doc[ent.end : stop].text
    return _names_in(rest)


def _region_of_parties(ent: Span) -> str | None:
    """A partner group's region named as whose leaders or countries meet ("de leiders van de
    EU en van de Westelijke Balkan"): the group, not the place."""
    group = _group_of_region(ent.kb_id_)
    if group is None:
        return None
    k = ent.start - 1
    while k >= 0 and ent.doc[k].lower_ in DETERMINERS:
        k -= 1
    return group if k >= 0 and ent.doc[k].lower_ == "van" else None


def summit_of(doc: Doc) -> Summit:
    """Authors: the parties named in the preamble before any "in overleg met" / "met de
    leiders van onze partners"; participants: the authors and the partner groups named after
    it ("partners van de Westelijke Balkan") or as whose leaders meet ("van de Westelijke
    Balkan"). A forum or joint body stands for its parties (forums.tsv). Without a preamble:
    the EU. ``default_group``: the partner group the document is about, for action items and
    "de partners" where the preamble names no group."""
    segments = list(doc.spans["segments"]) if "segments" in doc.spans else []
    preamble = next((s for s in segments if s._.kind == "preamble"), None)
    mentions = actor_mentions(doc)
    region_groups = [
        g
        for g in (_group_of_region(e.kb_id_) for e in doc.ents if e.label_ == "LOC" and e.kb_id_)
        if g
    ]
    if preamble is None:
        summit = Summit(mentions=mentions, speakers=_speakers(["eu"]))
        summit.default_group = dominant_partner_group(summit, region_groups)
        return summit
    text = preamble.text.lower()
    cut = min([text.find(p) for p in PREAMBLE_WITH if p in text] or [len(text)])
    cut_char = preamble.start_char + cut
    found: list[tuple[int, str, bool]] = []  # (token, key, named before the cut)
    forum_spans = []
    for ent in preamble.ents:
        parties = forum_parties(ent)
        if parties:
            forum_spans.append((ent.start, ent.end))
            found += [(ent.start, k, ent.start_char < cut_char) for k in parties]
    for ent, key in _entity_keys(preamble):
        if any(a <= ent.start < b for a, b in forum_spans):
            continue
        group = partner_group(ent)
        before = ent.start_char < cut_char
        if group:
            key = group
        elif ent.label_ == "LOC":  # a region named on its own is a place, not a party
            key = _region_of_parties(ent)
            if key is None:
                continue
            before = False  # its leaders meet the authors: participants, not authors
        found.append((ent.start, key, before))
    found.sort(key=lambda f: f[0])
    author_keys = [k for _i, k, before in found if before]
    other_keys = [k for _i, k, before in found if not before]
    # a lone institution declaring ("De Raad heeft ... aangenomen") stays itself; signatories
    # listed together ("de voorzitter van de Europese Raad, de voorzitter van de Europese
    # Commissie en de presidenten van ...") sign for their party
    collapsed = _collapse_members(author_keys)
    authors = _fold_institutions(collapsed, only_if_parent_named=len(collapsed) < 2) or ["eu"]
    parents = lexicons().parents
    groups_met = []
    for k in _collapse_members(other_keys):
        if k in lexicons().partner_groups or k.endswith("_partners"):
            groups_met.append(k)
        elif k in parents and parents[k][0] not in _speakers(authors):
            # "na een gedachtewisseling met de voorzitter van de Commissie van de Afrikaanse
            # Unie": the institution's party met the authors (actor_parents.tsv)
            groups_met.append(parents[k][0])
    participants = []
    for k in _fold_institutions(authors, only_if_parent_named=False) + groups_met:
        if k not in participants:
            participants.append(k)
    groups = [k for k in participants if k in lexicons().partner_groups or k.endswith("_partners")]
    summit = Summit(authors, participants, groups, mentions, _speakers(authors))
    summit.default_group = groups[0] if groups else dominant_partner_group(summit, region_groups)
    summit.annex_parties = _annex_title_parties(segments)
    return summit


def _annex_title_parties(segments) -> list[str]:
    """The parties an annex title names as its own ("Gezamenlijk actieprogramma EU-Afrikaanse
    Unie"): two or more make the annex a joint programme that its items commit them to."""
    title = next((s for s in segments if s._.kind == "annex_title"), None)
    if title is None:
        return []
    keys = [k for k in _names_in(title.text) if not k.startswith("city:")]
    keys = _fold_institutions(_collapse_members(keys), only_if_parent_named=False)
    return keys if len(keys) >= 2 else []


# --------------------------------------------------------------------------------------------
# clauses


OPENS_AFTER = frozenset({",", "meer", "name", "mede", "en", "of", "ook"})
TE_CLAUSE_REACH = 30  # tokens between "om" and its "te"


def clause_regions(tokens: Sequence[Token]) -> list[int]:
    """Region id per token: 0 for the main clause, k > 0 for the k-th subordinate clause.

    A te-clause ("om/teneinde/door/zonder ... te V") runs from its subordinator to its
    te-infinitive (and a second one coordinated with "en ... te V"): commas inside it belong to
    lists ("om de politieke, economische en sociale omvorming ... te ondersteunen"). "door",
    "zonder" and "alvorens" open one only at the start of a clause or after "onder meer"
    ("door de Zwarte Zee ... voor te bereiden" is a place). Any other subordinator ("dat",
    "die", "indien", "waarbij" ...) opens a clause up to the next clause-ending punctuation;
    "die"/"dat"/"wat" only as pronoun or conjunction, not as determiner ("Tegen die
    achtergrond"). With POS tags, a "dat"/"die" clause runs on past commas until its finite
    verb (Dutch subordinate clauses are verb-final: "dat zij, samen met de EU, ... zullen
    optreden").
    """
    subs = lexicons().subordinators
    regions = [0] * len(tokens)
    tagged = bool(tokens) and has_tags(tokens[0].doc)
    current, n, te_end, finite, opener = 0, 0, -1, False, ""
    for i, tok in enumerate(tokens):
        word = tok.lower_
        if current and te_end >= 0:
            regions[i] = current
            if i >= te_end:
                current, te_end = 0, -1
            continue
        if tok.text in CLAUSE_END:
            # a verb-final clause does not end before its verb: "dat zij, samen met de EU en
            # met elkaar, krachtig zullen optreden"
            if not (
                current
                and tok.text == ","
                and tagged
                and not finite
                and opener in ("dat", "die", "wat")
            ):
                current = 0
                continue
        if current and _is_finite_verb(tok):
            finite = True
        kind = subs.get(word)
        if kind and current == 0:
            if kind == "te":
                end = _te_clause_end(tokens, i)
                if end >= 0 and (
                    word in ("om", "teneinde") or i == 0 or tokens[i - 1].lower_ in OPENS_AFTER
                ):
                    n += 1
                    current, te_end = n, end
            elif word in ("die", "dat", "wat") and (
                i == 0 or (tagged and tok.pos_ not in ("PRON", "SCONJ"))
            ):
                pass
            else:
                n += 1
                current, finite, opener = n, False, word
        regions[i] = current
    return regions


def _te_clause_end(tokens: Sequence[Token], start: int) -> int:
    """Index of the last token of the te-clause opened at ``start`` (its infinitive, or the
    second of two joined by "en"), or -1 when no "te" follows."""
    end = -1
    for j in range(start + 1, min(len(tokens) - 1, start + TE_CLAUSE_REACH)):
        if tokens[j].text in (";", ":"):
            break
        if tokens[j].lower_ == "te":
            end = j + 1
            break
    if end < 0:
        return -1
    # "... aan te trekken en die investeringen beter te coördineren"
    for j in range(end + 1, min(len(tokens) - 1, end + 16)):
        if tokens[j].text in CLAUSE_END:
            break
        if tokens[j].lower_ == "te" and any(t.lower_ == "en" for t in tokens[end + 1 : j]):
            return j + 1
    return end


QUANTIFIERS = frozenset(
    {
        "alle",
        "onze",
        "hun",
        "haar",
        "zijn",
        "uw",
        "elke",
        "ieder",
        "iedere",
        "geen",
        "vele",
        "beide",
    }
)
NAME_LABELS = frozenset({"PROGRAMME", "LAW", "EVENT", "ORG", "GPE", "LOC", "PERSON"})
NOMINALISERS = frozenset({"het", "de", "een", "dit", "deze"})
PREPOSITIONS = frozenset(
    {
        "van",
        "met",
        "voor",
        "bij",
        "tot",
        "naar",
        "tussen",
        "via",
        "binnen",
        "per",
        "inzake",
        "zonder",
        "tijdens",
        "wegens",
        "volgens",
        "vanuit",
    }
)
SHORT_INFINITIVES = frozenset({"gaan", "doen", "zien", "staan", "slaan", "zijn"})
CLOSED_CLASS = frozenset(
    {"DET", "ADP", "NUM", "PRON", "CCONJ", "SCONJ", "AUX", "PUNCT", "SYM", "X"}
)
WORDEN_FORMS = frozenset({"wordt", "worden", "werd", "werden", "geworden"})


@functools.lru_cache(maxsize=1)
def known_lemmas() -> frozenset[str]:
    """Every lemma of spaCy's Dutch lookup table: a verb's infinitive is its lemma, a plural
    noun ("bijstandsmaatregelen") is not one, so this tells infinitives from plurals where
    the tagger cannot."""
    from ...syntax import lemma_table

    return frozenset(lemma_table().values())


def verb_kind(
    tokens: Sequence[Token], i: int, regions: list[int], first_of_item: bool = False
) -> str | None:
    """ "inf" for an infinitive, "part" for a passive participle, None for anything else.

    The tagger (trained on 36k tokens) tags plural nouns ("bijstandsmaatregelen") as VERB and
    infinitives ("aanvullen") as NOUN on declarations, so the word form decides: an infinitive
    ends in -en, follows "te" or is a lemma of the lookup table, does not follow an article
    ("het versterken van" is a noun) or a preposition, and does not stand before a noun; a
    participle stands in a clause with "worden".
    """
    tok = tokens[i]
    form = tok.lower_
    if lemma(tok) in AUX_LEMMAS or form in AUX_LEMMAS or not tok.is_alpha:
        return None
    if tok.ent_type_ in NAME_LABELS and not tok.is_lower:
        # a word of a name ("het programma Jongeren Bouwen Bruggen"); a lowercase verb in a
        # name is the recogniser reaching too far ("Groene Banen opzetten voor ...")
        return None
    from ...syntax import particles

    prev_tok = tokens[i - 1] if i > 0 else None
    prev = prev_tok.lower_ if prev_tok is not None else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    tagged = has_tags(tok.doc)
    if nxt is not None and nxt.lower_ == "te" and form in particles():
        return None  # the particle of "open te stellen", "aan te gaan"
    if (
        prev in NOMINALISERS
        or prev in QUANTIFIERS
        or (
            prev_tok is not None
            and prev_tok.is_alpha
            and not prev_tok.ent_type_
            and (prev_tok.like_num or (tagged and prev_tok.pos_ == "NUM"))
        )
    ):
        # "elf landen": a noun after a numeral (not "EUR 4 miljoen lanceren", "tegen 2030")
        return None  # "alle scholen", "hun inspanningen": a plural noun
    if prev in PREPOSITIONS and prev not in particles():
        return None  # "met middelen uit": a noun
    if tagged and prev in particles() and prev_tok.pos_ == "ADP" and tok.pos_ == "NOUN":
        return None  # "in scholen": a particle stands joined to a bare infinitive ("invoeren")
    if tagged and nxt is not None and nxt.pos_ == "NOUN" and prev != "te":
        return None
    base = lemma(tok)
    passive = any(
        t.lower_ in WORDEN_FORMS for j, t in enumerate(tokens[:i]) if regions[j] == regions[i]
    )
    if passive:
        # a past participle ends in -t, -d or -en (ANS 7.3): "geschiedenis" is no participle
        participle = form.endswith(("t", "d", "en")) and (
            (tagged and "Part" in tok.morph.get("VerbForm"))
            or form.startswith("ge")
            or (base != form and base.endswith("en"))
        )
        if participle and (not tagged or tok.pos_ == "VERB" or base in known_lemmas()):
            return "part"
    if form.endswith("en") or form in SHORT_INFINITIVES:
        if prev == "te":
            return "inf"
        if (tagged and tok.pos_ in CLOSED_CLASS) or tok.like_num:  # "een", "tegen", "miljoen"
            return None
        if (
            tagged
            and tok.pos_ == "NOUN"
            and prev_tok is not None
            and prev_tok.pos_ == "ADJ"
            and prev.endswith("e")
        ):
            return None  # "prioritaire gebieden", "derde landen": an inflected adjective
        if form in known_lemmas():
            return "inf"
        if base != form and form.startswith(base):
            # lemmatised as a plural noun ("cyberaanvallen" -> "cyberaanval"), unless only the
            # -n went and the word ends in a known verb ("medefinancieren" -> "financieren")
            if base + "n" == form and compound_head(form) == "verb":
                return "inf"
            return None
        head = compound_head(form)
        if head is not None:  # "medefinancieren" (verb), "blendingmiddelen" (noun plural)
            return "inf" if head == "verb" else None
        if tagged and tok.pos_ == "VERB" and base == form:
            return "inf"
    return None


def compound_head(form: str) -> str | None:
    """ "verb" or "noun" for an unknown -en word from its longest known ending (Dutch compounds
    inflect on their last part): "talentpartnerschappen" ends in "partnerschappen", which the
    lookup table lemmatises to "partnerschap" (a plural noun); "medefinancieren" ends in
    "financieren", an infinitive."""
    from ...syntax import lemma_table

    table = lemma_table()
    for k in range(0, len(form) - 4):
        tail = form[k:]
        mapped = table.get(tail)
        if mapped and mapped != tail and not mapped.endswith("en"):
            return "noun"
        if tail in known_lemmas() and len(tail) >= 8:
            return "verb"
    return None


def _is_finite_verb(tok: Token) -> bool:
    if has_tags(tok.doc):
        return tok.is_alpha and tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm")
    return False


# --------------------------------------------------------------------------------------------
# actions


def light_verb_action(
    verb: Token, tokens: Sequence[Token], index: int, kind: str = "inf"
) -> tuple[str, int] | None:
    """(action, complement index) when ``verb`` is the light verb of a phrase: the complement
    within the six words before it ("uitvoering te geven", "nadruk zal worden gelegd"), or,
    for a finite verb-second verb, closing its clause ("stelt de EU ... beschikbaar")."""
    verb_lemma_ = verb.lower_ if kind == "inf" else lemma(verb)
    options = lexicons().light_verbs.get(verb_lemma_)
    if not options:
        return None
    window = list(range(index - 1, max(-1, index - 7), -1))
    if _is_finite_verb(verb):
        end = next(
            (
                j
                for j in range(index + 1, len(tokens))
                if tokens[j].text in CLAUSE_END or tokens[j].is_punct
            ),
            len(tokens),
        )
        if end - 1 > index:
            window = [end - 1] + window
    for j in window:
        word = tokens[j]
        if word.text in CLAUSE_END and j < index:
            break
        for comp, action in options:
            if lemma(word) == comp or word.lower_ == comp:
                return action, j
    # adjective + maken: "energiezuiniger maken", "operationeel maken"
    if verb_lemma_ == "maken" and index > 0:
        j = index - 2 if tokens[index - 1].lower_ == "te" and index > 1 else index - 1
        if has_tags(verb.doc) and tokens[j].pos_ == "ADJ":
            return f"{tokens[j].lower_} maken", j
    return None


def action_of(verb: Token, tokens: Sequence[Token], index: int, kind: str) -> tuple[str, set[int]]:
    """The action for a verb ("inf", "part" or "fin") and the token indices it uses.

    Infinitives are their own lemma (the lemmatiser is least reliable on rare verbs); a
    separated particle joins the verb before light-verb phrases are tried ("vast te stellen"
    is "vaststellen"); participles and finite verbs take the lemmatiser's lemma.
    """
    from ...syntax import particles

    used = {index}
    base = verb.lower_ if kind == "inf" else lemma(verb)
    prt = None
    if (
        kind == "inf"
        and index >= 2
        and tokens[index - 1].lower_ == "te"
        and tokens[index - 2].lower_ in particles()
    ):
        prt = tokens[index - 2]  # "op te voeren"
    elif kind == "fin":
        prt = _final_particle(verb, tokens, index)  # "nemen wij ... aan"
    if prt is not None:
        used.add(prt.i - tokens[0].i)
        return (base if base.startswith(prt.lower_) else prt.lower_ + base), used
    light = light_verb_action(verb, tokens, index, kind)
    if light:
        return light[0], used | {light[1]}
    return base, used


def _final_particle(verb: Token, tokens: Sequence[Token], index: int) -> Token | None:
    """The particle closing a verb-second clause ("nemen wij ... aan")."""
    from ...syntax import particles

    prt = particle_of(verb) if verb.doc.has_annotation("DEP") else None
    if prt is not None:
        return prt
    end = next((j for j in range(index + 1, len(tokens)) if tokens[j].is_punct), len(tokens))
    if end - 1 > index and tokens[end - 1].lower_ in particles():
        return tokens[end - 1]
    return None


# --------------------------------------------------------------------------------------------
# actors


@dataclass(frozen=True)
class Mention:
    """An entity that can act: token offsets and its actor key (regions named after "partners"
    already turned into their partner group; places and cities left out)."""

    start: int
    end: int
    key: str


def partner_group(ent: Span) -> str | None:
    """The partner group an entity names: "partners van de Westelijke Balkan" ->
    ``wb_partners`` (partner_groups.tsv), "partners van <region R>" -> ``R_partners``."""
    if not _preceded_by_partners(ent):
        return None
    return _group_of_region(ent.kb_id_) or (
        f"{ent.kb_id_}_partners" if ent.label_ == "LOC" else None
    )


def actor_mentions(doc: Doc) -> list[Mention]:
    """Every actor mention of the document, computed once per document. Regions act only as
    partner groups; cities only where no preposition makes them a place ("in Brussel")."""
    out = []
    for ent in doc.ents:
        key = ent.kb_id_
        if ent.label_ not in ACTOR_LABELS or not key:
            continue
        group = partner_group(ent)
        if group:
            key = group
        elif ent.label_ == "LOC" or _group_of_region(key):
            continue
        elif (
            key.startswith("city:")
            and ent.start > 0
            and (
                ent.doc[ent.start - 1].pos_ == "ADP"
                or ent.doc[ent.start - 1].lower_
                in ("in", "te", "naar", "uit", "van", "tussen", "bij", "via")
            )
        ):
            continue
        out.append(Mention(ent.start, ent.end, key))
    return out


def dominant_partner_group(summit: Summit, region_groups: Sequence[str] = ()) -> str | None:
    """The partner group a document is about, where its preamble names none: the group most
    often named ("partners van <region>", its members, its region), at least twice."""
    counts: dict[str, int] = {}
    for m in summit.mentions:
        group = (
            m.key
            if m.key in lexicons().partner_groups or m.key.endswith("_partners")
            else _group_of_member(m.key)
        )
        if group:
            counts[group] = counts.get(group, 0) + 1
    for group in region_groups:
        counts[group] = counts.get(group, 0) + 1
    if not counts:
        return None
    group, n = max(counts.items(), key=lambda kv: kv[1])
    return group if n >= 2 else None


def actors_in(tokens: Sequence[Token], summit: Summit, subject: bool = False) -> list[str]:
    """Actor keys named in a stretch of tokens, in reading order: entities, "wij"/"samen"/
    "onze" (participants), "de partners" not followed by a region (the partner groups)."""
    if not tokens:
        return []
    lo, hi = tokens[0].i, tokens[-1].i + 1
    words = lexicons().actor_words
    found: list[tuple[int, str]] = []
    for m in summit.mentions:
        if m.start >= lo and m.end <= hi:
            if (
                subject
                and m.key not in summit.participants
                and _is_companion(tokens[0].doc[m.start])
            ):
                continue  # "Samen met het RYCO zullen wij ...": wij, not the RYCO
            found.append((m.start, m.key))
    for tok in tokens:
        role = words.get(tok.lower_)
        if role == "participants":
            found.extend((tok.i, k) for k in summit.participants)
        elif role == "partners" and not any(tok.i < m.start <= tok.i + 4 for m in summit.mentions):
            groups = summit.partner_groups or (
                [summit.default_group] if summit.default_group else []
            )
            found.extend((tok.i, k) for k in groups)
    out: list[str] = []
    for _i, k in sorted(found, key=lambda x: x[0]):
        if k not in out:
            out.append(k)
    return out


def _trim_to_clause(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """The part of tokens[start:end] after its last comma, semicolon or colon (brackets stay:
    "Het Europees Grens- en kustwachtagentschap (Frontex) zal ...")."""
    for j in range(end - 1, start - 1, -1):
        if tokens[j].text in (",", ";", ":"):
            return j + 1, end
    return start, end


def subject_actors(
    tokens: Sequence[Token], anchor: int, regions: list[int], summit: Summit
) -> list[str]:
    """Actors of the subject of the clause whose finite verb is at or before ``anchor``.

    Dutch is verb-second: the subject stands before the finite verb ("De EU zal ...") or right
    after it when something else comes first ("Via ... zal de EU ...", "... beloven wij").
    """
    region = regions[anchor]
    # the finite verb of the marker's clause: the marker itself ("zal"), or the first finite
    # verb of that clause before it
    fin = (
        anchor
        if _is_finite_verb(tokens[anchor])
        else next(
            (
                i
                for i in range(len(tokens))
                if regions[i] == region and i <= anchor and _is_finite_verb(tokens[i])
            ),
            anchor,
        )
    )
    start = next((i for i in range(fin, -1, -1) if regions[i] != region), -1) + 1
    a, b = _trim_to_clause(tokens, start, fin)
    before = [t for t in tokens[a:b] if regions[t.i - tokens[0].i] == region]
    subs = lexicons().subordinators
    if before and before[0].lower_ in subs:
        before = before[1:]
    if before and not (has_tags(before[0].doc) and before[0].pos_ == "ADP"):
        found = actors_in(before, summit, subject=True)
        if found:
            return found
    after = []
    for t in tokens[fin + 1 : fin + 8]:
        if t.text in CLAUSE_END or (
            has_tags(t.doc) and t.pos_ in ("VERB", "ADP") and t.lower_ != "van"
        ):
            break
        after.append(t)
    found = actors_in(after, summit, subject=True)
    if found:
        return found
    if before:
        return actors_in(before, summit, subject=True)
    return []


def _companions(
    tokens: Sequence[Token], anchor: int, regions: list[int], summit: Summit
) -> list[str]:
    """Summit participants joined to the subject by "samen met" in its clause ("De EU zal ...
    samen met de partners ... vaststellen"); a third body "samen met" is help, not a party."""
    for i in range(anchor + 1, min(len(tokens) - 2, anchor + 10)):
        if regions[i] != regions[anchor] or tokens[i].text in CLAUSE_END:
            break
        if tokens[i].lower_ == "samen" and tokens[i + 1].lower_ == "met":
            named = actors_in(tokens[i + 2 : i + 6], summit)
            return [k for k in named if k in summit.participants]
    return []


def _is_companion(tok: Token) -> bool:
    """An entity after "met" ("samen met het RYCO", "met steun van de EU") keeps others
    company: it is not the subject."""
    doc = tok.doc
    for k in range(tok.i - 1, max(-1, tok.i - 4), -1):
        if doc[k].lower_ == "met":
            return True
        if doc[k].lower_ not in DETERMINERS and doc[k].lower_ not in ("steun", "van"):
            return False
    return False


def _passive_agent(tokens: Sequence[Token], summit: Summit) -> list[str]:
    """The agent of a passive: "door (de) X"."""
    for i, t in enumerate(tokens[:-1]):
        if t.lower_ == "door":
            found = actors_in(tokens[i + 1 : i + 6], summit)
            if found:
                return found
    return []


# --------------------------------------------------------------------------------------------
# extraction


@dataclass
class Pledge:
    verb_index: int
    action: str
    used: set[int]
    kind: str  # "inf", "part", "fin"


def find_marker(keys) -> tuple[int, str, Cue] | None:
    """(token index, strength, cue) of the pledge marker: weak markers first, then moderate,
    then strong; among markers of one strength the earliest."""
    lex = lexicons()
    strength_of: dict[Cue, str] = {}
    for cue, strength in lex.strength_markers:
        strength_of.setdefault(cue, strength)
    best = None
    for i, cue in lex.marker_matcher.find(keys):
        strength = strength_of[cue]
        rank = (STRENGTH_ORDER.index(strength), i)
        if best is None or rank < best[0]:
            best = (rank, (i, strength, cue))
    return best[1] if best else None


def _marker_tokens(keys, marker: tuple[int, str, Cue] | None) -> set[int]:
    """Indices of the tokens that make up the marker ("verbinden", "zich" ...)."""
    if marker is None:
        return set()
    from ..speech import _item_matches

    i, _strength, cue = marker
    out, j = {i}, i + 1
    for item in cue.items[1:]:
        if item == "...":
            continue
        while j < len(keys) and not _item_matches(item, keys[j]):
            j += 1
        if j < len(keys):
            out.add(j)
            j += 1
    return out


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
        if tok.pos_ == "VERB" and _is_finite_verb(tok) and lemma(tok) not in AUX_LEMMAS:
            action, used = action_of(tok, tokens, i, "fin")
            return [Pledge(i, action, used, "fin")]
    return []


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
            _is_finite_verb(t) and lemma(t) not in AUX_LEMMAS and regions[j] == 0
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


def _conditional(keys) -> bool:
    return bool(lexicons().conditions.find(keys))


def date_entities(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, text) of the document's DATE entities, read once per document: every read
    of ``doc.ents`` (or ``sent.ents``) builds a Span for every entity of the document."""
    return [(e.start, e.end, e.text) for e in doc.ents if e.label_ == "DATE"]


def _dates(
    sent: Span,
    tokens: Sequence[Token],
    pledges: list[Pledge],
    doc_dates: list[tuple[int, int, str]] | None = None,
) -> list[list[str]]:
    """DATE entities, each given to the first action after it (the last takes the rest)."""
    dates: list[list[str]] = [[] for _ in pledges]
    base = tokens[0].i
    if doc_dates is None:
        doc_dates = date_entities(sent.doc)
    for start, end, text in doc_dates:
        if start < sent.start or end > sent.end:  # the entities of sent.ents
            continue
        k = next(
            (n for n, p in enumerate(pledges) if p.verb_index + base >= start), len(pledges) - 1
        )
        dates[k].append(text)
    return dates


@dataclass
class SentenceInfo:
    act: str | None
    kind: str
    segment_id: str
    in_annex: bool


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
) -> list[dict]:
    """The commitment records of one sentence (empty for sentences that pledge nothing).
    ``tokens`` (the sentence's non-space tokens) and ``doc_dates`` (``date_entities``) save
    the component re-reading them for every sentence."""
    if tokens is None:
        tokens = [t for t in sent if not t.is_space]
    if not tokens or info.kind in NO_PLEDGE_KINDS:
        return []
    keys = token_keys(tokens)
    regions = clause_regions(tokens)
    marker = find_marker(keys)
    item = info.kind == "bullet" and info.act == "COMMITMENT"
    reported_noun = marker is not None and marker[2].items[0] in lexicons().reported_nouns

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

    skip = _marker_tokens(keys, marker) if not item else set()
    pledges = pledged_verbs(tokens, regions, allowed, skip, after, item)
    if item and not pledges:
        pledges = _item_fallback(tokens, regions)
    if not pledges and not item and info.act == "COMMITMENT":
        pledges = _finite_action(tokens, regions, skip) or _marker_verb(tokens, marker)
    elif (
        pledges and info.act == "COMMITMENT" and _after_coordinated_finite(tokens, regions, marker)
    ):
        # "De Raad keurt het actieplan goed en zal de uitvoering ervan evalueren": the
        # performative present before "en zal" is a decision of its own
        pledges = _finite_action(tokens[: marker[0] - 1], regions, skip) + pledges
    if not pledges:
        return []

    if (
        not item
        and info.act != "COMMITMENT"
        and pledges[0].kind == "part"
        and not _passive_agent(tokens, summit)
    ):
        return []  # "de top die ... zal worden gehouden": an event, nobody's pledge
    if item:
        actors = lead_in_actors or annex_actors(summit)
    else:
        actors = _resolve_actors(
            tokens, regions, marker, pledges, summit, previous_actors, reported_noun, info
        )
    conditional = _conditional(keys)
    dates = _dates(sent, tokens, pledges, doc_dates)
    records = []
    for n, p in enumerate(pledges):
        start = pledges[n - 1].verb_index + 1 if n else (after if marker is not None else 0)
        obj = object_text(tokens, regions, p, start)
        if p.kind == "part" and not obj:  # passive: the subject is the object
            fin = next((i for i, t in enumerate(tokens) if lemma(t) in AUX_LEMMAS), 0)
            obj = " ".join(t.text for t in tokens[:fin])
        records.append(
            {
                "actors": list(actors),
                "action": p.action,
                "object": obj,
                "strength": _strength(marker, p.action, item),
                "conditional": conditional,
                "reported": summit.is_reported(actors),
                "dates": dates[n],
            }
        )
    return records


# titles, headings and footnotes are OTHER (ANNOTATION.md section 3): they pledge nothing
NO_PLEDGE_KINDS = frozenset({"title", "annex_title", "heading", "footnote"})
POSSESSIVES = frozenset({"haar", "zijn", "hun"})
FIRST_PERSON = frozenset({"wij", "we", "ons", "onze", "samen", "gezamenlijk"})


def annex_actors(summit: Summit) -> list[str]:
    """Annex action items commit the EU and its partners together (ANNOTATION.md decided
    case): the participants, and where the preamble named no partners, the partner group the
    document is about."""
    if summit.annex_parties:
        return list(summit.annex_parties)
    actors = list(summit.participants)
    if len(actors) == 1 and summit.default_group and summit.default_group not in actors:
        # no partner met the authors by name: the partners the document is about
        actors.append(summit.default_group)
    return actors


def _resolve_actors(
    tokens,
    regions,
    marker,
    pledges,
    summit: Summit,
    previous_actors: list[str],
    reported_noun: bool,
    info: SentenceInfo,
) -> list[str]:
    """Who pledges (see the module docstring, step 3)."""
    first = pledges[0].verb_index
    words = {t.lower_ for t in tokens}
    if reported_noun:
        # "het voornemen / de toezegging van X om ...": X, up to the clause X's pledge opens
        m = marker[0]
        stop = next((j for j in range(m + 1, len(tokens)) if regions[j] != regions[m]), len(tokens))
        found = actors_in(tokens[m + 1 : min(stop, first)], summit)
        if found:
            return found
        if m > 0 and tokens[m - 1].lower_ in POSSESSIVES:
            # "Wij zijn de Commissie erkentelijk voor haar toezegging om ...": the pledge of
            # the party just named
            named = [k for k in actors_in(tokens[:m], summit) if k not in summit.speakers]
            if named:
                return named[-1:]
    if pledges[0].kind == "part":
        # a passive: its grammatical subject is what is pledged, not who pledges
        agent = _passive_agent(tokens, summit)
        if agent:
            return agent
        if info.in_annex:
            return annex_actors(summit)
        if words & FIRST_PERSON:
            return list(summit.participants)
        return summit.participants[:1]
    anchor = marker[0] if marker is not None else first
    if regions[anchor] > 0 and words & PRONOUNS_THEY:
        # "dat zij ... zullen": the non-author actors just named, here or in the sentence before
        named = actors_in(tokens[:anchor], summit)
        others = [k for k in named if k not in summit.speakers]
        if not others:
            others = [k for k in previous_actors if k not in summit.speakers]
        if others:
            return others
    if regions[anchor] == 0 and (
        tokens[0].lower_ == "hij" or (len(tokens) > 2 and tokens[1].lower_ == "hij")
    ):
        if previous_actors:
            return previous_actors[:1]
    subj = subject_actors(tokens, anchor, regions, summit)
    if subj:
        return subj + [k for k in _companions(tokens, anchor, regions, summit) if k not in subj]
    if marker is not None and regions[marker[0]] > 0:
        named = actors_in(tokens[: marker[0]], summit)
        others = [k for k in named if k not in summit.speakers]
        if others:
            return others[-1:]
    if words & FIRST_PERSON:
        return list(summit.participants)
    return summit.participants[:1]


# --------------------------------------------------------------------------------------------
# the spaCy component


class CommitmentExtractor:
    def __call__(self, doc: Doc) -> Doc:
        sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
        if not sentences:
            return doc
        summit = summit_of(doc)
        contexts = sentence_contexts(doc)
        previous: list[str] = []
        lead_in: dict[str, list[str] | None] = {}
        calls: set[str] = set()  # lead-ins that ask another party to act
        doc_dates = date_entities(doc)
        for sent, ctx in zip(sentences, contexts):
            tokens = [t for t in sent if not t.is_space]
            info = SentenceInfo(sent._.speech_act, ctx.kind, sent._.segment_id or "", ctx.in_annex)
            parent = info.segment_id.rsplit(".b", 1)[0] if ".b" in info.segment_id else None
            if parent in calls:  # "De Raad roept de partners op om: a) ... b) ...": asked,
                records = []  # not pledged
            else:
                records = extract_commitments(
                    sent,
                    info,
                    summit,
                    previous,
                    lead_in.get(parent) if parent else None,
                    tokens,
                    doc_dates,
                )
            sent._.commitments = records
            named = actors_in(tokens, summit)
            if named:
                previous = named
            if ctx.lead_in and ctx.index == ctx.n_in_segment - 1:
                lead_in[info.segment_id] = _lead_in_actors(tokens, summit)
                if info.act == "CALL" and ctx.kind != "heading":
                    calls.add(info.segment_id)
        return doc


def _lead_in_actors(tokens, summit: Summit) -> list[str] | None:
    """The actors a lead-in to a list pledges for ("verbinden de EU en haar partners zich
    ertoe:"); None when it names none (a heading, "De Raad stemt in met de volgende acties:"),
    so that its items commit the summit's participants like any action item."""
    if not tokens:
        return None
    regions = clause_regions(tokens)
    keys = token_keys(tokens)
    marker = find_marker(keys)
    if marker is None:
        return None
    return subject_actors(tokens, marker[0], regions, summit) or None


@Language.factory("commitments")
def make_commitment_extractor(nlp: Language, name: str):
    return CommitmentExtractor()


def add_commitment_component(nlp: Language, models_dir: Path) -> None:
    """The extractor is rules over data files: models_dir is not needed (kept for the common
    signature of the stage adders)."""
    nlp.add_pipe("commitments")


from .evaluation import score_commitments  # noqa: E402,F401  (pipeline.evaluate's scorer)
