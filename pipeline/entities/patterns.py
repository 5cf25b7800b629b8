"""Token patterns of the entity ruler: dates, amounts of money, references to legal acts, and the
naming conventions in ``name_patterns.jsonl`` ("top van <plaats>", "Verklaring van <plaats>"),
and names of bodies built on a noun of ``organisation_heads.tsv`` ("Havenautoriteit van
Tanzania", "Noords Agentschap voor Natuurherstel").

Month names and currency names and symbols come from CLDR (babel); the other words from
``pattern_words.json``. Every pattern's id starts with ``pattern:`` so that later components can
tell a pattern match from a gazetteer match.
"""

from __future__ import annotations

import json
from pathlib import Path

from babel import Locale
from babel.numbers import get_currency_name, get_currency_symbol

from .gazetteer import DATA_DIR, load_entries, organisation_heads, pattern_words
from .keys import DETERMINERS

DAY = {"TEXT": {"REGEX": r"^(0?[1-9]|[12][0-9]|3[01])$"}}
YEAR = {"TEXT": {"REGEX": r"^(1[89]|20)[0-9]{2}$"}}
NUMERIC_DATE = {
    "TEXT": {"REGEX": r"^(0?[1-9]|[12][0-9]|3[01])[./-](0?[1-9]|1[0-2])[./-](1[89]|20)[0-9]{2}$"}
}
AMOUNT = {"TEXT": {"REGEX": r"^[0-9]{1,3}([.][0-9]{3})*(,[0-9]+)?$|^[0-9]+(,[0-9]+)?$"}}
# "1244", "2021/947", "2014/24/EU", "1999/468/EG": numbers of resolutions and EU acts
ACT_NUMBER = {"TEXT": {"REGEX": r"^[0-9]{3,}(/[0-9]+)*(/[A-Z]+)?$|^[0-9]{2,4}/[0-9]+(/[A-Z]+)?$"}}
BRACKETED_ISSUER: list[dict] = [
    {"ORTH": "("},
    {"TEXT": {"REGEX": r"^[A-Z][A-Za-z]*$"}},
    {"ORTH": ")"},
]  # (EU), (GBVB)
NUMBER_SIGN = {"LOWER": {"IN": ["nr.", "nr", "nummer"]}, "OP": "?"}


def month_names(locale: str = "nl") -> list[str]:
    """Full and abbreviated month names, lower case, from CLDR."""
    months = Locale.parse(locale).months["format"]
    names = set(months["wide"].values()) | set(months["abbreviated"].values())
    return sorted(name.lower().rstrip(".") for name in names)


def currency_words(codes: list[str], locale: str = "nl") -> tuple[list[str], list[list[str]]]:
    """(codes and symbols, which stand before or after the amount; currency names as token
    lists, which stand after it: "2 miljard euro", "EUR 6 miljard", "€ 9 miljard")."""
    signs, names = set(), set()
    for code in codes:
        signs.add(code.lower())
        signs.add(get_currency_symbol(code, locale=locale).lower())
        for count in (1, 2):
            names.add(get_currency_name(code, count=count, locale=locale).lower())
    return sorted(signs), [name.split() for name in sorted(names)]


def date_patterns(months: list[str], joiners: list[str], modifiers: list[str]) -> list[list[dict]]:
    month: dict = {"LOWER": {"IN": months}}
    joiner: dict = {"LOWER": {"IN": joiners}}
    modifier: dict = {"LOWER": {"IN": modifiers}}
    dash: dict = {"ORTH": {"IN": ["-", "–", "/"]}}
    # an optional token stands for two patterns (the Matcher returns the match with and the
    # one without it): fewer patterns, the same matches
    return [
        [DAY, month, {**YEAR, "OP": "?"}],  # 17 mei 2018, 17 mei
        [DAY, joiner, DAY, month, YEAR],  # 17-18 mei 2018, 17 en 18 mei 2018
        [month, YEAR],  # juli 2017
        [YEAR],  # 2003
        [YEAR, dash, YEAR],  # 2024-2027, 2021–2027
        [NUMERIC_DATE],  # 17.5.2018
        [modifier, {**month, "OP": "?"}, YEAR],  # eind 2021, medio 2022, eind juli 2025
    ]


def money_patterns(signs: list[str], names: list[list[str]], scales: list[str]) -> list[list[dict]]:
    sign: dict = {"LOWER": {"IN": signs}}
    scale: dict = {"LOWER": {"IN": scales}, "OP": "?"}
    patterns: list[list[dict]] = [
        [sign, AMOUNT, scale],
        [AMOUNT, scale, sign],
    ]  # EUR 6 miljard, 30 miljoen EUR
    for name in names:  # 2 miljard euro, 5 miljoen Amerikaanse dollar
        patterns.append([AMOUNT, scale] + [{"LOWER": word} for word in name])
    return patterns


