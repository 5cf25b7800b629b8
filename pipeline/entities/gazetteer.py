"""The gazetteer: every known actor, place, treaty, programme and summit with its Dutch names.

Sources (see pipeline/data/gazetteer/README.md):

- countries and world regions: CLDR's Dutch territory names through babel, keyed by ISO 3166-1
  alpha-3 (pycountry) for countries and by the English CLDR name for regions
  ("Europa" -> ``europe``); ``country_variants.tsv`` adds older and short names;
- everything else: the ``*.tsv`` files next to it, one entry per line:
  ``key <TAB> label <TAB> wikidata <TAB> name | name | ...``.

An entry's names become phrase patterns of the entity ruler and aliases of the actor linker.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from babel import Locale

from .. import userdata
from .keys import normalise_name, slug_key

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
USER_SOURCE = "user"  # the source of the rows of ``run --gazetteer FILE``

# the hand-curated tables, in the order in which they claim a name that two of them list
ENTRY_FILES = (
    "eu_bodies.tsv",
    "international_organisations.tsv",
    "country_variants.tsv",
    "regions.tsv",
    "cities.tsv",
    "treaties.tsv",
    "programmes.tsv",
    "summits.tsv",
    "people.tsv",
)

# CLDR territory codes that are no country or region of their own
_NOT_TERRITORIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001", "057"}
# codes without an ISO 3166-1 alpha-3 code: Kosovo gets the code the EU and the IMF use
_ALPHA3_OVERRIDES = {"XK": "XKX"}


@dataclass
class Entry:
    key: str
    label: str
    names: list[str]
    wikidata: str | None = None
    sources: list[str] = field(default_factory=list)


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with ``#`` comment lines and a header row."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


def _split_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split("|") if name.strip()]


def cldr_territories(locale: str = "nl") -> list[Entry]:
    """Countries (GPE, alpha-3 key) and world regions (LOC, English-name key) from CLDR."""
    local, english = Locale.parse(locale), Locale.parse("en")
    entries = []
    for code, name in sorted(local.territories.items()):
        if code in _NOT_TERRITORIES or not name[:1].isupper():
            continue
        if code.isdigit():
            entries.append(
                Entry(slug_key(english.territories[code]), "LOC", [name], None, ["CLDR"])
            )
            continue
        country = pycountry.countries.get(alpha_2=code)
        alpha3 = _ALPHA3_OVERRIDES.get(code) or (country.alpha_3 if country else None)
        if alpha3:
            entries.append(Entry(alpha3, "GPE", [name], None, ["CLDR"]))
    return entries


def _merge(entries: list[Entry], table: list[dict[str, str]], source: str) -> None:
    by_key = {entry.key: entry for entry in entries}
    for row in table:
        names = _split_names(row.get("names", ""))
        wikidata = row.get("wikidata") or None
        entry = by_key.get(row["key"])
        if entry is None:
            entry = Entry(row["key"], row["label"], [], wikidata, [])
            entries.append(entry)
            by_key[entry.key] = entry
        entry.names.extend(n for n in names if n not in entry.names)
        entry.wikidata = entry.wikidata or wikidata
        entry.sources.append(source)


def load_entries(
    data_dir: Path = DATA_DIR, user_gazetteer: str | Path | None = None
) -> tuple[Entry, ...]:
    """All gazetteer entries; a name listed under two keys is kept for the first and logged.

    ``user_gazetteer``: a researcher's file (``run --gazetteer``, pipeline/userdata.py) merged
    in; a row with a shipped key adds names to that entry, and a user row's names are its own
    even where the shipped tables give them to another key."""
    entries = cldr_territories()
    for filename in ENTRY_FILES:
        _merge(entries, read_table(data_dir / filename), filename)
    if user_gazetteer:
        rows = [row.as_table_row() for row in userdata.read_gazetteer(user_gazetteer)]
        _merge(entries, rows, USER_SOURCE)
    wikidata = {
        row["key"]: row["wikidata"] for row in read_table(data_dir / "country_wikidata.tsv")
    }
    claimed: dict[str, str] = {}
    # the user's entries claim their names first
    for entry in sorted(entries, key=lambda e: USER_SOURCE not in e.sources):
        entry.wikidata = entry.wikidata or wikidata.get(entry.key)
        kept = []
        for name in entry.names:
            owner = claimed.setdefault(name, entry.key)
            if owner == entry.key:
                kept.append(name)
            else:
                log.warning("gazetteer name %r of %s is already %s's", name, entry.key, owner)
        entry.names = kept
    return tuple(entries)


def surface_variants(name: str) -> list[str]:
    """The name as listed, plus with a capital at the start of a sentence or heading
    ("investeringskader voor ..." -> "Investeringskader voor ...")."""
    variants = [name]
    if name[:1].islower():
        variants.append(name[:1].upper() + name[1:])
    return variants


def phrase_patterns(entries: tuple[Entry, ...]) -> list[dict]:
    """Entity-ruler phrase patterns; the pattern id is the entry's key (-> ``ent.ent_id_``)."""
    return [
        {"label": entry.label, "pattern": variant, "id": entry.key}
        for entry in entries
        for name in entry.names
        for variant in surface_variants(name)
    ]


def alias_index(
    data_dir: Path = DATA_DIR, user_gazetteer: str | Path | None = None
) -> dict[str, tuple[str, str]]:
    """Normalised name -> (key, label), for linking names the ruler did not match as such
    (a model's "de Europese Commissie", "Kosovo *")."""
    index: dict[str, tuple[str, str]] = {}
    for entry in load_entries(data_dir, user_gazetteer):
        for name in entry.names:
            index.setdefault(normalise_name(name), (entry.key, entry.label))
    return index


def gazetteer_keys(
    data_dir: Path = DATA_DIR, user_gazetteer: str | Path | None = None
) -> frozenset[str]:
    return frozenset(entry.key for entry in load_entries(data_dir, user_gazetteer))


def names_by_label(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """Label -> all gazetteer names with that label (used to vary training sentences)."""
    out: dict[str, list[str]] = {}
    for entry in load_entries(data_dir):
        out.setdefault(entry.label, []).extend(entry.names)
    return out


def pattern_words(data_dir: Path = DATA_DIR) -> dict:
    return json.loads((data_dir / "pattern_words.json").read_text(encoding="utf-8"))


def name_heads(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Head noun -> label ("raad" -> ORG, "programma" -> PROGRAMME)."""
    return {row["head"]: row["label"] for row in read_table(data_dir / "name_heads.tsv")}


def organisation_heads(data_dir: Path = DATA_DIR) -> list[str]:
    """Head nouns of bodies' names ("autoriteit", "agentschap")."""
    return [row["head"] for row in read_table(data_dir / "organisation_heads.tsv")]


def person_roles(data_dir: Path = DATA_DIR) -> frozenset[str]:
    """Titles and offices that stand before a person's name ("commissaris", "premier")."""
    return frozenset(row["role"] for row in read_table(data_dir / "person_roles.tsv"))
