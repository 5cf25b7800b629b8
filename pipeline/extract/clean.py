"""Layout logic shared by every reader: lines -> blocks -> clean text.

A reader (text, pdf, html, docx) turns its input into :class:`Line` objects, one per printed
line, carrying whatever layout evidence the format offers (room left before the right margin,
a vertical gap or blank line before it, the page).  This module decides, with the same rules
for every format, where a block (paragraph, numbered point, bullet item, heading) starts,
rejoins words broken across lines, strips footnote marks, and assembles the
:class:`~pipeline.types.ExtractedText`.

Block boundaries.  A new block starts at a line that

1. opens with a marker ("1.", "a)", "(i)", "•" ...; see :func:`split_marker`) that fits its
   list (in sequence, or after a closed sentence: "3. lid" inside a sentence is no marker), or
2. follows a line that ended a paragraph.  The evidence, strongest first:

   - the reader's layout evidence (``Line.break_before``: a blank line where the page uses
     them only between paragraphs, a vertical gap, a change of font or size, a centred title
     ending, a return to the margin after a hanging indent);
   - a word broken at the line end, or a next line in lower case: the sentence goes on;
   - a line ending in an article or preposition ("de", "van": the most frequent words in
     wordfreq) never ends a heading;
   - a capitalised first word that this document writes mostly in lower case ("Deze",
     "Meer") after a line without closing punctuation: a heading or list item ended;
   - a capitalised first word after a line ending in a name ("Middellandse / Zeegebied"):
     the name goes on unless the line is clearly short;
   - otherwise the *fit test*: if the next line's first word would have fitted in the room
     left on this line, the typesetter would have put it there, so the line ended its
     paragraph.

Blank lines alone are not trusted: some dumps put one after every printed line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from pipeline.types import Block, ExtractedText

# --------------------------------------------------------------------------------------------
# Lines and raw blocks
# --------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One printed line as a reader saw it.

    ``room`` is the space left between the line's end and the wrap width and ``word_width``
    the width of the line's first word, both in one unit the reader chooses (characters for
    text dumps, points for PDF); ``space_width`` is the width of a space in that unit.
    ``break_before`` is layout evidence: True (blank line, vertical gap, first-line indent),
    False (the layout says the paragraph goes on), None (no evidence).
    """

    text: str
    page: int = 1
    room: float | None = None
    word_width: float = 0.0
    space_width: float = 1.0
    break_before: bool | None = None
    full: bool = False  # the line reaches the wrap width / right margin
    short: bool | None = None  # clearly short of the wrap width (text dumps: under half)
    hard_break: bool = False  # the reader knows a new block starts here (HTML <p>, DOCX)
    marker: str | None = None  # a marker the reader already knows (HTML <ol>, DOCX numbering)
    role: str = "body"
    footnote_mark: str | None = None


@dataclass
class RawBlock:
    """A block before assembly: its text as (piece, page) parts, so page breaks survive."""

    pieces: list[tuple[str, int]]
    marker: str | None = None
    marker_kind: str | None = None  # "number", "roman", "letter", "bullet"
    role: str = "body"
    footnote_mark: str | None = None

    @property
    def text(self) -> str:
        return "".join(p for p, _ in self.pieces)


# --------------------------------------------------------------------------------------------
# Markers
# --------------------------------------------------------------------------------------------

# Bullet glyphs as they come out of PDFs and Word: "•", dashes, squares, Word's "o" and the
# Symbol-font private-use bullet "\uf0b7".
BULLET_GLYPHS = "•·◦‣∙▪▫■□●○◆◇►▶➢➤✓✔–—-o\uf0b7\uf0a7\uf0d8\uf076"
_BULLET_RE = re.compile(rf"^([{re.escape(BULLET_GLYPHS)}])(?:\s+|$)")
_MARKER_RE = re.compile(
    r"^(?:\((?P<pn>\d{1,3})\)|(?P<n>\d{1,3})[.)]"  # (1)  1.  1)
    r"|\((?P<pr>[ivxlc]{1,6}|[IVXLC]{1,6})\)|(?P<r>[ivxlc]{1,6}|[IVXLC]{1,6})[.)]"  # (iv) iv) IV.
    r"|\((?P<pl>[a-zA-Z])\)|(?P<l>[a-zA-Z])[.)])"  # (a)  a)  a.
    r"(?=\s|$)"
)
_DASHES = "–—-"


