"""A researcher's own data, given on the command line: gazetteer rows and domain terms.

``run --gazetteer FILE`` adds actors, places, programmes ... to the shipped gazetteer and
``run --lexicon FILE`` adds domain terms to the shipped lexicon, without editing files inside
the installed package. A file is TSV, CSV (comma or semicolon, as Dutch spreadsheets write it)
or JSON Lines, chosen by its suffix; UTF-8, with or without the byte-order mark spreadsheets
add. Columns (a header row names them, in any order):

    gazetteer   name, label, key, optional aliases (separated by "|" or ";"), wikidata
    lexicon     term, domain, optional match (word | prefix | part | phrase; default: word for
                one word, phrase for several)

Every row is checked against the label scheme (pipeline/scheme.py) and the shipped data's
rules; a file with bad rows is refused with one line per bad row (``UserDataError.problems``),
never read in part. ``digest`` gives the content's checksum, part of the cache key of a run.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .scheme import DOMAINS, ENTITY_LABELS, MATCH_MODES

MAX_BYTES = 50_000_000  # far above any list a researcher keeps by hand
SUFFIXES = (".tsv", ".csv", ".jsonl")
# keys become table cells, SQLite values and report text: the shipped gazetteer's alphabet
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.\-]{0,99}")
WIKIDATA = re.compile(r"Q[1-9][0-9]*")


class UserDataError(ValueError):
    """A user file that cannot be used: one line per problem, each naming the file and row."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class GazetteerRow:
    key: str
    label: str
    names: tuple[str, ...]  # the name, then its aliases
    wikidata: str | None = None

    def as_table_row(self) -> dict[str, str]:
        """The row as the shipped gazetteer tables have it (key, label, wikidata, names)."""
        return {
            "key": self.key,
            "label": self.label,
            "wikidata": self.wikidata or "",
            "names": " | ".join(self.names),
        }


@dataclass(frozen=True)
class LexiconRow:
    term: str
    domain: str
    match: str

    def as_table_row(self) -> dict[str, str]:
        """The row as data/domains/lexicon.tsv has it (domain, term, match)."""
        return {"domain": self.domain, "term": self.term, "match": self.match}