def legal_reference_patterns(act_types: list[str], prefixes: list[str]) -> list[list[dict]]:
    """Resolutie 1244 (1999), Verordening (EU) 2021/947, Richtlijn 2014/24/EU, UNSCR 1244."""
    with_year: list[dict] = [{"ORTH": "("}, YEAR, {"ORTH": ")"}]
    # act types that differ only in their last word share one pattern ("besluit",
    # "richtlijn" ...; "gemeenschappelijk optreden|standpunt"): the Matcher's cost grows with
    # the number of patterns, and the matches are the same
    last_words: dict[tuple[str, ...], list[str]] = {}
    for act in act_types:
        *words, last = act.split()
        last_words.setdefault(tuple(words), []).append(last)
    patterns: list[list[dict]] = []
    for first, lasts in last_words.items():
        head: list[dict] = [{"LOWER": word} for word in first] + [{"LOWER": {"IN": lasts}}]
        patterns += [
            head + [NUMBER_SIGN, ACT_NUMBER],
            head + [NUMBER_SIGN, ACT_NUMBER] + with_year,
            head + BRACKETED_ISSUER + [NUMBER_SIGN, ACT_NUMBER],
        ]
    prefix: dict = {"ORTH": {"IN": prefixes}}
    patterns += [[prefix, ACT_NUMBER], [prefix, ACT_NUMBER] + with_year]
    return patterns


def one_token_city_names(data_dir: Path = DATA_DIR) -> list[str]:
    return sorted(
        name
        for entry in load_entries(data_dir)
        if entry.key.startswith("city:")
        for name in entry.names
        if " " not in name and "-" not in name
    )


def name_patterns(data_dir: Path = DATA_DIR) -> list[dict]:
    """Naming conventions from ``name_patterns.jsonl``; a token written as "CITY" stands for
    any one-word city name of the gazetteer."""
    city = {"ORTH": {"IN": one_token_city_names(data_dir)}}
    out = []
    for line in (data_dir / "name_patterns.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            entry["pattern"] = [city if token == "CITY" else token for token in entry["pattern"]]
            out.append(entry)
    return out


MAX_NAME_WORDS_AFTER_OF = 3  # "... van de Afrikaanse Unie", "... voor het Onderzoek van de Zee"


def organisation_name_patterns(data_dir: Path = DATA_DIR) -> list[list[dict]]:
    """Capitalised names headed by a noun of ``organisation_heads.tsv`` or a compound ending
    in one, with "van"/"voor" and a capitalised complement: "Havenautoriteit van Tanzania",
    "Noords Agentschap voor Natuurherstel". The recogniser misses such names of bodies no
    gazetteer knows where a second one stands beside a first it found. A one-word gazetteer
    name is a name by itself: "de Wereldhandelsorganisatie van Bosnië" is Bosnia's accession."""
    nouns = organisation_heads(data_dir)
    heads = "|".join(nouns)
    known = sorted(
        {n for e in load_entries(data_dir) for n in e.names if " " not in n}
        - set(nouns)
        - {n.capitalize() for n in nouns}
    )
    bare = "|".join(n.capitalize() for n in nouns)  # "Agentschap", or a compound's end
    head = {
        "TEXT": {"REGEX": f"^(?:{bare}|[A-Z][a-zà-ÿ]*(?:{heads}))$"},
        "ORTH": {"NOT_IN": known},
    }
    # "Noords", "Europees"; not the article at a sentence start ("De Havenautoriteit ...")
    adjective = {"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(DETERMINERS)}, "OP": "?"}
    of = {"LOWER": {"IN": ["van", "voor"]}}
    article = {"LOWER": {"IN": ["de", "het"]}, "OP": "?"}
    words = [{"IS_TITLE": True}] + [{"IS_TITLE": True, "OP": "?"}] * (MAX_NAME_WORDS_AFTER_OF - 1)
    # "ASEAN-Centrum voor Biodiversiteit": the tokenizer splits the compound at its hyphen
    prefix = [{"TEXT": {"REGEX": "^[A-Z]"}}, {"ORTH": "-"}]
    return [[adjective, head, of, article, *words], [*prefix, head, of, article, *words]]


def token_patterns(data_dir: Path = DATA_DIR) -> list[dict]:
    """All token patterns of the entity ruler, as entity-ruler pattern dicts."""
    words = pattern_words(data_dir)
    signs, names = currency_words(words["currency_codes"])
    groups = [
        (
            "DATE",
            "pattern:date",
            date_patterns(month_names(), words["date_range_joiners"], words["date_modifiers"]),
        ),
        ("MONEY", "pattern:money", money_patterns(signs, names, words["scale_words"])),
        (
            "LAW",
            "pattern:legal_reference",
            legal_reference_patterns(words["legal_act_types"], words["legal_act_prefixes"]),
        ),
        ("ORG", "pattern:organisation_name", organisation_name_patterns(data_dir)),
    ]
    out = [
        {"label": label, "id": pattern_id, "pattern": pattern}
        for label, pattern_id, patterns in groups
        for pattern in patterns
    ]
    return out + name_patterns(data_dir)