_ROMAN_NUMERAL = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)


def _is_roman(text: str) -> bool:
    """A well-formed roman numeral up to 399 ("iv", "XII"), not any run of the letters."""
    return bool(_ROMAN_NUMERAL.match(text))


def split_marker(text: str) -> tuple[str | None, str | None, str]:
    """(marker, kind, rest) for a line that opens with a list marker, else (None, None, text).

    Kinds: "number" ("1.", "1)", "(1)"), "roman" ("IV.", "(iv)"), "letter" ("a)", "(b)"),
    "bullet" (a glyph).  A single "i"/"I" is roman, other single letters are letters
    ("c)" is the third item, not 100).

    >>> split_marker("1. De EU ...")
    ('1.', 'number', 'De EU ...')
    >>> split_marker("• De steun ...")
    ('•', 'bullet', 'De steun ...')
    """
    m = _MARKER_RE.match(text)
    if m:
        marker = m.group(0)
        rest = text[m.end() :].lstrip()
        if m.group("pn") or m.group("n"):
            return marker, "number", rest
        roman = m.group("pr") or m.group("r")
        if roman and _is_roman(roman) and (len(roman) > 1 or roman in "iI"):
            if roman.isupper() and marker.endswith(")") and not marker.startswith("("):
                return None, None, text
            return marker, "roman", rest
        letter = m.group("pl") or m.group("l") or (roman if roman and len(roman) == 1 else None)
        if letter:
            # a capital with a dot is an initial ("A. Merkel"), not a list marker
            if marker.endswith(".") and letter.isupper():
                return None, None, text
            return marker, "letter", rest
        return None, None, text
    m = _BULLET_RE.match(text)
    if m:
        rest = text[m.end() :]
        # Word's "o" bullet only before a capitalised word, never the Dutch "o" in running text
        if m.group(1) == "o" and not rest[:1].isupper():
            return None, None, text
        if not rest.strip():
            return None, None, text
        return m.group(1), "bullet", rest
    return None, None, text


def marker_value(marker: str, kind: str) -> int | None:
    """The ordinal a marker stands for: "3." -> 3, "c)" -> 3, "IV." -> 4; None for bullets."""
    core = marker.strip("().")
    if kind == "number":
        return int(core)
    if kind == "letter":
        return ord(core.lower()) - ord("a") + 1
    if kind == "roman":
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
        total, prev = 0, 0
        for ch in reversed(core.lower()):
            v = values[ch]
            total = total - v if v < prev else total + v
            prev = max(prev, v)
        return total
    return None


def marker_style(marker: str, kind: str) -> str:
    """ "1." and "12." share a style, "1)" and "(1)" do not."""
    return kind + ":" + re.sub(r"[0-9A-Za-z]+", "#", marker)


# --------------------------------------------------------------------------------------------
# Document statistics: which words the document writes where
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")


@lru_cache(maxsize=1 << 16)
def _token_word(token: str) -> tuple[str, str, bool] | None:
    """(word, word lower-cased, does the word open the token?) for a whitespace-separated
    token ("(EU-lidstaten)," -> "EU-lidstaten"), or None for a token without letters."""
    m = _WORD_RE.search(token)
    return (m.group(0), m.group(0).lower(), m.start() == 0) if m else None


@lru_cache(maxsize=1 << 16)
def _ends_sentence(token: str) -> bool:
    return _SENTENCE_END.search(token) is not None


