"""Cue phrases (pipeline/data/cues/*.tsv) found in a sentence with spaCy's ``Matcher``.

A cue is a sequence of lowercase items (see pipeline/data/cues/README.md): an item matches a
token whose lowercase text or lemma is one of its ``a|b`` alternatives, ``x*`` one that starts
with ``x``, and ``...`` lets up to ``GAP`` tokens pass ("juicht de EU ... toe"). Each cue is one
``Matcher`` pattern; the gap is the quantifier ``{0,8}``.

Text and lemma are tried at once: the Matcher runs over the *cue view* of the tokens, a Doc
whose every word is one token's cue text (its lowercase text and lowercase lemma, joined by
a tab), and each item is a lexeme flag of the view's vocab (``Vocab.add_flag``: the item's
regular expression, run once per distinct cue text, then checked by the Matcher natively).
A vocab holds 17 usable flags, so a lexicon is cut into groups of cues, one Matcher each.
Patterns over getter extensions (``token._``) called the getter and spaCy's extension
machinery once per token and item: about 70 % of all NLP time (issue #19).

The speech-act classifier (features, cue baseline) and the commitment extractor (pledge
markers, conditions) share this module.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..syntax import lemma

CUES_DIR = Path(__file__).resolve().parents[1] / "data" / "cues"
GAP = 8  # tokens a "..." in a cue pattern may skip
# the lexeme flag bits a Matcher pattern may name: those of spaCy's IS_* attributes (a private
# vocab sets none of them; 13 is IS_OOV_DEPRECATED, which patterns refuse, as FLAG19-63)
FLAG_BITS = tuple(b for b in range(1, 19) if b != 13)
FLAGS = len(FLAG_BITS)


def cue_text(token: Token) -> str:
    """What a cue item is compared with: the lowercase text and the lowercase lemma, as one
    string (tokens hold no tab: the tokenizer splits on whitespace)."""
    return f"{token.lower_}\t{lemma(token)}"


@dataclass(frozen=True)
class Cue:
    items: tuple[str, ...]  # lowercase items, "..." for a gap, "x*" for a prefix
    label: str
    note: str = ""

    @property
    def name(self) -> str:
        return " ".join(self.items)


def read_table(path: Path) -> list[list[str]]:
    """Rows of a tab-separated data file, without comment lines (``#``) and blank lines."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([c.strip() for c in line.split("\t")])
    return rows


def parse_cues(rows: Iterable[Sequence[str]]) -> list[Cue]:
    return [
        Cue(tuple(row[0].lower().split()), row[1], row[2] if len(row) > 2 else "") for row in rows
    ]


@functools.cache
def load_cues(name: str = "speech_act_cues.tsv") -> tuple[Cue, ...]:
    return tuple(parse_cues(read_table(CUES_DIR / name)))


def item_regex(item: str) -> re.Pattern:
    """One item over a cue text: one of its alternatives is the whole text or the whole lemma
    (``\\Z``, not ``$``, which would also match before a final newline), or, for ``x*``, starts
    with ``x``."""
    alternatives = item.split("|")
    prefixes = [a[:-1] for a in alternatives if a.endswith("*") and len(a) > 1]
    if prefixes:
        exact = [re.escape(a) for a in alternatives if a[:-1] not in prefixes]
        choices = [re.escape(p) + r"[^\t]*" for p in prefixes] + exact
        return re.compile(r"(^|\t)(" + "|".join(choices) + r")(\t|$)")
    choices = [re.escape(a) for a in alternatives]
    return re.compile(r"(?:^|\t)(?:" + "|".join(choices) + r")(?:\t|\Z)")


def cue_pattern(cue: Cue, flags: dict[str, int]) -> list[dict]:
    """The Matcher pattern of one cue: each item the lexeme flag ``flags[item]``."""
    pattern: list[dict] = []
    for item in cue.items:
        if item == "...":
            pattern.append({"OP": f"{{0,{GAP}}}"})
        else:
            pattern.append({flags[item]: True})
    return pattern


def _item_test(regex: re.Pattern) -> Callable[[str], bool]:
    """A flag getter: whether a cue text satisfies the item."""
    return lambda text: regex.search(text) is not None


class _Group:
    """Cues whose items fit in the lexeme flags of one vocab: a Matcher over cue views."""

    def __init__(self, cues: list[tuple[int, Cue]]):
        # its own vocab: the cue texts of the views are not the pipeline's words
        self.vocab = Vocab()
        self.flags: dict[str, int] = {}
        for _n, cue in cues:
            for item in cue.items:
                if item != "..." and item not in self.flags:
                    self.flags[item] = self.vocab.add_flag(
                        _item_test(item_regex(item)), FLAG_BITS[len(self.flags)]
                    )
        self.matcher = Matcher(self.vocab)
        for n, cue in cues:
            self.matcher.add(str(n), [cue_pattern(cue, self.flags)])
        self.index = {self.vocab.strings[str(n)]: n for n, _cue in cues}
        self.cues = [cue for _n, cue in cues]

    def __call__(self, words: list[str]) -> list[tuple[int, int, int, list[int]]]:
        """(cue number, start, end, alignment) of every match over the cue texts ``words``."""
        found = cast(
            list[tuple[int, int, int, list[int]]],
            self.matcher(Doc(self.vocab, words=words), with_alignments=True),
        )
        return [(self.index[key], start, end, align) for key, start, end, align in found]


def _groups(cues: Sequence[Cue]) -> list[_Group]:
    """The cues in lexicon order, cut into groups of at most FLAGS distinct items."""
    groups: list[list[tuple[int, Cue]]] = [[]]
    items: set[str] = set()
    for n, cue in enumerate(cues):
        new = {it for it in cue.items if it != "..."} - items
        if len(items) + len(new) > FLAGS and groups[-1]:
            groups.append([])
            items = set()
            new = {it for it in cue.items if it != "..."}
        groups[-1].append((n, cue))
        items |= new
    return [_Group(g) for g in groups if g]


class CueMatcher:
    """All cues of a lexicon in one spaCy ``Matcher``; ``find`` gives each cue that occurs once,
    at its first match, in reading order."""

    def __init__(self, cues: Sequence[Cue]):
        self.cues = tuple(cues)
        self.groups = _groups(self.cues)
        # a group's Matcher can match only where every item of one of its cues is some
        # token's: each distinct cue text's items as bits of one int, so that a group none of
        # whose cues has all its items in the stretch is skipped without a view or a Matcher
        # (the same matches: no item is optional; most groups of most sentences go)
        items = sorted({it for cue in self.cues for it in cue.items if it != "..."})
        self._bits = {item: 1 << k for k, item in enumerate(items)}
        self._tests = [(item_regex(item), bit) for item, bit in self._bits.items()]
        self._needs = [[self._cue_bits(cue) for cue in group.cues] for group in self.groups]
        self._text_bits: dict[str, int] = {}

    def _cue_bits(self, cue: Cue) -> int:
        bits = 0
        for item in cue.items:
            if item != "...":
                bits |= self._bits[item]
        return bits

    def _items_of(self, text: str) -> int:
        """The items a cue text satisfies, as bits (each distinct text tested once)."""
        bits = self._text_bits.get(text)
        if bits is None:
            bits = 0
            for regex, bit in self._tests:
                if regex.search(text) is not None:
                    bits |= bit
            self._text_bits[text] = bits
        return bits

    def matches(self, tokens: Sequence[Token] | Span) -> list[tuple[int, Cue, list[int]]]:
        """(start, cue, token positions of its items) for every match, positions counted in
        ``tokens`` (a span, or a sentence's non-space tokens in order); group by group, each
        in the Matcher's order."""
        tokens = list(tokens)
        if not tokens or not self.cues:
            return []
        doc = tokens[0].doc
        stretch = doc[tokens[0].i : tokens[-1].i + 1]
        position = {t.i: k for k, t in enumerate(tokens)}
        words = [cue_text(t) for t in stretch]
        present = 0
        for word in words:
            present |= self._items_of(word)
        possible = [
            group
            for group, needs in zip(self.groups, self._needs)
            if any(need & present == need for need in needs)
        ]
        out = []
        for n, start, _end, align in (m for group in possible for m in group(words)):
            cue = self.cues[n]
            item_of = [k for k, it in enumerate(cue.items) if it != "..."]
            used = []
            for offset, pattern_index in enumerate(align):
                if cue.items[pattern_index] != "..." and pattern_index in item_of:
                    k = position.get(stretch.start + start + offset)
                    if k is not None:
                        used.append(k)
            first = position.get(stretch.start + start)
            if first is not None:
                out.append((first, cue, used))
        return out

    def find(self, tokens: Sequence[Token] | Span) -> list[tuple[int, Cue]]:
        """(start, cue) of the first occurrence of every cue that occurs, in reading order
        (cues starting at the same token in lexicon order)."""
        first: dict[Cue, int] = {}
        for start, cue, _used in self.matches(tokens):
            if cue not in first or start < first[cue]:
                first[cue] = start
        order = {cue: n for n, cue in enumerate(self.cues)}
        return sorted(((i, c) for c, i in first.items()), key=lambda h: (h[0], order[h[1]]))

    def items_at(self, tokens: Sequence[Token] | Span, start: int, cue: Cue) -> set[int]:
        """Positions of the tokens that make up the first match of ``cue`` at ``start``."""
        candidates: list[list[int]] = [
            used for s, c, used in self.matches(tokens) if s == start and c == cue
        ]
        return set(min((len(u), u) for u in candidates)[1]) if candidates else {start}


@functools.cache
def cue_matcher(name: str = "speech_act_cues.tsv") -> CueMatcher:
    return CueMatcher(load_cues(name))


def find_cues(tokens: Sequence[Token] | Span, cues: Sequence[Cue] | CueMatcher):
    """(start, cue) for every cue that occurs, in reading order."""
    matcher = cues if isinstance(cues, CueMatcher) else CueMatcher(cues)
    return matcher.find(tokens)


CLOSED_CLASS_FILE = CUES_DIR.parent / "closed_class" / "words.tsv"


@functools.cache
def closed_class(name: str) -> frozenset[str]:
    """The Dutch closed-class words of one class of pipeline/data/closed_class/words.tsv
    ("auxiliary", "article", "first_person" ...)."""
    words = frozenset(w for w, cls in read_table(CLOSED_CLASS_FILE) if cls == name)
    if not words:
        raise KeyError(f"{CLOSED_CLASS_FILE}: no words of class {name!r}")
    return words
