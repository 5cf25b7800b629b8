"""Words broken across lines: rejoin them, keeping the hyphen only where Dutch writes one."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from pipeline.extract.words import DocumentWords, zipf

if TYPE_CHECKING:
    from pipeline.extract.blocks import Line

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


_ADD_TREMA = str.maketrans("aeiou", "äëïöü")
# inflections a lexicon's lemma lacks: "sociaal-economische" is listed as "sociaal-economisch"
_INFLECTIONS = ("e", "en", "s", "'s")


def _attested_compound(left: str, right: str) -> bool:
    """Is ``left-right`` a hyphenated compound of two words, attested with its hyphen?  Both
    parts must be words of their own (a syllable break leaves a part that is none: "ver-" /
    "sterken" is no such pair because "ver-sterken" is attested nowhere), and the lexicon of
    hyphenated forms must hold the compound or its uninflected form."""
    if zipf(left.lower()) < COMMON_WORD_ZIPF or zipf(right.lower()) < COMMON_WORD_ZIPF:
        return False
    hyphenated = f"{left}-{right}".lower()
    lexicon = _hyphenated_lexicon()
    return hyphenated in lexicon or any(
        hyphenated.endswith(ending) and hyphenated[: -len(ending)] in lexicon
        for ending in _INFLECTIONS
    )


def _known_tail(left: str, right: str) -> bool:
    """Is ``left + right`` a word wordfreq knows, or the end of a compound that ends in one
    ("mijnbouwingeni-" + "eurs": "ingenieurs")?"""
    joined = (left + right).lower()
    return any(zipf(joined[k:]) >= KNOWN_WORD_ZIPF for k in range(0, max(1, len(left) - 2)))


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
    if last_part.isupper() or len(last_part) == 1 or any(ch.isupper() for ch in last_part[1:]):
        # an acronym ("EU-subsidies", "TEN-V-dagen", "eIDAS-verordening") or a lone letter
        # ("e-mail"): hyphenation never breaks there
        return True, right
    joined = (left + bare_right).lower()
    hyphenated = (left + "-" + bare_right).lower()
    if "-" in left or "-" in bare_right:
        return True, right  # a word written with hyphens breaks at one: "staakt-het-vuren"
    if words is not None:
        seen_joined, seen_hyphenated = words.inner[joined], words.inner[hyphenated]
        if seen_joined or seen_hyphenated:
            return seen_hyphenated > seen_joined, right
    if _attested_compound(last_part, bare_right):
        # two words joined by their own hyphen, a form the lexicon writes so: "sociaal-" /
        # "economische" stays even where wordfreq also knows "sociaaleconomische"
        return True, right
    if bare_right.lower() in ELISION_CONJUNCTIONS:
        # "Grens- en kustwachtagentschap" -- but "voltooi-" + "en" is "voltooien"
        return zipf(joined) < COMMON_WORD_ZIPF, right
    if zipf(joined) >= COMMON_WORD_ZIPF:
        return False, right  # a common word: "voltooien", "bovenstaande"
    if bare_right[0] in _TREMA_VOWELS:
        return False, right  # the trema already marks the syllable break: "geco-ördineerd"
    if (last_part[-1] + bare_right[0]).lower() in VOWEL_CLASH:
        with_trema = bare_right[0].translate(_ADD_TREMA) + right[1:]
        if zipf((left + with_trema.rstrip(".,;:!?)]\"'”’*")).lower()) >= KNOWN_WORD_ZIPF:
            return False, with_trema  # "co-" + "ordineren" -> "coördineren"
        if zipf(bare_right.lower()) < COMMON_WORD_ZIPF and _known_tail(last_part, bare_right):
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


def broken_word(text: str) -> re.Match | None:
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
        m = broken_word(prev)
        if m and text[:1].isalnum():
            right = text.split(None, 1)[0]
            soft = m.group(2) in "\u00ad¬"
            keep, new_right = (False, right) if soft else dehyphenate(m.group(1), right, words)
            if not keep and not soft and _elision_before_compound(text):
                keep = True
            if new_right != right:
                text = new_right + text[len(right) :]
            if not keep:
                pieces[-1] = (prev[: m.start(2)], prev_page)
            elif m.group(2) != "-":
                pieces[-1] = (prev[: m.start(2)] + "-", prev_page)
            # an elided compound part keeps its space: "veiligheids- en defensiebeleid"
            elided = keep and not soft and right.rstrip(".,;:").lower() in ELISION_CONJUNCTIONS
            pieces.append(((" " if elided else "") + text, line.page))
        elif broken_range(prev) and text[:1].isdigit():
            pieces.append((text, line.page))  # a range broken after its dash: "2028-" / "2034"
        else:
            pieces.append((" " + text, line.page))
    return pieces


def _elision_before_compound(text: str) -> bool:
    """Does the next line open with a conjunction and a hyphenated compound ("en Oost-Afrika")?
    Then the broken word is an elided compound part ("West-" / "en Oost-Afrika"), whatever
    the joined form ("westen") would mean."""
    found = text.split(None, 2)
    return (
        len(found) >= 2
        and found[0].lower() in ELISION_CONJUNCTIONS
        and "-" in found[1].strip("-.,;:")
    )


_RANGE_BROKEN = re.compile(r"\d[-–]$")


def broken_range(text: str) -> bool:
    """Does the line end inside a range of numbers, after its dash ("periode 2028-")?"""
    return _RANGE_BROKEN.search(text.rstrip("\n")) is not None