@dataclass
class DocumentWords:
    """Words as this document writes them *inside* lines (never at a line's start or end, where
    breaks and sentence starts blur the evidence): the evidence for de-hyphenation and for
    telling a sentence-initial capital ("Deze") from a name ("Westelijke")."""

    inner: Counter = field(default_factory=Counter)  # lower-cased inner tokens
    capitalised_inside_sentence: Counter = field(default_factory=Counter)
    lowercase_inside: Counter = field(default_factory=Counter)

    @classmethod
    def from_lines(cls, lines: list[str]) -> DocumentWords:
        # a document repeats its words: each distinct token is analysed once (_token_word),
        # and the counters are filled in one call each rather than a += per token
        inner: list[str] = []
        capitalised: list[str] = []
        lowercase: list[str] = []
        for text in lines:
            tokens = split_marker(text)[2].split()
            last = len(tokens) - 1
            for i, tok in enumerate(tokens):
                if i == last and tok.endswith(("-", "\u00ad")):
                    continue  # the head of a broken word
                found = _token_word(tok)
                if found is None:
                    continue
                word, lower, at_start = found
                if 0 < i < last:  # whole words only: no heads or tails of broken words
                    inner.append(lower)
                if word[0].isupper():
                    # a capital after a word that ends no sentence: a name, not a sentence start
                    if i > 0 and at_start and not _ends_sentence(tokens[i - 1]):
                        capitalised.append(word)
                elif word[0].islower():
                    lowercase.append(word)
        words = cls()
        words.inner.update(inner)
        words.capitalised_inside_sentence.update(capitalised)
        words.lowercase_inside.update(lowercase)
        return words

    def starts_sentence(self, word: str) -> bool:
        """True for a capitalised word this document writes mostly in lower case: "Deze",
        "Meer", "Schone" (even if "Schone Energie" names something once) — but not
        "Westelijke" or "EU"."""
        if not word or not word[0].isupper() or not word[1:].islower():
            return False
        lower = self.lowercase_inside[word.lower()]
        return lower > 0 and lower >= 2 * self.capitalised_inside_sentence[word]


FUNCTION_WORD_ZIPF = 6.5  # "de", "het", "van", "op", "voor", "met", "te", "aan" ... (wordfreq)


def ends_with_function_word(text: str) -> bool:
    """Does the line end with one of the most frequent Dutch words (articles, prepositions,
    conjunctions: zipf >= 6.5 in wordfreq)?  A title, heading or list item never does."""
    m = re.search(r"([^\W\d_]+)\W*$", text)
    return bool(m) and m.group(1).islower() and _zipf(m.group(1)) >= FUNCTION_WORD_ZIPF


def ends_capitalised(text: str) -> bool:
    m = re.search(r"([^\W\d_][\w'’/-]*)\W*$", text)
    return bool(m) and m.group(1)[0].isupper()


def first_word(text: str) -> str:
    m = _WORD_RE.match(text.lstrip("\"'“‘(["))
    return m.group(0) if m else ""


# --------------------------------------------------------------------------------------------
# De-hyphenation
# --------------------------------------------------------------------------------------------

# Dutch writes a hyphen where two vowels would otherwise read as one sound (klinkerbotsing:
# "energie-efficiëntie", "zee-egel"); a line break never hides such a hyphen.
VOWEL_CLASH = frozenset("aa ae ai au ee ei eu ie ii oe oi oo ou ui uu ij".split())
# The hyphen of an elided compound part stays: "Grens- en kustwachtagentschap",
# "veiligheids- of defensiebeleid" (weglatingsstreepje before a coordinating conjunction).
ELISION_CONJUNCTIONS = frozenset({"en", "of", "noch", "and", "or"})
_TREMA_VOWELS = "äëïöü"
# wordfreq's Zipf scale: 3 is once per million words; a joined form this common is a word
COMMON_WORD_ZIPF = 3.0
KNOWN_WORD_ZIPF = 1.5  # seen a few times per hundred million words: a word, not noise


