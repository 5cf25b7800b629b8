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
   met de leiders van onze partners van de Westelijke Balkan"). Agentless passives commit the
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import doc as _doc  # noqa: F401  (registers the extension attributes)
from ..syntax import has_tags, lemma, particle_of, verb_lemma
from .speech import (CUES_DIR, Cue, CueMatcher, find_cues, parse_cues, read_table,
                     sentence_contexts, token_keys)

log = logging.getLogger(__name__)

ACTOR_LABELS = ("ORG", "GPE", "LOC", "PERSON", "NORP")
STRENGTH_ORDER = ("weak", "moderate", "strong")
CLAUSE_END = {",", ";", ":", "(", ")", "–", "—"}
PRONOUNS_THEY = {"zij", "ze"}
# "zullen", "worden" ... never are the pledged action themselves
AUX_LEMMAS = frozenset({"zullen", "worden", "zijn", "hebben", "kunnen", "mogen", "moeten",
                        "dienen", "willen", "blijven", "gaan", "laten"})
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
    parents: dict
    subordinators: dict  # word -> kind


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
    groups = {}
    for row in read_table(CUES_DIR / "partner_groups.tsv"):
        groups[row[0]] = (tuple(row[1].split(",")), tuple(row[2].split(",")))
    return Lexicons(
        strength_markers=tuple(markers),
        marker_matcher=CueMatcher([c for c, _s in markers]),
        reported_nouns=reported,
        action_strength={row[0]: row[1] for row in read_table(CUES_DIR / "action_verbs.tsv")},
        light_verbs=light,
        conditions=CueMatcher(parse_cues([[r[0], "CONDITION"] for r in
                                          read_table(CUES_DIR / "conditions.tsv")])),
        actor_words={row[0]: row[1] for row in read_table(CUES_DIR / "actors.tsv")},
        partner_groups=groups,
        parents={row[0]: row[1] for row in read_table(CUES_DIR / "actor_parents.tsv")},
        subordinators={row[0]: row[1] for row in read_table(CUES_DIR / "subordinators.tsv")},
    )


# --------------------------------------------------------------------------------------------
# who speaks: authors and participants from the preamble


@dataclass
class Summit:
    """The declaring parties of one document."""

    authors: list[str] = field(default_factory=lambda: ["eu"])
    participants: list[str] = field(default_factory=lambda: ["eu"])
    partner_groups: list[str] = field(default_factory=list)
    mentions: list = field(default_factory=list)  # the document's actor Mentions


def _entity_keys(span: Span) -> list[tuple[Span, str]]:
    return [(e, e.kb_id_) for e in span.ents if e.kb_id_ and e.label_ in ACTOR_LABELS
            and not e.kb_id_.startswith("city:")]


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
    return any(t.lower_ == "partners" for t in ent.doc[start:ent.start])


def _normalise_keys(keys: list[str], collapse_members: bool, parents: bool) -> list[str]:
    """Map member countries to their group when two or more are named; institutions to their
    parent party (preamble only); keep first-mention order, no duplicates."""
    lex = lexicons()
    out: list[str] = []
    groups_named = {}
    for k in keys:
        g = _group_of_member(k)
        if g:
            groups_named[g] = groups_named.get(g, 0) + 1
    for k in keys:
        g = _group_of_member(k)
        if collapse_members and g and groups_named[g] >= 2:
            k = g
        if parents:
            k = lex.parents.get(k, k)
        if k not in out:
            out.append(k)
    return out


PREAMBLE_WITH = ("in overleg met", "bijeengekomen", "samen met", "met de leiders van",
                 "in aanwezigheid van", "op uitnodiging van")


