"""Who pledges: the actors of a clause's subject, of a passive's "door X", of "wij" and
"de partners", and the rules for annex items, agentless passives and "zij"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ...scheme import ACTOR_SOURCES
from ...syntax import has_parse, has_tags
from ..cues import closed_class
from .lexicon import CLAUSE_END, PRONOUNS_THEY, lexicons
from .parties import DETERMINERS, Summit
from .verbs import is_finite_verb

JOINT = closed_class("joint")  # "samen", "gezamenlijk"

if TYPE_CHECKING:  # the type of an argument only: extraction imports this module
    from .extraction import SentenceInfo


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
    together: list[tuple[int, str]] = []
    for tok in tokens:
        role = words.get(tok.lower_)
        if role == "participants" and tok.lower_ in JOINT:
            # "samen" shows both sides only where nobody is named: "waarin Noorwegen en Japan
            # samen EUR 900 miljoen zullen storten" is Norway's and Japan's pledge
            together.extend((tok.i, k) for k in summit.participants)
        elif role == "participants":
            found.extend((tok.i, k) for k in summit.participants)
        elif role == "partners" and not any(tok.i < m.start <= tok.i + 4 for m in summit.mentions):
            groups = summit.partner_groups or (
                [summit.default_group] if summit.default_group else []
            )
            found.extend((tok.i, k) for k in groups)
    if not found:
        found = together
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
        if is_finite_verb(tokens[anchor])
        else next(
            (
                i
                for i in range(len(tokens))
                if regions[i] == region and i <= anchor and is_finite_verb(tokens[i])
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
        found = actors_in(before, summit, subject=True)
        if found:
            return found
    # the subject the parser finds, where the words next to the verb name nobody: a subject
    # whose apposition ends at the comma before the verb ("De Keniaanse minister van Handel,
    # Peter Kiprono, zal ...")
    return tree_subject_actors(tokens, fin, regions, summit)


SUBJECT_RELATIONS = ("nsubj", "nsubj:pass")
AUXILIARY_RELATIONS = ("aux", "aux:pass", "cop")


def tree_subject_actors(
    tokens: Sequence[Token], fin: int, regions: list[int], summit: Summit
) -> list[str]:
    """Actors of the subject the parser attaches to the clause of the finite verb at ``fin``
    (its own subject, or its main verb's where it is an auxiliary): the whole subject phrase,
    however long, with its apposition ("De Keniaanse minister van Handel, Peter Kiprono, zal
    ..."), where a window of words stops at a comma. Empty without a parse or where the
    subject names no actor."""
    if not tokens or not has_parse(tokens[0].doc):
        return []
    verb = tokens[fin]
    heads = [verb, verb.head] if verb.dep_ in AUXILIARY_RELATIONS else [verb]
    first = tokens[0].i
    in_clause = {t.i for j, t in enumerate(tokens) if regions[j] == regions[fin]}
    for head in heads:
        for child in head.children:
            if child.dep_ not in SUBJECT_RELATIONS or child.i not in in_clause:
                continue
            phrase = [t for t in child.subtree if t.i in in_clause and t.i - first < len(tokens)]
            found = actors_in(phrase, summit, subject=True)
            if found:
                return found
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


def passive_agent(tokens: Sequence[Token], summit: Summit) -> list[str]:
    """The agent of a passive: "door (de) X"."""
    for i, t in enumerate(tokens[:-1]):
        if t.lower_ == "door":
            found = actors_in(tokens[i + 1 : i + 6], summit)
            if found:
                return found
    return []


POSSESSIVES = closed_class("possessive")
FIRST_PERSON = closed_class("first_person") | closed_class("joint")


# where a record's actors come from (the commitments table's actor_source; defined in the
# scheme): named in the sentence (or its lead-in, or "zij"/"hij" for one just named); "wij",
# "onze", "samen", "de partners", or nobody named: the declaring parties; an annex action item:
# the summit's participants; an agentless passive: the authors, or all participants
MENTION, GROUP, ANNEX, PASSIVE = ACTOR_SOURCES


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


def resolve_actors(
    tokens,
    regions,
    marker,
    pledges,
    summit: Summit,
    previous_actors: list[str],
    reported_noun: bool,
    info: SentenceInfo,
) -> tuple[list[str], str]:
    """Who pledges (see the package docstring, step 3), and where the actors come from
    (``actor_source``): MENTION, GROUP, ANNEX or PASSIVE."""
    first = pledges[0].verb_index
    words = {t.lower_ for t in tokens}
    if reported_noun:
        # "het voornemen / de toezegging van X om ...": X, up to the clause X's pledge opens
        m = marker[0]
        stop = next((j for j in range(m + 1, len(tokens)) if regions[j] != regions[m]), len(tokens))
        found = actors_in(tokens[m + 1 : min(stop, first)], summit)
        if found:
            return found, MENTION
        if m > 0 and tokens[m - 1].lower_ in POSSESSIVES:
            # "Wij zijn de Commissie erkentelijk voor haar toezegging om ...": the pledge of
            # the party just named
            named = [k for k in actors_in(tokens[:m], summit) if k not in summit.speakers]
            if named:
                return named[-1:], MENTION
    if pledges[0].kind == "part":
        # a passive: its grammatical subject is what is pledged, not who pledges
        agent = passive_agent(tokens, summit)
        if agent:
            return agent, MENTION
        if info.in_annex:
            return annex_actors(summit), ANNEX
        if words & FIRST_PERSON:
            return list(summit.participants), PASSIVE
        return summit.unnamed_actors(), PASSIVE
    anchor = marker[0] if marker is not None else first
    if regions[anchor] > 0 and words & PRONOUNS_THEY:
        # "dat zij ... zullen": the non-author actors just named, here or in the sentence before
        named = actors_in(tokens[:anchor], summit)
        others = [k for k in named if k not in summit.speakers]
        if not others:
            others = [k for k in previous_actors if k not in summit.speakers]
        if others:
            return others, MENTION
    if regions[anchor] == 0 and (
        tokens[0].lower_ == "hij" or (len(tokens) > 2 and tokens[1].lower_ == "hij")
    ):
        if previous_actors:
            return previous_actors[:1], MENTION
    clause = [t for j, t in enumerate(tokens[:anchor]) if regions[j] == regions[anchor]]
    others = other_participants(clause, summit, previous_actors)
    if others:
        return others, GROUP
    subj = subject_actors(tokens, anchor, regions, summit)
    if subj:
        source = MENTION if _named(tokens, summit, subj) else GROUP
        return subj + [
            k for k in _companions(tokens, anchor, regions, summit) if k not in subj
        ], source
    if marker is not None and regions[marker[0]] > 0:
        named = actors_in(tokens[: marker[0]], summit)
        others = [k for k in named if k not in summit.speakers]
        if others:
            return others[-1:], MENTION
    if words & FIRST_PERSON:
        return list(summit.participants), GROUP
    return summit.unnamed_actors(), GROUP


def other_participants(
    before: Sequence[Token], summit: Summit, previous_actors: Sequence[str]
) -> list[str]:
    """The participants the sentence before did not name, where the subject is "de overige
    ministers" or "de andere partijen" (actors.tsv, role other_participants): "Noorwegen en
    Denemarken hebben ... afgerond. De overige ministers zullen ... herzien" commits the rest."""
    words = lexicons().actor_words
    for tok, nxt in zip(before, before[1:]):
        if words.get(tok.lower_) == "other_participants" and words.get(nxt.lower_) in (
            "participants",
            "government",
        ):
            named = set(previous_actors) & set(summit.participants)
            rest = [k for k in summit.participants if k not in named]
            if named and rest:
                return rest
    return []


def _named(tokens, summit: Summit, keys: list[str]) -> bool:
    """Whether every key is an actor mention inside the sentence (not "wij", "de partners")."""
    lo, hi = tokens[0].i, tokens[-1].i + 1
    inside = {m.key for m in summit.mentions if m.start >= lo and m.end <= hi}
    return all(k in inside for k in keys)
