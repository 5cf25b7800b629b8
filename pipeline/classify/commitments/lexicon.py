"""The commitment extractor's data: cue lexicons of pipeline/data/cues/ and the Dutch
closed-class words of pipeline/data/closed_class/, read once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ...scheme import ACTOR_LABELS as KEYED_LABELS
from ...scheme import STRENGTHS as STRENGTH_ORDER  # weakest first
from ..cues import CUES_DIR, Cue, CueMatcher, closed_class, parse_cues, read_table

# the labels of a mention that can name a committing party: the keyed ones, and people
ACTOR_LABELS = (*KEYED_LABELS, "PERSON", "NORP")
CLAUSE_END = {",", ";", ":", "–", "—"}  # not brackets: "dat de EIB (...) heeft toegezegd"
PRONOUNS_THEY = closed_class("they")
# "zullen", "worden" ... never are the pledged action themselves
AUX_LEMMAS = closed_class("auxiliary")
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
    country_adjectives: dict  # lower-case adjective -> country key ("canadese" -> CAN)
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
        country_adjectives={
            form.strip().lower(): row[0]
            for row in read_table(CUES_DIR / "country_adjectives.tsv")
            for form in row[1].split("|")
        },
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