@cache
def _hyphenated_lexicon() -> frozenset[str]:
    """Dutch word forms written with a hyphen ("e-mail", "'s-hertogenbosch" ...), from spaCy's
    lookup lemmatizer table (spacy-lookups-data).  Only the JSON strings with a hyphen are
    decoded, so the 200,000-entry table never sits in memory as a dict."""
    import gzip
    import json
    from importlib import resources

    try:
        path = resources.files("spacy_lookups_data") / "data" / "nl_lemma_lookup.json.gz"
        with path.open("rb") as fh:
            raw = gzip.decompress(fh.read())
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - optional lexicon
        return frozenset()
    # between two strings of the table there is only ": " or ", ", never a hyphen
    strings = re.findall(rb'"([^"]*-[^"]*)"', raw)
    # only a string with a JSON escape needs the (slow, per-string) JSON decoder
    return frozenset(
        (json.loads(b'"' + item + b'"') if b"\\" in item else item.decode()).lower()
        for item in strings
    )


def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ModuleNotFoundError:  # pragma: no cover
        return 0.0
    return zipf_frequency(word, "nl")


_ADD_TREMA = str.maketrans("aeiou", "äëïöü")


def dehyphenate(left: str, right: str, words: DocumentWords | None = None) -> tuple[bool, str]:
    """Decide a hyphen printed at a line end: (keep it?, the next line's first token).

    ``left`` is the token before the hyphen (without it), ``right`` the first token of the
    next line.  Evidence, in order:

    1. orthography that leaves no doubt: a capital or digit after the hyphen
       ("EU-Westelijke"), an acronym or number before it ("EU-subsidies"), an elided compound
       part before a conjunction ("Grens- en kustwachtagentschap", unless step 2 knows the
       joined word);
    2. the document itself: does it write the word with or without the hyphen inside a line?
       ("sociaal-economische" stays, "versterken" is rejoined); then wordfreq: a joined form
       that is a common Dutch word is one ("voltooi-" + "en" -> "voltooien");
    3. the Dutch vowel-clash rule (klinkerbotsing): "energie-efficiëntie" keeps its hyphen —
       unless the word is written with a trema instead, which Dutch drops at a line break
       ("co-" + "ordineren" -> "coördineren"), or the break is a syllable break: the part
       after it is no word of its own but the whole is one wordfreq knows ("ambiti-" +
       "euzere"; "zonne-" + "energie" stays);
    4. lexicons: a hyphenated form in spaCy's Dutch lemma table keeps its hyphen ("e-mail");
    5. otherwise join: Dutch writes compounds as one word, known or not ("energiezekerheid").

    >>> dehyphenate("ver", "sterken")
    (False, 'sterken')
    >>> dehyphenate("energie", "efficiëntie")
    (True, 'efficiëntie')
    >>> dehyphenate("co", "ordineren")
    (False, 'ördineren')
    """
    bare_right = right.rstrip(".,;:!?)]\"'”’*")
    left = left.lstrip("([\"'“‘")
    if not bare_right or not left:
        return True, right
    if not bare_right[0].isalpha() or bare_right[0].isupper():
        return True, right  # "EU-Westelijke", "COVID-19", "Zuidoost-Europa"
    last_part = left.split("-")[-1]
    if not last_part or any(ch.isdigit() for ch in last_part):
        return True, right
    if last_part.isupper() or len(last_part) == 1:
        # an acronym ("EU-subsidies", "TEN-V-dagen") or a lone letter ("e-mail"): hyphenation
        # never breaks there
        return True, right
    joined = (left + bare_right).lower()
    hyphenated = (left + "-" + bare_right).lower()
    if words is not None:
        seen_joined, seen_hyphenated = words.inner[joined], words.inner[hyphenated]
        if seen_joined or seen_hyphenated:
            return seen_hyphenated > seen_joined, right
    if bare_right.lower() in ELISION_CONJUNCTIONS:
        # "Grens- en kustwachtagentschap" -- but "voltooi-" + "en" is "voltooien"
        return _zipf(joined) < COMMON_WORD_ZIPF, right
    if _zipf(joined) >= COMMON_WORD_ZIPF:
        return False, right  # a common word: "voltooien", "bovenstaande"
    if bare_right[0] in _TREMA_VOWELS:
        return False, right  # the trema already marks the syllable break: "geco-ördineerd"
    if (last_part[-1] + bare_right[0]).lower() in VOWEL_CLASH:
        with_trema = bare_right[0].translate(_ADD_TREMA) + right[1:]
        if _zipf((left + with_trema.rstrip(".,;:!?)]\"'”’*")).lower()) >= KNOWN_WORD_ZIPF:
            return False, with_trema  # "co-" + "ordineren" -> "coördineren"
        if _zipf(bare_right.lower()) < COMMON_WORD_ZIPF and _zipf(joined) >= KNOWN_WORD_ZIPF:
            # the part after the break is no word of its own, the whole is: a syllable break
            # between two vowels ("ambiti-" + "euzere"), not a compound ("zonne-energie")
            return False, right
        return True, right
    if hyphenated in _hyphenated_lexicon():
        return True, right
    return False, right


