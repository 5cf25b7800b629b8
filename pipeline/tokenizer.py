"""Tokenizer rules for Dutch declarations, on top of spaCy's blank ``nl`` tokenizer.

The blank Dutch tokenizer keeps hyphenated and slashed compounds whole ("EU-subsidies",
"Nis-Pristina", "Bulgarije/Servië", "2024-2027"). Declarations name actors inside such
compounds, and ANNOTATION.md counts those names as entity mentions ("EU" in "EU-subsidies"),
so an entity span must be able to start and end at the hyphen or slash. We split:

- after an acronym of two or more capitals when a word of two or more letters follows:
  "EU-subsidies" -> "EU" "-" "subsidies", "EU-JBZ-taskforce" -> "EU" "-" "JBZ" "-" "taskforce";
  "TEN-V-dagen" stays whole because "V" is a single letter;
- before an acronym after a lower-case word: "niet-EU-landen" -> "niet" "-" "EU" "-" "landen";
- between two capitalised words, unless the first is a compass or position prefix that forms one
  geographical name with the second: "Nis-Pristina" -> "Nis" "-" "Pristina", while
  "Noord-Macedonië", "Zuidoost-Europa" and "Midden-Oosten" stay whole;
- after a capitalised word that starts the token, when a lower-case word follows:
  "Frontex-directeur" -> "Frontex" "-" "directeur" (a name inside a compound is still a
  mention, as "EU" in "EU-subsidies"); a compound adjective that opens a sentence
  ("Sociaal-economische") is split too, which no name needs but does no harm;
- a slash between letters: "Bulgarije/Servië" -> "Bulgarije" "/" "Servië" (a slash between
  digits is a legal reference, "2021/947", and stays whole);
- a hyphen or dash between two numbers: "2024-2027" -> "2024" "-" "2027".

Everything else ("sociaal-economische", "energie-unie", "Erasmus+", "COVID-19") is left as is.
"""

from __future__ import annotations

import functools

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

# Dutch compass and position prefixes of geographical names written with a hyphen
# (Noord-Macedonië, Zuid-Korea, Oost-Europa, Midden-Oosten, Centraal-Azië, Klein-Azië ...).
# A closed class of the language, like spaCy's own punctuation lists, so it lives here.
GEOGRAPHIC_PREFIXES = (
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Noordoost",
    "Noordwest",
    "Zuidoost",
    "Zuidwest",
    "Midden",
    "Centraal",
    "Klein",
    "Groot",
    "Neder",
    "Opper",
    "Boven",
    "Beneden",
)

_LATIN_UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"  # Latin Extended-A interleaves cases: close enough here
_LATIN_LOWER = "a-zß-öø-ÿĀ-ž"
_NOT_AFTER_PREFIX = "".join(f"(?<!{prefix}-)" for prefix in GEOGRAPHIC_PREFIXES)

# Each rule opens with the character it splits at and checks the context before it with a
# lookbehind that includes that character ("-(?<=EU-)" is "(?<=EU)-"): Python's regex engine
# skips an alternative that opens with a literal at every other position at once, but has to
# evaluate a leading lookbehind at every position of every word.
DECLARATION_INFIXES = [
    # acronym, then a word: EU-subsidies, EU-JBZ-taskforce, VN-Veiligheidsraad
    rf"-(?<=[{ALPHA_UPPER}][{ALPHA_UPPER}]-)(?=[{ALPHA}][{ALPHA}])",
    # lower-case word, then an acronym: niet-EU-landen
    rf"-(?<=[{ALPHA_LOWER}]-)(?=[{ALPHA_UPPER}][{ALPHA_UPPER}])",
    # two names: Nis-Pristina, Belgrado-Pristina (not Noord-Macedonië)
    rf"-{_NOT_AFTER_PREFIX}(?<=[{ALPHA_LOWER}]-)(?=[{ALPHA_UPPER}][{ALPHA_LOWER}])",
    # capitalised word at the token's start, then a lower-case word: Frontex-directeur.
    # Python's lookbehind needs a fixed width, so one alternative per word length; compact
    # Latin letter classes keep the expression small (spaCy's full classes would make it
    # 150,000 characters and cost half a second to compile at every load)
    "-(?:"
    + "|".join(rf"(?<=^[{_LATIN_UPPER}][{_LATIN_LOWER}]{{{n}}}-)" for n in range(1, 25))
    + rf")(?=[{ALPHA_LOWER}][{ALPHA_LOWER}])",
    # slash between words: Bulgarije/Servië, afspraak/memorandum
    rf"/(?<=[{ALPHA}]/)(?=[{ALPHA}])",
    # ranges of numbers: 2024-2027, 17–18 mei
    r"[-–](?<=[0-9][-–])(?=[0-9])",
]


class MemoisedPattern:
    """A compiled pattern's ``search`` or ``finditer``, remembering its answer per string.

    spaCy's tokenizer caches how it split each chunk of text, but stops caching for the rest
    of a Doc once it meets a special case ("o.a.", "nr."), which every declaration has early
    on; after that it runs the prefix, suffix and infix expressions (thousands of
    alternatives) on the same words again and again.  ``__self__`` is the pattern, as for a
    bound method: spaCy reads it to save the tokenizer.
    """

    def __init__(self, method, maxsize: int = 1 << 14):
        self.__self__ = method.__self__
        self._method = method
        if method.__name__ == "finditer":  # an iterator cannot be handed out twice
            self._cached = functools.lru_cache(maxsize)(lambda string: tuple(method(string)))
        else:
            self._cached = functools.lru_cache(maxsize)(method)

    def __call__(self, string: str):
        return self._cached(string)

    def __reduce__(self):  # pickled as the plain method (nlp.pipe with n_process > 1)
        return (MemoisedPattern, (self._method,))


def declaration_tokenizer(nlp) -> Tokenizer:
    """spaCy's tokenizer for ``nlp``'s language with the declaration infix rules, built in one
    go (setting a tokenizer's expressions one by one reloads its thousands of special cases
    each time) and memoised (see MemoisedPattern)."""
    defaults = nlp.Defaults
    infixes = list(defaults.infixes or []) + DECLARATION_INFIXES
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=MemoisedPattern(compile_prefix_regex(defaults.prefixes).search),
        suffix_search=MemoisedPattern(compile_suffix_regex(defaults.suffixes).search),
        infix_finditer=MemoisedPattern(compile_infix_regex(infixes).finditer),
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


@registry.tokenizers("declarations.Tokenizer.v1")
def create_declaration_tokenizer():
    """For ``spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": ...}}})``."""
    return declaration_tokenizer
