"""Deadlines: the time phrases that bound a pledged action, as opposed to dates merely
mentioned in the sentence.

A time phrase is a deadline of an action when it stands in the action's own clause (not in a
relative, conditional or "zoals" clause after a comma) and is opened by a word that bounds in
time (pipeline/data/cues/deadlines.tsv):

- a DATE entity after a temporal preposition ("tegen 2030", "uiterlijk in maart 2028"), or
  after a frame ("in de loop van 2028"): the deadline is the date as written;
- "vóór" and a noun phrase ("vóór de volgende verkiezingen"), "binnen"/"in" and a span of
  time ("binnen twaalf maanden na het verzoek ...", "in de komende tien jaar"): the phrase as
  written, or the date inside it ("vóór de jaarvergaderingen van oktober 2027" -> the date).

- a meeting with its date after "op"/"tijdens" ("op zijn bijeenkomst van oktober 2029": the
  date) or "tegen" ("tegen de top van 2031": the meeting as written, without its article), and
  "tegen" with a meeting ("tegen de volgende ministeriële bijeenkomst");
- a part of a year with its ordinal ("in de eerste helft van 2030", "tegen het einde van 2030").

"tot" bounds a duration ("tot 2031 verlengen"), not a deadline. Unaccented "voor" after a noun
modifies the noun ("het klimaatdoel voor 2040"), not the action. Every phrase goes to the first
action after it in its clause, or to the action right before it when no comma parts them; not
to the second of two clauses joined by "en" when it stands before the "en" ("Wij streven naar
... tegen 2032 en werken aan ..."), nor to a verb whose indirect question holds it ("verkennen
of ... vóór 2030 ..."). A phrase in front of the first action's object bounds the actions
coordinated with it ("tegen 2030 de spoorverbinding moderniseren en de reistijd
terugbrengen"); one right before its verb stays inside the first conjunct.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from ..cues import CUES_DIR, CueMatcher, closed_class, parse_cues, read_table
from .lexicon import CLAUSE_END, lexicons

# tokens that may go on a noun phrase's head: names and hyphenated parts ("top EU-AU")
NAME_POS = frozenset({"NOUN", "PROPN", "X", "SYM", "NUM"})
BEFORE_HEAD_POS = frozenset({"DET", "ADJ", "NUM", "ADV", "PRON"})
POSTMODIFIER_PREPOSITIONS = frozenset({"van", "na"})
COORDINATORS = frozenset({"en", "of"})
UNIT_REACH = 8  # tokens between "binnen" and its unit of time ("binnen de ... termijnen")
EVENT_REACH = 12  # tokens between "vóór <event>" and the date of the event ("... in 2031")
EVENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "DET", "ADP", "NUM", "X"})
# the words between "op"/"tijdens"/"tegen" and a meeting's noun ("zijn", "de Europese")
MEETING_POS = frozenset({"DET", "PRON", "ADJ", "PROPN", "ADP", "VERB"})
MEETING_REACH = 3


@dataclass(frozen=True)
class TimePhrase:
    start: int  # position in the sentence's tokens
    end: int  # exclusive
    texts: tuple[str, ...]  # the deadline(s) as written


@dataclass(frozen=True)
class DeadlineCues:
    before: frozenset[str]
    frames: tuple[tuple[str, ...], ...]
    within: frozenset[str]
    units: frozenset[str]
    until: frozenset[str]
    periods: frozenset[str]
    seasons: frozenset[str]
    ordinals: frozenset[str]
    events: frozenset[str]
    at: frozenset[str]
    relative: CueMatcher


@functools.lru_cache(maxsize=1)
def deadline_cues() -> DeadlineCues:
    rows = read_table(CUES_DIR / "deadlines.tsv")

    def kind(name: str) -> list[str]:
        return [r[0] for r in rows if r[1] == name]

    return DeadlineCues(
        before=frozenset(kind("before")),
        frames=tuple(tuple(f.lower().split()) for f in kind("frame")),
        within=frozenset(kind("within")),
        units=frozenset(kind("unit")),
        until=frozenset(kind("until")),
        periods=frozenset(kind("period")),
        seasons=frozenset(kind("season")),
        ordinals=frozenset(kind("ordinal")),
        events=frozenset(kind("event")),
        at=frozenset(kind("at")),
        relative=CueMatcher(parse_cues([[r, "DEADLINE"] for r in kind("relative")])),
    )


def _text(tokens: Sequence[Token], start: int, end: int) -> str:
    doc = tokens[0].doc
    return doc.text[tokens[start].idx : tokens[end - 1].idx + len(tokens[end - 1].text)]


def _noun_phrase_end(tokens: Sequence[Token], j: int, nested: bool = True) -> int:
    """End (exclusive) of the noun phrase from ``j``: determiners, adjectives and numerals, a
    head with the names and hyphenated parts after it, and one "van"/"na" phrase; 0-length
    (``j``) when no noun comes."""
    n = len(tokens)
    k = j
    while (
        k < n
        and (tokens[k].pos_ in BEFORE_HEAD_POS or tokens[k].dep_ == "amod")
        and not tokens[k].is_punct
    ):
        k += 1  # "de volgende", tagged a verb, modifies the noun
    if k >= n or tokens[k].pos_ not in ("NOUN", "PROPN"):
        return j
    head = k
    while k < n and (tokens[k].pos_ in NAME_POS or (tokens[k].text in ("-", "–") and k + 1 < n)):
        if tokens[k].pos_ == "NUM" and tokens[k].ent_type_ != "DATE" and k > j:
            break
        if k > head and tokens[k].pos_ == "NOUN" and tokens[k - 1].text not in ("-", "–"):
            # a common noun after the head begins the next phrase ("vóór de volgende
            # bijeenkomst proefleveringen van ... verzorgen": the object)
            break
        k += 1
    if nested and k < n and tokens[k].lower_ in POSTMODIFIER_PREPOSITIONS:
        inner = _noun_phrase_end(tokens, k + 1, nested=False)
        if inner > k + 1:
            k = inner
    return k


def _dates_in(dates: Sequence[tuple[int, int, str]], start: int, end: int) -> list[str]:
    return [text for a, b, text in dates if a >= start and b <= end]


def time_phrases(
    tokens: Sequence[Token], dates: Sequence[tuple[int, int, str]]
) -> list[TimePhrase]:
    """The sentence's phrases that bound an action in time (module docstring). ``dates``:
    (start, end, text) of its DATE entities, positions in ``tokens``."""
    if not tokens:
        return []
    cues = deadline_cues()
    out: list[TimePhrase] = []
    taken: set[int] = set()
    lowered = [t.lower_ for t in tokens]
    accepted_ends: set[int] = set()
    for a, b, text in dates:
        start = None
        meeting = _meeting(tokens, a, cues)
        if meeting is not None:
            start, first = meeting
            if lowered[start] not in cues.at:
                text = _text(tokens, first, b)  # "tegen de top van 2031" -> "top van 2031"
            out.append(TimePhrase(start, b, (text,)))
            taken |= set(range(start, b))
            accepted_ends.add(b)
            continue
        if a >= 2 and lowered[a - 1] == "van" and lowered[a - 2] in cues.seasons:
            # "in het voorjaar van 2029": the season with its year is the deadline, and the
            # words before the season decide whether it bounds the action
            a -= 2
            if a >= 1 and lowered[a - 1] in cues.ordinals:
                a -= 1  # "in de eerste helft van 2030"
            text = _text(tokens, a, b)
            if a >= 1 and lowered[a - 1] in closed_class("article"):
                a -= 1
        for frame in cues.frames:
            f = len(frame)
            if a >= f and tuple(lowered[a - f : a]) == frame:
                start = a - f
        prev = lowered[a - 1] if a > 0 else ""
        if (
            prev in cues.periods
            or lowered[a] in cues.periods
            or (a >= 2 and lowered[a - 2] in cues.periods)
        ):
            continue  # "voor de periode 2028-2034": a span funded or planned, not a deadline
        if start is None and prev in cues.before:
            after_noun = a >= 2 and tokens[a - 2].pos_ in ("NOUN", "PROPN")
            if not (prev == "voor" and after_noun):
                start = a - 1
        if start is None and prev in ("en", "of") and a - 1 in accepted_ends:
            start = a  # "in 2027 en 2028"
        if start is None:
            continue
        if start > 0 and lowered[start - 1] in cues.before and lowered[start - 1] != "voor":
            start -= 1  # "uiterlijk in maart 2028"
        out.append(TimePhrase(start, b, (text,)))
        taken |= set(range(start, b))
        accepted_ends.add(b)
    for k, word in enumerate(lowered):
        if k in taken:
            continue
        end = None
        if word in cues.until:
            end = _noun_phrase_end(tokens, k + 1)
        elif word == "tegen":
            # "tegen de volgende ministeriële bijeenkomst": a meeting bounds the action as
            # "vóór" does; "tegen die achtergrond" is no time
            end = _noun_phrase_end(tokens, k + 1)
            nouns = [t for t in tokens[k + 1 : end] if t.pos_ in ("NOUN", "PROPN")]
            if not nouns or nouns[0].lower_ not in cues.events:
                end = None
        elif word in cues.within:
            for u in range(
                k + 1, min(len(tokens), k + 1 + (UNIT_REACH if word == "binnen" else 4))
            ):
                if tokens[u].text in CLAUSE_END or tokens[u].is_punct:
                    break
                if lowered[u] in cues.units:
                    end = u + 1
                    if end < len(tokens) and lowered[end] in POSTMODIFIER_PREPOSITIONS:
                        end = max(end, _noun_phrase_end(tokens, end + 1))
                    break
        if end is None or end <= k + 1:
            continue
        dated = _dated_event(tokens, out, end) if word in cues.until else None
        if dated is not None:
            # "vóór de volgende ministeriële top in 2031": the event's date is the deadline
            out.remove(dated)
            out.append(TimePhrase(k, dated.end, dated.texts))
            taken |= set(range(k, dated.end))
            continue
        inside = _dates_in(dates, k, end)
        out.append(TimePhrase(k, end, tuple(inside) or (_text(tokens, k, end),)))
        taken |= set(range(k, end))
    for start, _cue, used in cues.relative.matches(tokens):
        end = max(used) + 1
        if not taken & set(range(start, end)):
            out.append(TimePhrase(start, end, (_text(tokens, start, end),)))
            taken |= set(range(start, end))
    return sorted(out, key=lambda p: p.start)


def _meeting(tokens: Sequence[Token], a: int, cues: DeadlineCues) -> tuple[int, int] | None:
    """For a date at ``a`` that dates a meeting opened by "op"/"tijdens"/"tegen" ("op zijn
    bijeenkomst van oktober 2029", "tegen de Europese Raad van december 2030"): the position
    of the preposition and of the meeting's first word after its article; None otherwise."""
    if a < 3 or tokens[a - 1].lower_ != "van" or tokens[a - 2].lower_ not in cues.events:
        return None
    k = a - 3
    while k >= 0 and a - 2 - k <= MEETING_REACH and tokens[k].pos_ in MEETING_POS:
        if tokens[k].lower_ in cues.at or tokens[k].lower_ == "tegen":
            break
        k -= 1
    if k < 0 or not (tokens[k].lower_ in cues.at or tokens[k].lower_ == "tegen"):
        return None
    first = k + 1
    while first < a - 2 and tokens[first].pos_ in ("DET", "PRON"):
        first += 1
    return k, first


def _dated_event(
    tokens: Sequence[Token], phrases: Sequence[TimePhrase], end: int
) -> TimePhrase | None:
    """The date phrase opened by "in" that dates the event of a "vóór" phrase ending at
    ``end``, when only the event's noun phrase and its attachments stand between them (no
    punctuation, no verb): "vóór de bijeenkomst van de Forumleiders in 2029"."""
    for phrase in phrases:
        if not end <= phrase.start <= end + EVENT_REACH or tokens[phrase.start].lower_ != "in":
            continue
        between = tokens[end : phrase.start]
        if all(t.pos_ in EVENT_POS and not t.is_punct for t in between):
            return phrase
    return None


def assign_deadlines(
    tokens: Sequence[Token],
    regions: list[int],
    verbs: Sequence[int],
    phrases: Sequence[TimePhrase],
) -> list[list[str]]:
    """The deadlines of each action (``verbs``: the actions' verb positions, in order)."""
    out: list[list[str]] = [[] for _ in verbs]
    for phrase in phrases:
        region = regions[phrase.start]
        k = next((n for n, v in enumerate(verbs) if v >= phrase.end and regions[v] == region), None)
        # the action right before the phrase, when no comma parts them and the phrase is not
        # inside the indirect question the action opens
        before = [n for n, v in enumerate(verbs) if v < phrase.start and regions[v] == region][-1:]
        if before and (
            any(tokens[j].text in CLAUSE_END for j in range(verbs[before[0]] + 1, phrase.start))
            or _opens_question(tokens, verbs[before[0]])
        ):
            before = []
        # a phrase at the front of the middle field, before the first action's object,
        # bounds the actions coordinated with it ("zullen tegen 2030 de spoorverbinding
        # moderniseren en de reistijd terugbrengen"); one right before its verb is inside the
        # first conjunct ("de trajecten uiterlijk in 2032 voltooien en ... indienen")
        shared = k is not None and _before_object(tokens, phrase.end, verbs[k])
        if k is not None and _conjunct_verb(tokens, verbs[k]):
            # a second conjunct ("Wij streven naar ... tegen 2032 en werken aan ...") is not
            # bounded by a phrase before its "en": the phrase is the first conjunct's, whose
            # verb stands before it, or else the next action's ("binnen twee jaar een
            # programma voor verpleegkundigen en leraren opzetten", "leraren" tagged a verb)
            later = [n for n in range(k + 1, len(verbs)) if regions[verbs[n]] == region]
            k = before[-1] if before else (later[0] if later else None)
            shared = False
        if k is None and before:
            k = before[-1]
        if k is None and region > 0 and _te_clause(tokens, regions, region):
            # a means or purpose clause of the action ("verdubbelen, onder meer door in 2018
            # een lab op te zetten"): its time bounds the action it serves
            before = [n for n, v in enumerate(verbs) if v < phrase.start]
            k = before[-1] if before else None
        if k is None:
            continue
        targets = [k]
        while shared and targets[-1] + 1 < len(verbs):
            # "tegen 2030 de spoorverbinding moderniseren en de reistijd terugbrengen": a
            # phrase before the first of two actions joined by "en" bounds both, unless the
            # second has a time phrase of its own
            v, w = verbs[targets[-1]], verbs[targets[-1] + 1]
            if not (v + 1 < len(tokens) and tokens[v + 1].lower_ in COORDINATORS):
                break
            if regions[w] != regions[v] or any(v < p.start < w for p in phrases):
                break
            if any(tokens[j].text in CLAUSE_END and tokens[j].text != "," for j in range(v, w)):
                break  # commas may set off a phrase inside the second conjunct
            targets.append(targets[-1] + 1)
        for n in targets:
            for text in phrase.texts:
                if text not in out[n]:
                    out[n].append(text)
    return out


def _before_object(tokens: Sequence[Token], end: int, v: int) -> bool:
    """Whether a noun stands between a time phrase ending at ``end`` and its verb at ``v``
    (the phrase precedes the action's object rather than standing next to its verb)."""
    return any(t.pos_ in ("NOUN", "PROPN") for t in tokens[end:v])


def _conjunct_verb(tokens: Sequence[Token], v: int) -> bool:
    """Whether the verb at ``v`` opens a coordinated clause ("... en werken aan ...")."""
    return v > 0 and tokens[v - 1].lower_ in COORDINATORS


def _opens_question(tokens: Sequence[Token], v: int) -> bool:
    """Whether the verb at ``v`` is followed by an indirect question ("verkennen of ..."):
    the time phrases inside it bound what is asked, not the inquiry."""
    return v + 1 < len(tokens) and tokens[v + 1].lower_ in closed_class("interrogative")


def _te_clause(tokens: Sequence[Token], regions: list[int], region: int) -> bool:
    """Whether a clause region is a te-clause ("om/door ... te V"; subordinators.tsv)."""
    first = regions.index(region)
    return lexicons().subordinators.get(tokens[first].lower_) == "te"