def summit_of(doc: Doc) -> Summit:
    """Authors: the parties named in the preamble's "Wij, de leiders van ..." before any
    "in overleg met" / "met de leiders van onze partners"; participants: the authors and the
    partner groups named after it ("partners van de Westelijke Balkan")."""
    segments = list(doc.spans["segments"]) if "segments" in doc.spans else []
    preamble = next((s for s in segments if s._.kind == "preamble"), None)
    if preamble is None:
        return Summit(mentions=actor_mentions(doc))
    text = preamble.text.lower()
    cut = min([text.find(p) for p in PREAMBLE_WITH if p in text] or [len(text)])
    cut_char = preamble.start_char + cut
    author_keys, other_keys = [], []
    for ent, key in _entity_keys(preamble):
        group = _group_of_region(key)
        if group and _preceded_by_partners(ent):
            key = group
        elif group:  # a region named on its own is a place, not a party
            continue
        (author_keys if ent.start_char < cut_char else other_keys).append((ent, key))
    authors = _normalise_keys([k for _e, k in author_keys], True, True) or ["eu"]
    others = [k for k in _normalise_keys([k for _e, k in other_keys], True, True)
              if k in lexicons().partner_groups]
    participants = authors + [k for k in others if k not in authors]
    groups = [k for k in participants if k in lexicons().partner_groups]
    return Summit(authors, participants, groups, actor_mentions(doc))


# --------------------------------------------------------------------------------------------
# clauses


def clause_regions(tokens: Sequence[Token]) -> list[int]:
    """Region id per token: 0 for the main clause, k > 0 for the k-th subordinate clause.

    A subordinate clause runs from its subordinator to the next clause-ending punctuation (or
    the sentence end). "om/door/teneinde/zonder" open one only when "te" follows before that
    punctuation; "dat" at the start of a sentence is a demonstrative, not a conjunction.
    """
    subs = lexicons().subordinators
    regions = [0] * len(tokens)
    current, n = 0, 0
    for i, tok in enumerate(tokens):
        word = tok.lower_
        if tok.text in CLAUSE_END:
            current = 0
            regions[i] = 0
            continue
        kind = subs.get(word)
        if kind and current == 0 and i > 0:
            opens = True
            if kind == "te":
                opens = False
                for nxt in tokens[i + 1:]:
                    if nxt.text in CLAUSE_END:
                        break
                    if nxt.lower_ == "te":
                        opens = True
                        break
            if opens:
                n += 1
                current = n
        regions[i] = current
    return regions


def _is_action_verb(tok: Token) -> bool:
    if lemma(tok) in AUX_LEMMAS or tok.lower_ in AUX_LEMMAS:
        return False
    if has_tags(tok.doc):
        if tok.pos_ != "VERB":
            return False
        form = tok.morph.get("VerbForm")
        return not form or "Inf" in form or "Part" in form or "Ger" in form
    prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    return tok.is_alpha and tok.is_lower and (prev == "te" or tok.lower_.endswith("en")
                                              and lemma(tok) == tok.lower_)


def _is_finite_verb(tok: Token) -> bool:
    if has_tags(tok.doc):
        return tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm")
    return False


# --------------------------------------------------------------------------------------------
# actions


def light_verb_action(verb: Token, tokens: Sequence[Token], index: int) -> tuple[str, int] | None:
    """(action, complement index) when ``verb`` is the light verb of a phrase whose complement
    stands within the six words before it ("uitvoering te geven", "nadruk zal worden gelegd")."""
    options = lexicons().light_verbs.get(lemma(verb))
    if not options:
        return None
    for j in range(index - 1, max(-1, index - 7), -1):
        word = tokens[j]
        if word.text in CLAUSE_END:
            break
        for comp, action in options:
            if lemma(word) == comp or word.lower_ == comp:
                return action, j
    # adjective + maken/stellen: "energiezuiniger maken", "beschikbaar stellen"
    if lemma(verb) in ("maken", "stellen") and index > 0:
        prev = tokens[index - 1]
        if prev.lower_ == "te" and index > 1:
            prev = tokens[index - 2]
        if has_tags(verb.doc) and prev.pos_ == "ADJ":
            return f"{prev.lower_} {lemma(verb)}", prev.i - tokens[0].i
    return None


def action_of(verb: Token, tokens: Sequence[Token], index: int) -> tuple[str, set[int]]:
    """The action for a verb and the token indices (within ``tokens``) it uses."""
    light = light_verb_action(verb, tokens, index)
    if light:
        return light[0], {index, light[1]}
    used = {index}
    prt = particle_of(verb)
    if prt is not None:
        used.add(prt.i - tokens[0].i)
    return verb_lemma(verb), used