def keep_hyphen(left: str, right: str, words: DocumentWords | None = None) -> bool:
    """Is the hyphen at the end of ``left``, printed before ``right`` on the next line, a real
    one?  See :func:`dehyphenate`.

    >>> keep_hyphen("sociaal", "economische", DocumentWords.from_lines(["tot de sociaal-economische ontwikkeling"]))
    True
    >>> keep_hyphen("energie", "zekerheid")
    False
    """
    return dehyphenate(left, right, words)[0]


_BROKEN_WORD_RE = re.compile(r"(\S*[^\W\d_])([-\u00ad\u2010¬])$")
_BREAK_HYPHENS = ("-", "\u00ad", "\u2010", "¬")


def _broken_word(text: str) -> re.Match | None:
    """``_BROKEN_WORD_RE.search(text)``.  The search tries every start position in the line,
    so the lines that end in no hyphen (nearly all) are answered without it."""
    if not text.rstrip("\n").endswith(_BREAK_HYPHENS):
        return None
    return _BROKEN_WORD_RE.search(text)


def join_line_texts(lines: list[Line], words: DocumentWords | None) -> list[tuple[str, int]]:
    """The lines of one block as (piece, page) parts: a space between lines, or nothing where
    a broken word is rejoined (its hyphen removed unless it is a real one)."""
    pieces: list[tuple[str, int]] = []
    for line in lines:
        text = line.text
        if not pieces:
            pieces.append((text, line.page))
            continue
        prev, prev_page = pieces[-1]
        m = _broken_word(prev)
        if m and text[:1].isalnum():
            right = text.split(None, 1)[0]
            soft = m.group(2) in "\u00ad¬"
            keep, new_right = (False, right) if soft else dehyphenate(m.group(1), right, words)
            if new_right != right:
                text = new_right + text[len(right) :]
            if not keep:
                pieces[-1] = (prev[: m.start(2)], prev_page)
            elif m.group(2) != "-":
                pieces[-1] = (prev[: m.start(2)] + "-", prev_page)
            # an elided compound part keeps its space: "veiligheids- en defensiebeleid"
            elided = keep and not soft and right.rstrip(".,;:").lower() in ELISION_CONJUNCTIONS
            pieces.append(((" " if elided else "") + text, line.page))
        else:
            pieces.append((" " + text, line.page))
    return pieces


# --------------------------------------------------------------------------------------------
# Lines -> blocks
# --------------------------------------------------------------------------------------------


def _fits(prev: Line, line: Line) -> bool | None:
    """Would this line's first word have fitted at the end of the previous line?"""
    if prev.room is None:
        return None
    return prev.room >= prev.space_width + line.word_width


