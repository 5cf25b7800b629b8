"""Clause regions of a sentence: which tokens belong to the main clause and which to a
subordinate (purpose, means, relative, content) clause."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from ...syntax import has_tags
from ..cues import closed_class
from .lexicon import CLAUSE_END, lexicons
from .verbs import is_finite_verb

OPENS_AFTER = frozenset({","}) | closed_class("clause_opening")
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
        if current and is_finite_verb(tok):
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