# --------------------------------------------------------------------------------------------
# actors


@dataclass(frozen=True)
class Mention:
    """An entity that can act: token offsets and its actor key (regions named after "partners"
    already turned into their partner group; places and cities left out)."""

    start: int
    end: int
    key: str


def actor_mentions(doc: Doc) -> list[Mention]:
    """Every actor mention of the document, computed once per document."""
    out = []
    for ent in doc.ents:
        key = ent.kb_id_
        if ent.label_ not in ACTOR_LABELS or not key or key.startswith("city:"):
            continue
        group = _group_of_region(key)
        if group:
            if not _preceded_by_partners(ent):
                continue
            key = group
        out.append(Mention(ent.start, ent.end, key))
    return out


def actors_in(tokens: Sequence[Token], summit: Summit) -> list[str]:
    """Actor keys named in a stretch of tokens, in reading order: entities, "wij"/"samen"/
    "onze" (participants), "de partners" not followed by a region (the partner groups)."""
    if not tokens:
        return []
    lo, hi = tokens[0].i, tokens[-1].i + 1
    words = lexicons().actor_words
    found: list[tuple[int, str]] = []
    for m in summit.mentions:
        if m.start >= lo and m.end <= hi:
            found.append((m.start, m.key))
    for tok in tokens:
        role = words.get(tok.lower_)
        if role == "participants":
            found.extend((tok.i, k) for k in summit.participants)
        elif role == "partners" and not any(tok.i < m.start <= tok.i + 4
                                            for m in summit.mentions):
            found.extend((tok.i, k) for k in summit.partner_groups)
    out: list[str] = []
    for _i, k in sorted(found, key=lambda x: x[0]):
        if k not in out:
            out.append(k)
    return out