def _accept_marker(
    kind: str,
    marker: str,
    prev: Line | None,
    prev_ended: bool | None,
    last_value: dict[str, int],
    prev_block: RawBlock | None,
) -> bool:
    """Is a marker at a line start really a list marker, not a word that happens to start a
    wrapped line ("- met name", "3. " in "artikel / 3. lid")?"""
    if prev is None or prev.hard_break:
        return True
    prev_closed = bool(_SENTENCE_END.search(prev.text)) or prev_ended is True
    if kind == "bullet":
        if marker in _DASHES:
            # a dash starting a wrapped line is usually a parenthetical dash
            return prev_closed or (prev_block is not None and prev_block.marker == marker)
        return True
    value = marker_value(marker, kind)
    style = marker_style(marker, kind)
    in_sequence = value == 1 or last_value.get(style) == (value or 0) - 1
    if kind == "letter" and marker.endswith("."):
        return in_sequence and prev_closed
    return in_sequence or prev_closed


def _ended_paragraph(prev: Line, line: Line, words: DocumentWords, wrapped: bool) -> bool:
    """Did ``prev`` end its paragraph, given that ``line`` carries no marker?"""
    if line.hard_break:
        return True
    if not wrapped:
        return True  # one paragraph per line
    if _broken_word(prev.text) and line.text[:1].islower():
        return False
    if line.break_before is True:
        return True
    word = first_word(line.text)
    if line.break_before is None and (word[:1].islower() or not word):
        return False
    closed = bool(_SENTENCE_END.search(prev.text))
    if not closed and ends_with_function_word(prev.text):
        return False  # "... voortbouwend op de / Verklaring van Tirana": no heading ends so
    if not closed and not prev.full and words.starts_sentence(word):
        # a heading or list item without full stop ended short of the margin, and the next
        # line opens with a word this document capitalises only at a sentence start
        return True
    if not closed and word[:1].isupper() and prev.short is not None and ends_capitalised(prev.text):
        # a name going on across the break ("Middellandse / Zeegebied"), perhaps in a title set
        # in a bigger font (fewer characters a line), is far more common than a heading that
        # ends in a name right before a capitalised line: only a clearly short line ended
        return prev.short
    # otherwise only a line that could not have been wrapped here ended its paragraph
    return bool(_fits(prev, line))


def build_blocks(
    lines: list[Line], *, words: DocumentWords | None = None, wrapped: bool = True
) -> list[RawBlock]:
    """Group lines into blocks (see the module docstring for the rules).

    ``wrapped=False`` says the text is not wrapped at a fixed width (one paragraph per line),
    so every line is a block.
    """
    if words is None:
        words = DocumentWords.from_lines([ln.text for ln in lines])
    blocks: list[RawBlock] = []
    groups: list[tuple[RawBlock, list[Line]]] = []
    last_value: dict[str, int] = {}
    prev: Line | None = None
    for line in lines:
        if line.marker:
            marker, kind, rest = line.marker, "known", line.text
        elif line.role == "footnote":
            marker, kind, rest = None, None, line.text  # a note's text is not a list
        else:
            marker, kind, rest = split_marker(line.text)
        current = groups[-1][0] if groups else None
        new_block = prev is None or line.role != prev.role
        if marker and not new_block and kind != "known":
            ended = _ended_paragraph(prev, line, words, wrapped) if prev else True
            if not _accept_marker(kind, marker, prev, ended, last_value, current):
                marker = None
        if marker is None:
            rest = line.text
            if not new_block:
                new_block = _ended_paragraph(prev, line, words, wrapped)
        else:
            new_block = True
        if new_block:
            if marker and kind == "known":  # from list numbering ("3.", "1.2.", "•"): its kind
                kind = split_marker(marker + " x")[1] or (
                    "number" if any(ch.isalnum() for ch in marker) else "bullet"
                )
                sequence_marker = split_marker(marker + " x")[0] == marker
            else:
                sequence_marker = True
            block = RawBlock([], marker, kind if marker else None, line.role, line.footnote_mark)
            if marker and kind != "bullet" and sequence_marker:
                last_value[marker_style(marker, kind)] = marker_value(marker, kind)
            groups.append((block, []))
        # dataclasses.replace is slow: copy only a line whose marker was split off
        groups[-1][1].append(line if rest == line.text else replace(line, text=rest))
        prev = line
    for block, block_lines in groups:
        block.pieces = join_line_texts(block_lines, words)
        blocks.append(block)
    return blocks


