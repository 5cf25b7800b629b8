"""The object of a pledged action: the complement it governs, as token positions.

Dutch puts the complement of a verb-final action before the verb ("haar steun voor de
hervormingen opvoeren") and extraposes prepositional complements after it ("Steun uitrollen
voor de Westelijke Balkan via het Europees Fonds", "te verbeteren in al haar dimensies",
"nadruk zal worden gelegd op het scheppen van ..."). The object is both stretches:

- before the verb, from the marker or the end of the previous action's object, within the
  verb's clause (a relative clause inside it stays: "oplossingen die ... vinden"), without the
  marker, the subject (``nsubj`` of the parse; a personal pronoun), auxiliaries, "te", the verb's
  adverbial modifiers (``advmod`` of the verb, adverbs), the light verb's own noun and its
  modifiers ("Bijzondere nadruk"), and the dates (they are the record's dates);
- after the verb, up to a clause boundary (punctuation, a subordinate clause, a verb, a
  phrase of object_boundaries.tsv such as "onder meer", "wat betreft").

A prepositional object is written without its preposition ("werken aan de voltooiing van ..."
-> "de voltooiing van ..."), as the gold does. The agentless passive's object is its subject
("Onze samenwerking ... zal verder worden ontwikkeld").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from spacy.tokens import Token

from ...syntax import has_tags, lemma
from ..cues import CUES_DIR, CueMatcher, closed_class, parse_cues, read_table
from .lexicon import AUX_LEMMAS, CLAUSE_END, PRONOUNS_THEY, lexicons

RELATIVE_OPENERS = frozenset({"die", "dat", "wat"})
ACTOR_ENTITY_LABELS = frozenset({"ORG", "GPE", "NORP", "PERSON"})


@functools.lru_cache(maxsize=1)
def boundary_matcher() -> CueMatcher:
    return CueMatcher(parse_cues(read_table(CUES_DIR / "object_boundaries.tsv")))


def _inverted_subject(tokens: Sequence[Token], after: int) -> set[int]:
    """Positions of a subject right after a finite marker or verb ("zal de EU ...", "stelt de
    EU ... beschikbaar"): a named actor with its article."""
    k = after
    out: set[int] = set()
    if k < len(tokens) and tokens[k].lower_ in closed_class("article") and k + 1 < len(tokens):
        if tokens[k + 1].ent_type_ in ACTOR_ENTITY_LABELS:
            out.add(k)
            k += 1
    if k < len(tokens) and tokens[k].ent_type_ in ACTOR_ENTITY_LABELS:
        out.add(k)
        k += 1
        while k < len(tokens) and tokens[k].ent_iob_ == "I":
            out.add(k)
            k += 1
    return out if k > after and any(tokens[j].ent_type_ for j in out) else set()


def _light_noun(tokens: Sequence[Token], pledge, verb_pos: int) -> set[int]:
    """The light verb's noun with its determiner and adjectives ("Bijzondere nadruk")."""
    out: set[int] = set()
    for j in pledge.used:
        if j == verb_pos:
            continue
        out.add(j)
        k = j - 1
        while (
            k >= 0
            and has_tags(tokens[k].doc)
            and (tokens[k].pos_ in ("ADJ", "DET") or tokens[k].head == tokens[j])
        ):
            out.add(k)
            k -= 1
    return out


def _date_tokens(tokens: Sequence[Token], dates: Sequence[tuple[int, int]]) -> set[int]:
    """Positions of the sentence's DATE entities, with the preposition before one ("in 2020")."""
    base = tokens[0].i
    out: set[int] = set()
    for start, end in dates:
        span = range(start - base, end - base)
        if not span or span[0] < 0 or span[-1] >= len(tokens):
            continue
        out |= set(span)
        k = span[0] - 1
        frames, articles = closed_class("time_frame"), closed_class("article")
        while k >= 0:
            if tokens[k].pos_ == "ADP" or tokens[k].lower_ in ("uiterlijk", "eind"):
                out.add(k)
                k -= 1
            elif tokens[k].lower_ in frames and k > 0 and tokens[k - 1].lower_ in articles:
                out |= {k, k - 1}  # "in de periode 2029-2031": the period is the date's
                k -= 2
            elif tokens[k].lower_ == "minste" and k > 0 and tokens[k - 1].lower_ == "ten":
                out |= {k, k - 1}  # "ten minste tot 2031": the bound is the date's
                k -= 2
            else:
                break
    return out


def _continues_list(tokens: Sequence[Token], k: int, boundaries: set[int], subs) -> bool:
    """A comma inside a list of the object ("tegen mensenhandel, de teelt van drugs, en de
    smokkel ..."): an article, adjective or noun follows, and no clause or boundary phrase."""
    if k + 1 >= len(tokens) or k + 1 in boundaries:
        return False
    nxt = tokens[k + 1]
    if nxt.lower_ in subs or not has_tags(nxt.doc):
        return False
    if nxt.lower_ in ("en", "of") and k + 2 < len(tokens):
        nxt = tokens[k + 2]
    return nxt.pos_ in ("DET", "ADJ", "NOUN") and nxt.lower_ not in subs


def _trim(tokens: Sequence[Token], words: list[int], subs) -> list[int]:
    """Without punctuation, "en"/"of" and subordinators at the edges."""
    while words and (
        tokens[words[0]].is_punct
        or tokens[words[0]].lower_ in ("en", "of")
        or tokens[words[0]].lower_ in subs
    ):
        words = words[1:]
    while words and (tokens[words[-1]].is_punct or tokens[words[-1]].lower_ in ("en", "of")):
        words = words[:-1]
    return words


def _without_parentheticals(tokens: Sequence[Token], words: list[int]) -> list[int]:
    """Without a stretch set off by commas ("De EU zal, in nauwe samenwerking met UNESCO,
    bijdragen aan ..."), when words remain beside it."""
    commas = [k for k in words if tokens[k].text == ","]
    if len(commas) < 2:
        return words
    first, last = commas[0], commas[-1]
    outside = [k for k in words if k < first or k > last]
    return outside if outside else words


def _agent_not_clause(tokens: Sequence[Token], k: int, end: int, subs) -> bool:
    """A te-subordinator with no "te" after it is a preposition ("aan door de Unie geleide
    operaties"), not the opening of a clause."""
    return subs.get(tokens[k].lower_) == "te" and not any(
        t.lower_ == "te" for t in tokens[k + 1 : end]
    )


def _without_leading_adjunct(tokens: Sequence[Token], words: list[int]) -> list[int]:
    """Without a prepositional phrase before the noun phrase that follows it in the middle
    field ("in Antwerpen een analysecentrum" -> "een analysecentrum"): the object starts at a
    determiner or numeral right after a noun."""
    if not words or tokens[words[0]].pos_ != "ADP":
        return words
    for n in range(1, len(words)):
        here, before = tokens[words[n]], tokens[words[n - 1]]
        if (
            words[n] == words[n - 1] + 1
            and here.pos_ in ("DET", "NUM")
            and before.pos_ in ("NOUN", "PROPN")
        ):
            return words[n:]
    return words


def object_positions(
    tokens: Sequence[Token],
    regions: list[int],
    pledge,
    start: int,
    end: int,
    skip: set[int],
    dates: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Positions (in ``tokens``) of the object of ``pledge``, in reading order: the words
    between ``start`` and the verb and after the verb up to ``end`` (see the module
    docstring)."""
    v = pledge.verb_index
    verb = tokens[v]
    region = regions[v]
    tagged = has_tags(verb.doc)
    subs = lexicons().subordinators
    lo = start
    j = v - 1
    while j >= start:
        if tokens[j].text in (";", ":"):
            lo = j + 1
            break
        if regions[j] != region:
            # a relative clause inside the object ("oplossingen die hun oorsprong vinden in
            # ...") stays; any other clause ends the object's start
            r = regions[j]
            first = j
            while first - 1 >= start and regions[first - 1] == r:
                first -= 1
            opener = tokens[first]
            before = tokens[first - 1] if first > 0 else None
            if (
                r > 0
                and opener.lower_ in RELATIVE_OPENERS
                and tagged
                and first > start
                and (
                    opener.pos_ == "PRON"
                    or (before is not None and before.pos_ in ("NOUN", "PROPN"))
                )
            ):
                j = first - 1
                continue
            lo = j + 1
            break
        j -= 1
    passive = pledge.kind == "part"
    drop = set(pledge.used) | set(skip) | _date_tokens(tokens, dates)
    drop |= _light_noun(tokens, pledge, v)
    if skip:
        drop |= _inverted_subject(tokens, max(skip) + 1)
    if pledge.kind == "fin":
        drop |= _inverted_subject(tokens, v + 1)
    pre = []
    for k in range(lo, v):
        t = tokens[k]
        if k in drop or t.lower_ == "te" or lemma(t) in AUX_LEMMAS:
            continue
        if tagged and t.pos_ in ("ADV", "AUX"):
            continue
        if t.dep_ == "advmod" and t.head == verb:
            continue  # "aanzienlijk te verbeteren", "dringend uitvoering te geven"
        if (
            tagged
            and t.pos_ == "PRON"
            and (t.lower_ in PRONOUNS_THEY or t.lower_ in closed_class("first_person"))
        ):
            if t.lower_ not in closed_class("possessive") and t.lower_ != "onze":
                continue  # the subject pronoun ("beloven wij"), not "onze samenwerking"
        pre.append(k)
    pre = _without_parentheticals(tokens, _trim(tokens, pre, subs))
    while pre and tagged and tokens[pre[-1]].pos_ in ("ADJ", "ADV") and len(pre) > 1:
        pre = pre[:-1]  # an adverbial adjective right before the verb ("aanzienlijk verbeteren")
    if pledge.kind == "fin" or (tagged and all(tokens[k].pos_ in ("ADJ", "ADV") for k in pre)):
        # a performative present's complement follows it; a lone modifier ("Intensiever
        # samenwerken", "sneller uitvoering te geven") is no object
        pre = []
    if passive:
        # an agentless passive: its subject is what is pledged ("Deze agenda zal worden
        # uitgevoerd binnen ..."): the words of its clause before the first auxiliary, without
        # the agent ("door de EU")
        clause_start = next((k + 1 for k in range(v - 1, -1, -1) if regions[k] != region), 0)
        first_aux = next(
            (
                k
                for k in range(clause_start, v)
                if lemma(tokens[k]) in AUX_LEMMAS and (not tagged or tokens[k].pos_ == "AUX")
            ),
            None,
        )
        if first_aux is not None:
            subject = _trim(
                tokens,
                [
                    k
                    for k in range(clause_start, first_aux)
                    if k not in drop and tokens[k].text not in (";", ":")
                ],
                subs,
            )
            if tagged and (
                not subject
                or tokens[subject[0]].lower_ in closed_class("expletive")
                or tokens[subject[0]].pos_ in ("ADP", "ADV")
            ):
                # verb-second: a fronted adjunct or "er" before the finite verb, the subject
                # after it ("Er zal een netwerk ... worden opgezet", "Binnen onze samenwerking
                # zal een dialoog ... worden opgericht")
                subject = _without_leading_adjunct(
                    tokens,
                    _trim(
                        tokens,
                        [
                            k
                            for k in range(first_aux + 1, v)
                            if k not in drop
                            and lemma(tokens[k]) not in AUX_LEMMAS
                            and tokens[k].pos_ not in ("AUX", "ADV")
                            and tokens[k].lower_ not in closed_class("expletive")
                        ],
                        subs,
                    ),
                )
            if subject:
                pre = subject
                end = v + 1  # its complements after the verb are the frame ("op ... wijze")
    post: list[int] = []
    boundaries = {i for i, _cue in boundary_matcher().find(tokens)}
    k = v + 1
    while k < end:
        t = tokens[k]
        if k in pledge.used or k in drop and k in _date_tokens(tokens, dates):
            k += 1
            continue
        # a comma right after a verb-final action ("te waarborgen, de vrijheid van de media te
        # beschermen") opens the next action's object, not more of this one's
        if (
            t.text == ","
            and (post or pledge.kind == "fin")
            and _continues_list(tokens, k, boundaries, subs)
        ):
            post.append(k)
            region = regions[k + 1]  # the list goes on, whatever clause the comma closed
            k += 1
            continue
        if tagged and t.pos_ == "VERB" and tokens[k - 1].lower_ in closed_class("article"):
            post.append(k)  # a nominalised infinitive: "op het scheppen van ..."
            k += 1
            continue
        if (
            t.text in CLAUSE_END
            or t.text in (".", "!", "?")
            or regions[k] != region
            or k in boundaries
            or (t.lower_ in subs and not _agent_not_clause(tokens, k, end, subs))
            or (t.lower_ in ("en", "of") and end < len(tokens))
            or (tagged and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "acl"))
        ):
            break
        post.append(k)
        k += 1
    words = pre + post
    while words and (tokens[words[0]].is_punct or tokens[words[0]].lower_ in ("en", "of")):
        words = words[1:]
    while words and (tokens[words[-1]].is_punct or tokens[words[-1]].lower_ in ("en", "of")):
        words = words[:-1]
    while words and tokens[words[0]].lower_ in subs:
        words = words[1:]  # "om de proefprojecten ... uit te breiden"
    if words and tagged and tokens[words[0]].pos_ == "ADP":
        words = words[1:]  # a prepositional object: "werken aan de voltooiing" -> "de voltooiing"
    return words


def object_words(tokens: Sequence[Token], positions: Sequence[int]) -> str:
    return " ".join(tokens[k].text for k in positions).replace(" ,", ",")


def nominal_object_positions(
    tokens: Sequence[Token],
    regions: list[int],
    noun: int,
    dates: Sequence[tuple[int, int]] = (),
    stop: set[int] | frozenset[int] = frozenset(),
) -> list[int]:
    """The object of a nominal pledge ("de oprichting, uiterlijk in 2031, van een brigade in
    Finnmark die onder Noors bevel staat"): the noun's "van" complement, after any stretch set
    off by commas, up to the end of the item, a comma that opens another clause (", waarvoor
    ..."), the nominalisation's agent ("door de overheden") or a ``stop`` position (the
    condition); the dates and time phrases (``dates``) are the record's, not the object's."""
    j = noun + 1
    if j < len(tokens) and tokens[j].text == ",":  # a parenthetical time phrase first
        j = next((k + 1 for k in range(j + 1, len(tokens)) if tokens[k].text == ","), j)
    if j >= len(tokens) or tokens[j].lower_ != "van":
        return []
    drop = _date_tokens(tokens, dates)
    words: list[int] = []
    for k in range(j + 1, len(tokens)):
        t = tokens[k]
        if k in stop or t.text in (";", ":", ".") or t.lower_ == "door":
            break
        if t.text == "," and k + 1 < len(tokens) and regions[k + 1] != regions[noun]:
            break
        if k not in drop:
            words.append(k)
    return _trim(tokens, words, lexicons().subordinators)