def _trim_to_clause(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """The part of tokens[start:end] after its last clause-ending punctuation."""
    for j in range(end - 1, start - 1, -1):
        if tokens[j].text in CLAUSE_END:
            return j + 1, end
    return start, end


def subject_actors(tokens: Sequence[Token], anchor: int, regions: list[int],
                   summit: Summit) -> list[str]:
    """Actors of the subject of the clause whose finite verb is at or before ``anchor``.

    Dutch is verb-second: the subject stands before the finite verb ("De EU zal ...") or right
    after it when something else comes first ("Via ... zal de EU ...", "... beloven wij").
    """
    region = regions[anchor]
    # the finite verb of the marker's clause: the first finite verb of that region up to anchor
    fin = next((i for i in range(len(tokens)) if regions[i] == region and i <= anchor
                and _is_finite_verb(tokens[i])), anchor)
    start = next((i for i in range(fin, -1, -1) if regions[i] != region), -1) + 1
    a, b = _trim_to_clause(tokens, start, fin)
    before = [t for t in tokens[a:b] if regions[t.i - tokens[0].i] == region]
    subs = lexicons().subordinators
    if before and before[0].lower_ in subs:
        before = before[1:]
    if before and not (has_tags(before[0].doc) and before[0].pos_ == "ADP"):
        found = actors_in(before, summit)
        if found:
            return found
    after = []
    for t in tokens[fin + 1: fin + 8]:
        if t.text in CLAUSE_END or (has_tags(t.doc) and t.pos_ in ("VERB", "ADP")
                                    and t.lower_ != "van"):
            break
        after.append(t)
    found = actors_in(after, summit)
    if found:
        return found
    if before:
        return actors_in(before, summit)
    return []


def _passive_agent(tokens: Sequence[Token], summit: Summit) -> list[str]:
    for i, t in enumerate(tokens[:-1]):
        if t.lower_ == "door":
            found = actors_in(tokens[i + 1: i + 5], summit)
            if found:
                return found
    return []


def _is_passive(tokens: Sequence[Token], verb_index: int) -> bool:
    return any(lemma(t) == "worden" or t.lower_ in ("wordt", "worden", "werd", "werden")
               for t in tokens) and (
        not has_tags(tokens[0].doc) or "Part" in tokens[verb_index].morph.get("VerbForm"))


# --------------------------------------------------------------------------------------------
# extraction


@dataclass
class Pledge:
    verb_index: int
    action: str
    used: set[int]


def find_marker(keys, regions=None) -> tuple[int, str, Cue] | None:
    """(token index, strength, cue) of the pledge marker: weak markers first, then moderate,
    then strong; among markers of one strength the earliest."""
    lex = lexicons()
    strength_of = {}
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
    if marker is None:
        return set()
    i, _s, cue = marker
    n_items = len([x for x in cue.items if x != "..."])
    out, j = {i}, i + 1
    for item in cue.items[1:]:
        if item == "...":
            continue
        while j < len(keys) and item not in keys[j]:
            j += 1
        if j < len(keys):
            out.add(j)
    del n_items
    return out


def pledged_verbs(tokens: Sequence[Token], regions: list[int], allowed: set[int],
                  skip: set[int], after: int) -> list[Pledge]:
    """Action verbs in the allowed clause regions from token ``after`` on, coordinated verbs
    that share one object merged into the first."""
    found: list[Pledge] = []
    taken: set[int] = set()
    for i, tok in enumerate(tokens):
        if i < after or regions[i] not in allowed or i in skip or i in taken:
            continue
        if not _is_action_verb(tok):
            continue
        action, used = action_of(tok, tokens, i)
        taken |= used
        if found and _shares_object(tokens, found[-1].verb_index, i, used):
            continue
        found.append(Pledge(i, action, used))
    return found


def _shares_object(tokens: Sequence[Token], prev: int, cur: int, used: set[int]) -> bool:
    """"versterken en te intensiveren", "verdiepen en verbreden": nothing but "en", "te",
    particles and adverbs between two verbs."""
    between = [t for j, t in enumerate(tokens[prev + 1:cur], start=prev + 1) if j not in used]
    if not between or not any(t.lower_ in ("en", "of") for t in between):
        return False
    for t in between:
        if t.lower_ in ("en", "of", "te", ",") or (has_tags(t.doc) and t.pos_ == "ADV"):
            continue
        return False
    return True


def object_text(tokens: Sequence[Token], regions: list[int], pledge: Pledge, start: int,
                passive: bool) -> str:
    """The words the action governs: in Dutch (verb-final) the stretch before the verb, from
    the clause start, the marker or the previous action; for a passive, the subject."""
    lo = start
    for j in range(pledge.verb_index - 1, start - 1, -1):
        if tokens[j].text in (";", ":") or regions[j] != regions[pledge.verb_index]:
            lo = j + 1
            break
    words = [t for j, t in enumerate(tokens[lo:pledge.verb_index], start=lo)
             if j not in pledge.used and t.lower_ != "te"
             and not (has_tags(t.doc) and t.pos_ in ("ADV", "AUX"))
             and lemma(t) not in AUX_LEMMAS]
    while words and (words[0].is_punct or words[0].lower_ in ("en", "of")):
        words = words[1:]
    while words and words[-1].is_punct:
        words = words[:-1]
    if passive and not words:
        return ""
    return " ".join(t.text for t in words).replace(" ,", ",")


def _strength(marker, action: str, item: bool) -> str:
    if marker is not None and not item:
        return marker[1]
    return lexicons().action_strength.get(action, "strong")


def _conditional(keys) -> bool:
    return bool(find_cues(keys, lexicons().conditions))


def _dates(sent: Span, tokens: Sequence[Token], pledges: list[Pledge]) -> list[list[str]]:
    dates: list[list[str]] = [[] for _ in pledges]
    if not pledges:
        return dates
    base = tokens[0].i
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        k = next((n for n, p in enumerate(pledges) if p.verb_index + base >= ent.start),
                 len(pledges) - 1)
        dates[k].append(ent.text)
    return dates


@dataclass
class SentenceInfo:
    act: str | None
    kind: str
    segment_id: str
    in_annex: bool


def extract_commitments(sent: Span, info: SentenceInfo, summit: Summit,
                        previous_actors: list[str], lead_in_actors: list[str] | None = None
                        ) -> list[dict]:
    """The commitment records of one sentence (empty for sentences that pledge nothing)."""
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return []
    keys = token_keys(tokens)
    regions = clause_regions(tokens)
    marker = find_marker(keys, regions)
    item = info.kind == "bullet" and info.act == "COMMITMENT"
    reported_cue = marker is not None and marker[2].items[0] in lexicons().reported_nouns

    if item:
        allowed, after, actors = {0}, 0, lead_in_actors or summit.participants
    elif info.act == "COMMITMENT" or (info.act in REPORTING_CUES and marker is not None and (
            reported_cue or regions[marker[0]] > 0)):
        if marker is None:
            allowed, after = {0}, 0
        else:
            m = marker[0]
            allowed, after = {regions[m]}, m
            # the clause the marker opens: "om ... te V", "dat zij ... zullen V"
            nxt = next((j for j in range(m + 1, min(len(tokens), m + 8))
                        if regions[j] != regions[m]), None)
            if nxt is not None and regions[nxt] > 0:
                allowed.add(regions[nxt])
        actors = []
    else:
        return []

    skip = _marker_tokens(keys, marker) if not item else set()
    pledges = pledged_verbs(tokens, regions, allowed, skip, after)
    if not pledges and marker is not None and info.act == "COMMITMENT":
        # performative present ("stelt de EU ... beschikbaar", "nemen wij ... aan")
        pledges = _finite_actions(tokens, regions, skip)
    if not pledges and not item and info.act == "COMMITMENT":
        pledges = _finite_actions(tokens, regions, skip)
    if not pledges:
        return []

    if not item:
        actors = _resolve_actors(tokens, regions, marker, pledges, summit, previous_actors,
                                 reported_cue)
    conditional = _conditional(keys)
    dates = _dates(sent, tokens, pledges)
    records = []
    for n, p in enumerate(pledges):
        passive = _is_passive(tokens, p.verb_index)
        start = after if marker is not None and not item else 0
        if n > 0:
            start = pledges[n - 1].verb_index + 1
        obj = object_text(tokens, regions, p, start, passive)
        if passive and not obj:
            fin = next((i for i, t in enumerate(tokens) if lemma(t) in AUX_LEMMAS), 0)
            obj = " ".join(t.text for t in tokens[:fin])
        records.append({
            "actors": list(actors),
            "action": p.action,
            "object": obj,
            "strength": _strength(marker, p.action, item),
            "conditional": conditional,
            "reported": not any(a in summit.authors for a in actors),
            "dates": dates[n],
        })
    return records


def _finite_actions(tokens, regions, skip) -> list[Pledge]:
    out = []
    for i, tok in enumerate(tokens):
        if regions[i] != 0 or i in skip or not has_tags(tok.doc):
            continue
        if tok.pos_ == "VERB" and "Fin" in tok.morph.get("VerbForm") \
                and lemma(tok) not in AUX_LEMMAS:
            action, used = action_of(tok, tokens, i)
            out.append(Pledge(i, action, used))
            break
    return out


def _resolve_actors(tokens, regions, marker, pledges, summit: Summit,
                    previous_actors: list[str], reported_cue: bool) -> list[str]:
    first = pledges[0].verb_index
    if reported_cue:
        # "het voornemen/aanbod/de toezegging van X om ..."
        m = marker[0]
        found = actors_in(tokens[m + 1: first], summit)
        if found:
            return found
    anchor = marker[0] if marker is not None else first
    words = {t.lower_ for t in tokens}
    if _is_passive(tokens, first):
        agent = _passive_agent(tokens, summit)
        if agent:
            return agent
        if words & {"samen", "ons", "onze", "gezamenlijk", "wij", "we"}:
            return list(summit.participants)
        subj = subject_actors(tokens, anchor, regions, summit)
        return subj or summit.authors[:1]
    subj = subject_actors(tokens, anchor, regions, summit)
    region_words = {t.lower_ for i, t in enumerate(tokens) if regions[i] == regions[anchor]
                    and i <= anchor}
    if region_words & PRONOUNS_THEY or (not subj and (words & PRONOUNS_THEY)):
        # "zij" in a reported clause: the non-author actors just named
        named = actors_in(tokens[:anchor], summit)
        others = [k for k in named if k not in summit.authors]
        if not others:
            others = [k for k in previous_actors if k not in summit.authors]
        if others:
            return others
    if subj:
        return subj
    if marker is not None and regions[marker[0]] > 0:
        named = actors_in(tokens[:marker[0]], summit)
        others = [k for k in named if k not in summit.authors]
        if others:
            return others[-1:]
    if words & {"wij", "we", "ons", "onze", "samen"}:
        return list(summit.participants)
    return summit.authors[:1]


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
        lead_in: dict[str, list[str]] = {}
        for sent, ctx in zip(sentences, contexts):
            info = SentenceInfo(sent._.speech_act, ctx.kind, sent._.segment_id or "",
                                ctx.in_annex)
            parent = info.segment_id.rsplit(".b", 1)[0] if ".b" in info.segment_id else None
            records = extract_commitments(sent, info, summit, previous,
                                          lead_in.get(parent) if parent else None)
            sent._.commitments = records
            tokens = [t for t in sent if not t.is_space]
            named = actors_in(tokens, summit)
            if named:
                previous = named
            if ctx.lead_in and ctx.index == ctx.n_in_segment - 1:
                lead_in[info.segment_id] = _lead_in_actors(tokens, summit)
        return doc


def _lead_in_actors(tokens, summit: Summit) -> list[str]:
    """The actors of a point's lead-in to its list ("verbinden de EU en haar partners zich
    ertoe:"), or the participants."""
    if not tokens:
        return list(summit.participants)
    regions = clause_regions(tokens)
    keys = token_keys(tokens)
    marker = find_marker(keys, regions)
    if marker is None:
        return list(summit.participants)
    found = subject_actors(tokens, marker[0], regions, summit)
    return found or list(summit.participants)


@Language.factory("commitments")
def make_commitment_extractor(nlp: Language, name: str):
    return CommitmentExtractor()


def add_commitment_component(nlp: Language, models_dir: Path) -> None:
    """The extractor is rules over data files: models_dir is not needed (kept for the common
    signature of the stage adders)."""
    nlp.add_pipe("commitments")


# --------------------------------------------------------------------------------------------
# scoring


def _actor_set(record: dict) -> frozenset:
    return frozenset(record.get("actors") or [])


def score_commitments(pairs: Sequence[tuple[list[dict], list[dict]]]) -> dict:
    """Score predicted records against gold, sentence by sentence.

    ``pairs``: one (gold_records, predicted_records) per sentence. Each gold record is matched
    to at most one predicted record of the same sentence with exactly the gold actor set,
    preferring one with the same action. Returns the share of gold records matched ("found"),
    strength accuracy on the matched, action / conditional / reported agreement on the matched,
    and precision (share of predicted records that match a gold record).
    """
    n_gold = n_pred = found = strength_ok = action_ok = cond_ok = rep_ok = 0
    for gold, pred in pairs:
        n_gold += len(gold)
        n_pred += len(pred)
        free = list(range(len(pred)))
        for g in gold:
            candidates = [j for j in free if _actor_set(pred[j]) == _actor_set(g)]
            if not candidates:
                continue
            same_action = [j for j in candidates if pred[j].get("action") == g.get("action")]
            j = (same_action or candidates)[0]
            free.remove(j)
            p = pred[j]
            found += 1
            strength_ok += p.get("strength") == g.get("strength")
            action_ok += p.get("action") == g.get("action")
            cond_ok += bool(p.get("conditional")) == bool(g.get("conditional"))
            rep_ok += bool(p.get("reported")) == bool(g.get("reported"))

    def share(a, b):
        return a / b if b else 0.0

    return {
        "n_gold": n_gold,
        "n_predicted": n_pred,
        "found": found,
        "found_share": share(found, n_gold),
        "precision": share(found, n_pred),
        "strength_accuracy": share(strength_ok, found),
        "action_agreement": share(action_ok, found),
        "conditional_agreement": share(cond_ok, found),
        "reported_agreement": share(rep_ok, found),
    }