def looks_wrapped(lines: list[str]) -> bool:
    """Is this text wrapped at a fixed width (a paragraph over several lines), or one paragraph
    per line?  Wrapped text has lines that go on in the next one: a next line starting in lower
    case or a word broken with a hyphen."""
    pairs = continued = 0
    for a, b in zip(lines, lines[1:]):
        if not a.strip() or not b.strip():
            continue
        pairs += 1
        word = first_word(b.strip())
        if (word[:1].islower() and not split_marker(b.strip())[0]) or _broken_word(a.rstrip()):
            continued += 1
    return pairs > 0 and continued / pairs >= 0.1


# --------------------------------------------------------------------------------------------
# Footnote marks
# --------------------------------------------------------------------------------------------

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TRANS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_SUPERSCRIPTS_RE = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")


def normalise_mark(mark: str) -> str:
    return mark.translate(_SUPERSCRIPT_TRANS)


def footnote_ref_pattern(mark: str) -> re.Pattern:
    """Where a body text refers to footnote ``mark``: "Kosovo*", "lidstaten1", "staten¹"."""
    mark = normalise_mark(mark)
    if set(mark) == {"*"}:
        return re.compile(rf"(?<=[^\s*])\*{{{len(mark)}}}(?!\*)")
    sup = mark.translate(str.maketrans("0123456789", SUPERSCRIPT_DIGITS))
    return re.compile(
        rf"{re.escape(sup)}(?![{SUPERSCRIPT_DIGITS}])|(?<=[^\W\d_]|[.,;:)])"
        rf"{re.escape(mark)}(?![\w])"
    )


def is_referenced(mark: str, body: str) -> bool:
    return footnote_ref_pattern(mark).search(body) is not None


def remove_footnote_refs(blocks: list[RawBlock], marks: list[str]) -> None:
    """Remove each footnote's reference mark from the body blocks, in place.

    "*" marks are removed wherever they follow a word (a declaration uses one "*" for one
    note, e.g. every "Kosovo*"); a numbered mark is removed once, at its first reference after
    the previous note's, since numbered notes are referenced in reading order.
    """
    position = (0, 0)  # (block index, piece index) of the last numbered reference
    for mark in marks:
        pattern = footnote_ref_pattern(mark)
        numbered = not set(normalise_mark(mark)) <= {"*"}
        done = False
        for bi, block in enumerate(blocks):
            if block.role != "body" or done:
                continue
            for pi, (piece, page) in enumerate(block.pieces):
                if numbered and (bi, pi) < position:
                    continue
                new, n = pattern.subn("", piece, count=1 if numbered else 0)
                if n:
                    block.pieces[pi] = (new, page)
                    if numbered:
                        position = (bi, pi)
                        done = True
                        break
    # superscript digits left in the body are note marks whose note we did not find
    for block in blocks:
        if block.role == "body":
            block.pieces = [(_SUPERSCRIPTS_RE.sub("", p), pg) for p, pg in block.pieces]


# --------------------------------------------------------------------------------------------
# Page furniture in paged text
# --------------------------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(
    r"^[\W_]*(?:(?:page|pagina|blz\.?|p\.)\s*)?(\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of|van)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)