def digest(path: str | Path) -> str:
    """The checksum of a user file's content: a run with other rows is another run."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The columns and the (line number, row) of a TSV, CSV or JSONL file; column names
    lower-cased (a JSONL file's columns: the keys its objects use)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise UserDataError(
            [f"{path}: the file must be {', '.join(SUFFIXES)} (its suffix says which)"]
        )
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserDataError([f"{path}: not a regular file"])
        if size > MAX_BYTES:
            raise UserDataError([f"{path}: larger than {MAX_BYTES // 1_000_000} MB"])
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserDataError([f"{path}: no such file"]) from None
    except OSError as err:
        raise UserDataError([f"{path}: cannot be read ({err.strerror})"]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UserDataError(
            [f"{path}: not UTF-8 text (byte 0x{data[err.start]:02x} at position {err.start})"]
        ) from None
    if path.suffix.lower() == ".jsonl":
        return _json_rows(path, text)
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    if not lines:
        raise UserDataError([f"{path}: no header row and no rows"])
    delimiter = "\t"
    if path.suffix.lower() == ".csv":  # Dutch spreadsheets write ";", others ","
        header = lines[0][1]
        delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    rows = list(reader)
    columns = [c.strip().lower() for c in rows[0]]
    out = []
    for (number, _), cells in zip(lines[1:], rows[1:]):
        if len(cells) > len(columns):
            raise UserDataError(
                [f"{path}:{number}: {len(cells)} cells, but the header names {len(columns)}"]
            )
        out.append((number, {c: v.strip() for c, v in zip(columns, cells)}))
    return columns, out


def _json_rows(path: Path, text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{path}:{number}: not a JSON object ({err.msg})")
            continue
        if not isinstance(value, dict):
            problems.append(f"{path}:{number}: not a JSON object")
            continue
        row = {}
        for k, v in value.items():
            if isinstance(v, list):  # aliases as a list
                v = " | ".join(map(str, v))
            row[str(k).lower()] = "" if v is None else str(v).strip()
        rows.append((number, row))
    if problems:
        raise UserDataError(problems)
    return list(dict.fromkeys(k for _, row in rows for k in row)), rows


def _require(path: Path, columns: list[str], required: tuple[str, ...]) -> None:
    """Columns a file must have (a JSONL row may leave out what it does not use)."""
    missing = [c for c in required if c not in columns]
    if missing and path.suffix.lower() != ".jsonl":
        raise UserDataError([f"{path}: the header row lacks the column(s) {', '.join(missing)}"])


def read_gazetteer(path: str | Path) -> list[GazetteerRow]:
    """A user gazetteer; every row checked, all problems reported at once."""
    path = Path(path)
    columns, rows = read_rows(path)
    _require(path, columns, ("name", "label", "key"))
    out, problems = [], []
    owner: dict[str, str] = {}  # name -> key, within the file
    for number, row in rows:
        where = f"{path}:{number}"
        name, label, key = row.get("name", ""), row.get("label", ""), row.get("key", "")
        wikidata = row.get("wikidata", "") or None
        aliases = [a.strip() for a in re.split(r"[|;]", row.get("aliases", "")) if a.strip()]
        if not name:
            problems.append(f"{where}: the name is empty")
            continue
        if label not in ENTITY_LABELS:
            problems.append(
                f"{where}: label {label!r} of {name!r} is none of {', '.join(ENTITY_LABELS)}"
            )
            continue
        if not KEY.fullmatch(key):
            problems.append(
                f"{where}: key {key!r} of {name!r} must be letters, digits, '_', ':', '.' or "
                "'-' (e.g. eu, city:sofia, HRV)"
            )
            continue
        if wikidata and not WIKIDATA.fullmatch(wikidata):
            problems.append(f"{where}: wikidata {wikidata!r} of {name!r} is no Q-id (Q458)")
            continue
        names = tuple(dict.fromkeys([name, *aliases]))
        clash = next((n for n in names if owner.get(n, key) != key), None)
        if clash:
            problems.append(f"{where}: the name {clash!r} is already {owner[clash]!r}'s")
            continue
        owner.update(dict.fromkeys(names, key))
        out.append(GazetteerRow(key, label, names, wikidata))
    if problems:
        raise UserDataError(problems)
    return out


def read_lexicon(path: str | Path) -> list[LexiconRow]:
    """User domain terms; every row checked, all problems reported at once."""
    path = Path(path)
    columns, rows = read_rows(path)
    _require(path, columns, ("term", "domain"))
    out, problems = [], []
    for number, row in rows:
        where = f"{path}:{number}"
        term, domain = " ".join(row.get("term", "").lower().split()), row.get("domain", "")
        match = row.get("match") or ("phrase" if " " in term else "word")
        if not re.search(r"\w", term):
            problems.append(f"{where}: the term {term!r} has no word")
        elif domain not in DOMAINS:
            problems.append(
                f"{where}: domain {domain!r} of {term!r} is none of {', '.join(DOMAINS)}"
            )
        elif match not in MATCH_MODES:
            problems.append(f"{where}: match {match!r} of {term!r} is none of {MATCH_MODES}")
        elif match != "phrase" and " " in term:
            problems.append(f"{where}: the term {term!r} has several words: match 'phrase'")
        else:
            out.append(LexiconRow(term, domain, match))
    if problems:
        raise UserDataError(problems)
    return out


# --- what researchers know about each declaration -------------------------------------------

# a metadata column becomes a column of ``documents`` (Parquet, CSV, SQLite): a plain name
COLUMN = re.compile(r"[a-z][a-z0-9_]{0,39}")
# the documents columns a metadata file may set: the date (instead of the detected one) and
# the title; the others are what the pipeline measured
OVERRIDABLE = ("date", "title")
_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), (3, 2, 1)),  # 17-05-2018, as NL writes
    (re.compile(r"(\d{4})-(\d{2})"), (1, 2, None)),
    (re.compile(r"(\d{4})"), (1, None, None)),
)


def iso_date(value: str) -> str | None:
    """An ISO 8601 date (2018-05-17, 2018-05 or 2018) from the ways spreadsheets write one;
    None when the value is no date."""
    for pattern, (y, m, d) in _DATE_FORMATS:
        match = pattern.fullmatch(value.strip())
        if not match:
            continue
        year = int(match.group(y))
        month = int(match.group(m)) if m else 1
        day = int(match.group(d)) if d else 1
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None
        return "-".join(
            [f"{year:04d}"] + ([f"{month:02d}"] if m else []) + ([f"{day:02d}"] if d else [])
        )
    return None


@dataclass
class Metadata:
    """What a metadata file says about each document: its columns (besides doc_id) and the
    values by doc_id."""

    columns: list[str]
    rows: dict[str, dict[str, str]]

    def join(self, row: dict) -> dict:
        """A ``documents`` row with the file's columns for its doc_id (None where the file has
        no value); a date or title given there takes the detected one's place."""
        values = self.rows.get(str(row.get("doc_id")), {})
        out = dict(row)
        for column in self.columns:
            value = values.get(column) or None
            if column not in OVERRIDABLE:
                out[column] = value
            elif value is not None:
                out[column] = value
        return out

    def unknown(self, doc_ids) -> list[str]:
        """The file's doc_ids that no document of the run has (a typo, a missing file)."""
        present = set(map(str, doc_ids))
        return [d for d in self.rows if d not in present]


def read_metadata(path: str | Path, reserved: tuple[str, ...] = ()) -> Metadata:
    """The metadata of a CSV (or TSV, JSONL) with a ``doc_id`` column and any others (series,
    date, presidency, summit ...). ``reserved``: the documents table's own columns, which only
    ``date`` and ``title`` may override. Dates are written as ISO 8601."""
    path = Path(path)
    columns, rows = read_rows(path)
    _require(path, columns, ("doc_id",))
    problems = []
    for column in columns:
        if not COLUMN.fullmatch(column):
            problems.append(
                f"{path}: column {column!r} must be a plain name (lower-case letters, digits, "
                "'_'), as table columns are"
            )
        elif column in reserved and column not in OVERRIDABLE and column != "doc_id":
            problems.append(
                f"{path}: column {column!r} is one the pipeline fills in (only "
                f"{' and '.join(OVERRIDABLE)} may be given)"
            )
    if problems:
        raise UserDataError(problems)
    out: dict[str, dict[str, str]] = {}
    for number, row in rows:
        where = f"{path}:{number}"
        doc_id = row.get("doc_id", "")
        if not doc_id:
            problems.append(f"{where}: the doc_id is empty")
            continue
        if doc_id in out:
            problems.append(f"{where}: doc_id {doc_id!r} is listed twice")
            continue
        values = {c: v for c, v in row.items() if c != "doc_id"}
        if values.get("date"):
            date = iso_date(values["date"])
            if date is None:
                problems.append(
                    f"{where}: date {values['date']!r} of {doc_id} is no date (write 2018-05-17)"
                )
                continue
            values["date"] = date
        out[doc_id] = values
    if problems:
        raise UserDataError(problems)
    return Metadata([c for c in columns if c != "doc_id"], out)