def furniture_key(text: str) -> str:
    """Running headers and footers repeat with a changing page number: compare without digits."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def is_page_number(text: str) -> bool:
    return _PAGE_NUMBER_RE.match(text.strip()) is not None


def furniture_lines(pages: list[list[str]], depth: int = 2) -> list[set[int]]:
    """Indices of header/footer lines on each page (page = list of non-blank lines).

    A line among the first or last ``depth`` of its page is furniture when the same line
    (digits ignored) stands at the top or bottom of at least half the pages (and two), or when
    it is a bare page number.
    """
    counts: Counter = Counter()
    for page in pages:
        keys = {furniture_key(t) for t in page[:depth] + page[-depth:]}
        counts.update(keys)
    threshold = max(2, (len(pages) + 1) // 2)
    result = []
    for page in pages:
        drop: set[int] = set()
        candidates = list(range(min(depth, len(page)))) + list(
            range(max(0, len(page) - depth), len(page))
        )
        for i in candidates:
            if (len(pages) > 1 and counts[furniture_key(page[i])] >= threshold) or is_page_number(
                page[i]
            ):
                drop.add(i)
        result.append(drop)
    return result


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalise_spaces(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


def assemble(
    blocks: list[RawBlock],
    *,
    n_pages: int = 1,
    source_path: str = "",
    source_sha256: str = "",
    warnings: list[str] | None = None,
    title_hint: str | None = None,
) -> ExtractedText:
    """Blocks -> ExtractedText: body blocks, then footnotes; one block per line."""
    ordered = [b for b in blocks if b.role == "body"] + [b for b in blocks if b.role != "body"]
    parts: list[str] = []
    out_blocks: list[Block] = []
    spans: list[list[int]] = []  # [start, end, page]
    pos = 0

    def add_span(start: int, end: int, page: int) -> None:
        if end <= start:
            return
        if spans and spans[-1][2] == page and spans[-1][1] == start:
            spans[-1][1] = end
        else:
            spans.append([start, end, page])

    for block in ordered:
        pieces = _tidy_pieces(block.pieces)
        if not pieces:
            continue
        if out_blocks:
            parts.append("\n")
            add_span(pos, pos + 1, spans[-1][2] if spans else pieces[0][1])
            pos += 1
        start = pos
        content_start = start
        numbered_marker = block.marker if block.marker and block.marker_kind != "bullet" else None
        if numbered_marker:
            prefix = numbered_marker + " "
            parts.append(prefix)
            add_span(pos, pos + len(prefix), pieces[0][1])
            pos += len(prefix)
            content_start = pos
        pages = []
        for piece, page in pieces:
            parts.append(piece)
            add_span(pos, pos + len(piece), page)
            pages.append(page)
            pos += len(piece)
        out_blocks.append(
            Block(
                start=start,
                end=pos,
                content_start=content_start,
                marker=block.marker,
                role=block.role,
                footnote_mark=block.footnote_mark,
                page_start=min(pages),
                page_end=max(pages),
            )
        )
    return ExtractedText(
        text="".join(parts),
        blocks=out_blocks,
        page_spans=[tuple(s) for s in spans],
        n_pages=n_pages,
        source_path=source_path,
        source_sha256=source_sha256,
        warnings=list(warnings or []),
        title_hint=title_hint,
    )


def _tidy_pieces(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Collapse whitespace across pieces, strip the block's ends, drop empty pieces."""
    out: list[tuple[str, int]] = []
    prev_space = True  # strips leading whitespace
    for piece, page in pieces:
        piece = _SPACES_RE.sub(" ", piece.replace("\n", " "))
        piece = _CONTROL_RE.sub("", piece)
        if prev_space:
            piece = piece.lstrip(" ")
        if not piece:
            continue
        prev_space = piece.endswith(" ")
        out.append((piece, page))
    while out and out[-1][0].endswith(" "):
        text, page = out[-1]
        text = text.rstrip(" ")
        if text:
            out[-1] = (text, page)
            break
        out.pop()
    return out
