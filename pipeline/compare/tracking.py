"""Commitment tracking: what the next declaration of a series does with each pledge of the last.

For a consecutive pair of one series (``series.py``; doc_a the newer, doc_b the older, as in
``alignments``) every commitment record of doc_b gets one row of ``commitment_tracking`` with a
status (docs/annotation.md section 6):

``reported_done``  the newer text reports it fulfilled: its closest sentence in doc_a reports
                   progress (``sentences.reports_progress``: "De visumplicht is opgeheven",
                   also a list item under "Sinds de top zijn belangrijke stappen gezet:");
``repeated``       its closest sentence in doc_a makes the same pledge again, wording aside;
``revised``        the same pledge with changes (``changes``): ``deadline`` (the years of its
                   deadlines differ), ``strength``, ``conditional``, ``actors`` (the records'
                   values differ) or ``scope`` (the newer sentence widens or narrows it: its
                   quantities changed, "tien" -> "twintig havens", or a cue of
                   pipeline/data/cues/scope.tsv with new words, see ``scope_changed``);
``dropped``        nothing in doc_a is close enough (``DROPPED_MAX_SCORE``).

Where the counterpart sentence holds no commitment record (an endorsement: "De Raad is
ingenomen met het besluit van de EIB om ... te stellen"), the changes compare the pledge with
the sentence itself (``sentence_reading``: deadline words, pledge marker, condition cue). A
list of names that the newer sentence keeps only in part is a change of scope
(``names_left_out``).

How close. Each pledge of doc_b is its object ("haar betrokkenheid op alle niveaus"; its
action where it has none) and, with weight ``SENTENCE_WEIGHT``, its whole sentence. Every
sentence of doc_a outside titles and headings is a candidate, as its text and as each of its
commitment records' object (the pledge's counterpart may be a record the extractor missed, so
the text counts too). Texts are TF-IDF vectors of character 3-5-grams inside words, fitted on
the pair: robust to Dutch inflection and compounds ("hervorming" / "hervormingen",
"terrorismebestrijding" / "bestrijding van terrorisme"). A sentence closest to a pledge of
another segment of doc_b serves this one only when it is very close (``SHARED_MIN_SCORE``),
otherwise the next candidate is taken. The score is the best cosine; the
counterpart is the candidate with the highest score, among progress sentences and pledges
alike, a progress sentence winning when it is within ``DONE_MARGIN`` of the best pledge (a
report that the pledge is kept is the stronger statement), or within ``DUE_DONE_MARGIN`` when
the pledge fell due by the newer declaration's date (``documents.date``); such a pledge may
share its progress sentence with another segment's pledge. A pledge that shares
its sentence with others weighs the sentence less (``SHARED_SENTENCE_WEIGHT``) and continues
only into a pledge sentence close to its own object (``SHARED_OBJECT_MIN_SCORE``). A pledge of
doc_a of the same form with other names ("... in 2027 in Graz de volgende top organiseren" ->
"... in 2028 in Split ...") is another pledge: its score is lowered by ``NAME_PENALTY``. The
parameters were tuned on the training pairs of corpus/annotated/followups/ only (``python -m
pipeline.compare.evaluate``; docs/decisions.md says how each was chosen).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from os.path import commonprefix
from pathlib import Path

import numpy as np
import pandas as pd
import spacy
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from spacy.lang.nl.stop_words import STOP_WORDS

from ..classify.commitments.conditions import condition_positions
from ..classify.commitments.extraction import find_marker
from ..classify.progress import read_cues
from ..tables import COLUMNS
from .corpus import _empty

# tuned on the training pairs only (python -m pipeline.compare.evaluate: 59 -> 62 of 74 right
# with the whole sentence weighing 0.7 rather than 0.5); see the module docstring
DROPPED_MAX_SCORE = 0.30
DONE_MARGIN = 0.05
# a pledge that fell due by the newer declaration's date (its deadlines' years all at most
# that year: "in 2027 in Graz de volgende top organiseren", read in Graz 2027) is kept or
# missed by then: a progress sentence wins within this larger margin (not fitted: the
# training pairs score the same from 0.05 to 0.3; set to twice DONE_MARGIN)
DUE_DONE_MARGIN = 0.1
SENTENCE_WEIGHT = 0.7
# the weight of the whole sentence for a pledge that shares its sentence with other pledges
# ("... een strategie aan te nemen en de doorlichting af te ronden"): the sentence then says
# as much about each of them, and only the object tells them apart
SHARED_SENTENCE_WEIGHT = 0.6  # training pairs: 61 -> 62 of 74 (gold records 64 -> 65); 0.5 and
# 0.7 score 61, 0.4 and below 58
# a sentence of doc_a closest to a pledge of another segment counts for this one only from
# this score up (annex items merged into one point are each that close)
SHARED_MIN_SCORE = 0.7
# a pledge sharing its sentence with others continues into a pledge sentence of doc_a only
# when its own object is this close to it (the sentence's text or one of its records): the
# largest value in steps of 0.05 that costs no training item (the lowest such pledge of the
# training pairs that has a counterpart scores 0.26)
SHARED_OBJECT_MIN_SCORE = 0.25
# a revision of scope: a scope cue and at least this many content words the older sentence
# lacks (see scope_changed)
SCOPE_MIN_WORDS = 3
SCOPE_QUANTITIES = False
SCOPE_CUE_EITHER_WAY = False
SCOPE_REMOVED = False
SCOPE_CUES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "scope.tsv"
NUMBERS_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "numbers.tsv"
DEADLINES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "deadlines.tsv"
PARTICIPLES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "participles.tsv"
SUBORDINATORS_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "subordinators.tsv"
PARTICLES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "particles.txt"
YEAR_PARTS_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "year_parts.tsv"
FREQUENCIES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "frequencies.tsv"
# a word naming the part of its year stands at most this many words before the year ("in het
# voorjaar van 2029": 2; "vóór eind 2027": 1)
YEAR_PART_REACH = 3
# a deadline word stands at most this many words before its year ("uiterlijk in juni 2028")
DEADLINE_REACH = 2
# two content words are one when one contains the other ("onderwijs", "beroepsonderwijs") or
# they share this many first letters ("hervorming", "hervormingen")
SAME_STEM = 6
# the largest penalty, in steps of 0.1, that costs no training item (0.4 costs 2 of 74)
NAME_PENALTY = 0.3
SWAPPED_MIN_NAMES = 1
# a pledge narrowed: the newer sentence leaves out this many names of the pledge's object
LEFT_OUT_MIN_NAMES = 1
# actors found this way name nobody in the sentence: two such records differ in actors only
# where their declarations' parties differ, which says nothing of the pledge
UNNAMED_ACTOR_SOURCES = frozenset({"passive"})
# sentences of these segment kinds are no counterpart of a pledge
NOT_CANDIDATE_KINDS = frozenset({"title", "annex_title", "heading", "footnote"})

_YEAR = re.compile(r"\b(19|20)\d\d\b")
# a numeral, with thousands written "5 000", "5.000" or "5,000"
_NUMERAL = re.compile(r"\b\d+(?:[ .,]\d{3})*(?:,\d+)?\b")
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][\w-]+")
# a name of one or more capitalised words ("de Republiek Moldavië"), and a list of them joined
# by commas and a last "en" or "of" ("Georgië, de Republiek Moldavië en Oekraïne")
_NAME_PART = r"(?:(?:de|het) )?[A-ZÀ-Þ][\w-]+(?: [A-ZÀ-Þ][\w-]+)*"
_NAME = re.compile(_NAME_PART)
_NAME_LIST = re.compile(rf"{_NAME_PART}(?:, {_NAME_PART})* (?:en|of) {_NAME_PART}")


def _listed(value) -> list:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return []
    return [str(value)]


def with_commitment_ids(commitments: pd.DataFrame) -> pd.DataFrame:
    """The commitments table with ``commitment_id`` (``<sentence_id>.c<K>``, K from 1 in
    reading order within the sentence) where a run's table lacks it."""
    c = commitments.reset_index(drop=True).copy()
    if "commitment_id" not in c or c["commitment_id"].isna().any():
        k = c.groupby(["doc_id", "sentence_id"], sort=False).cumcount() + 1
        derived = c["sentence_id"].astype(str) + ".c" + k.astype(str)
        c["commitment_id"] = c["commitment_id"].fillna(derived) if "commitment_id" in c else derived
    return c


def _pledge_text(record) -> str:
    """What a pledge is about: its object ("de visumplicht voor studenten"), its action where
    it has none. The action alone says little: "vorderingen maken", "versterken" stand before
    many objects."""
    return str(record.get("object") or "").strip() or str(record.get("action") or "").strip()


def _years(record) -> frozenset[str]:
    """The years of a record's deadlines (its dates where the table has no deadlines)."""
    values = _listed(record.get("deadlines" if "deadlines" in record else "dates"))
    return frozenset(m.group() for v in values for m in _YEAR.finditer(v))


def content_words(text: str) -> list[str]:
    """Lower-cased words of at least four letters that are no stop word (spaCy's Dutch list)
    and no number."""
    words = _WORD.findall(str(text or "").lower())
    return [w for w in words if len(w) >= 4 and w not in STOP_WORDS and not w.isdigit()]


def _covered(word: str, words: list[str]) -> bool:
    return any(
        word in other or other in word or len(commonprefix([word, other])) >= SAME_STEM
        for other in words
    )


@functools.cache
def scope_cues(path: Path = SCOPE_CUES_PATH) -> tuple[re.Pattern, ...]:
    """The phrases of scope.tsv, each as a whole-word pattern."""
    phrases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            phrase = line.split("\t")[0].strip().lower()
            if not phrase:
                raise ValueError(f"{path}: line {number}: no phrase")
            phrases.append(re.compile(r"\b" + re.escape(phrase) + r"\b"))
    return tuple(phrases)


@functools.cache
def number_words(path: Path = NUMBERS_PATH) -> dict[str, str]:
    """The number words of numbers.tsv: word -> value ("twintig" -> "20")."""
    words = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                raise ValueError(f"{path}: line {number}: expected a word and its value")
            words[fields[0].strip().lower()] = fields[1].strip()
    return words


def quantities(text: str) -> frozenset[str]:
    """The quantities a sentence names: its numerals other than years ("EUR 150 miljoen" ->
    {"150", "1000000"}) and its number words, by value ("tien kustgemeenten" -> {"10"})."""
    text = str(text or "").lower()
    found = {
        re.sub(r"[ .]", "", m.group())
        for m in _NUMERAL.finditer(text)
        if not _YEAR.fullmatch(m.group())
    }
    words = number_words()
    found.update(words[w] for w in _WORD.findall(text) if w in words)
    return frozenset(found)


@functools.cache
def clause_words(path: Path = SUBORDINATORS_PATH) -> frozenset[str]:
    """The words of subordinators.tsv that always open a clause (kind "clause": "die",
    "waaraan", "zodra" ...)."""
    words = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) < 2:
                raise ValueError(f"{path}: line {number}: expected a word and its kind")
            if fields[1].strip() == "clause":
                words.add(fields[0].strip().lower())
    return frozenset(words)


def without_clauses(text: str) -> str:
    """The sentence without the clauses that a comma and a word of ``clause_words`` open, each
    up to the next comma, semicolon or colon: "... te ondersteunen via het Fonds, waaraan wij
    USD 2 miljard zullen bijdragen." -> "... te ondersteunen via het Fonds". What such a clause
    says (a relative clause on a fund, a condition) is no part of the pledge's own scope."""
    words = clause_words()
    kept: list[str] = []
    skipping = False
    for part in re.split(r"([,;:])", str(text or "")):
        if part in (",", ";", ":"):
            skipping = False
        else:
            first = _WORD.match(part.strip().lower())
            if not skipping and kept and kept[-1] == "," and first and first.group() in words:
                skipping = True
                kept.pop()  # the comma that opened the clause
        if not skipping:
            kept.append(part)
    return "".join(kept)


def scope_changed(b, a, sentence_b: str, sentence_a: str) -> bool:
    """Whether the newer sentence widens or narrows the pledge:

    - its quantities changed: both sentences name quantities (``quantities``) and not the same
      ones ("tien andere kustgemeenten" -> "twintig kustgemeenten", "EUR 150" -> "EUR 200
      miljoen");
    - or it has a scope cue (scope.tsv: "ook", "tot", "met inbegrip van", "alleen" ...) that
      the older sentence lacks, with at least ``SCOPE_MIN_WORDS`` content words the older
      sentence lacks ("..., ook voor ziekenhuizen, waterbedrijven en havens"). (Counting the
      older's words that the newer lacks as well, or a cue the newer lacks, loses 2 of the 74
      training items: paraphrase drops words without narrowing the pledge.)

    - or the newer sentence names some of the places or parties the pledge's object lists and
      leaves out others (``names_left_out``: "in de havens van Nador, Mersin en Limassol" ->
      "in de havens van Nador en Mersin");
    - or a list of names in the newer sentence joins to one the older sentence names one it
      lacks (``names_added``: "samen met de Energiegemeenschap" -> "samen met de
      Energiegemeenschap en de Wereldbank", "aan de Raad" -> "aan de Raad en het Europees
      Parlement");
    - or both sentences say how often and not the same (``frequency_changed``: "jaarlijks" ->
      "halfjaarlijks").

    Where the pledge became (un)conditional the words added are its condition ("Mits de
    partners de middelen vrijmaken, ..."), not its scope. The quantities are those of each
    sentence's own clauses (``without_clauses``) and of the records' objects: in "de productie
    van vaccins te ondersteunen via het Fonds, waaraan wij USD 2 miljard zullen bijdragen" the
    amount is the fund's (the pledge "USD 2 miljard bijdragen"), and raising it changes that
    pledge, not the support for vaccine production."""
    if bool(b.get("conditional")) != bool(a.get("conditional")):
        return False
    older, newer = str(sentence_b or "").lower(), str(sentence_a or "").lower()
    amounts_b = quantities(without_clauses(older)) | quantities(str(b.get("object") or ""))
    amounts_a = quantities(without_clauses(newer)) | quantities(str(a.get("object") or ""))
    if amounts_b and amounts_a and amounts_b != amounts_a:
        return True
    if names_left_out(str(b.get("object") or ""), str(sentence_a or "")):
        return True
    if names_added(without_clauses(str(sentence_b or "")), without_clauses(str(sentence_a or ""))):
        return True
    if frequency_changed(older, newer):
        return True
    if not any(cue.search(newer) and not cue.search(older) for cue in scope_cues()):
        return False
    in_b = content_words(older)
    added = [w for w in content_words(newer) if not _covered(w, in_b)]
    return len(added) >= SCOPE_MIN_WORDS


def proper_names(text: str) -> list[str]:
    """The capitalised words of a sentence other than its first, lower-cased: the names of
    places, actors and programmes it mentions ("Graz", "Oostenrijk", "Werkprogramma")."""
    words = _CAPITALISED.findall(str(text or ""))[1:] if str(text or "")[:1].isupper() else []
    words = words if words else _CAPITALISED.findall(str(text or ""))
    return [w.lower() for w in words if w.lower() not in STOP_WORDS]


def listed_names(text: str) -> list[list[str]]:
    """The members of the lists of names in a text, each as its lower-cased words: "in de
    havens van Nador, Mersin en Limassol" -> [["nador"], ["mersin"], ["limassol"]]."""
    members = []
    for found in _NAME_LIST.finditer(str(text or "")):
        for member in _NAME.finditer(found.group()):
            members.append([w.lower() for w in _CAPITALISED.findall(member.group())])
    return members


def names_left_out(pledge_object: str, newer_sentence: str) -> bool:
    """Whether the newer sentence keeps at least one member of a list of names in the pledge's
    object and leaves out at least ``LEFT_OUT_MIN_NAMES`` others: the pledge narrowed to a
    part of what it listed ("de strijdkrachten van Georgië, de Republiek Moldavië en Oekraïne"
    -> "... van de Republiek Moldavië en Oekraïne")."""
    members = listed_names(pledge_object)
    newer = proper_names(newer_sentence)
    lost = [m for m in members if not any(_covered(w, newer) for w in m)]
    return len(lost) >= LEFT_OUT_MIN_NAMES and len(lost) < len(members)


def names_added(older_sentence: str, newer_sentence: str) -> bool:
    """Whether a list of names in the newer sentence keeps a name of the older sentence and
    joins to it at least one the older sentence lacks: the pledge widened to other parties or
    places ("aan de Raad" -> "aan de Raad en het Europees Parlement"). A name alone in the newer
    sentence is no widening (a paraphrase names the actor or the place it left implicit)."""
    older = _names_of(older_sentence) + [w.lower() for w in _CAPITALISED.findall(older_sentence)]
    for found in _NAME_LIST.finditer(str(newer_sentence or "")):
        members = [
            [w.lower() for w in _CAPITALISED.findall(m.group())]
            for m in _NAME.finditer(found.group())
        ]
        kept = [m for m in members if any(_covered(w, older) for w in m)]
        new = [m for m in members if not any(_covered(w, older) for w in m)]
        if kept and new:
            return True
    return False


@functools.cache
def frequencies(path: Path = FREQUENCIES_PATH) -> tuple[tuple[re.Pattern, str], ...]:
    """The phrases of frequencies.tsv as whole-word patterns, each with its frequency,
    longest first ("halfjaarlijks" before "jaarlijks" cannot clash: whole words)."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                raise ValueError(f"{path}: line {number}: expected a phrase and its frequency")
            found.append((fields[0].strip().lower(), fields[1].strip()))
    found.sort(key=lambda f: len(f[0]), reverse=True)
    return tuple((re.compile(r"\b" + re.escape(p) + r"\b"), f) for p, f in found)


def sentence_frequencies(text: str) -> frozenset[str]:
    """How often a sentence says its pledge recurs ("jaarlijks" -> {"year"})."""
    text = str(text or "").lower()
    return frozenset(f for pattern, f in frequencies() if pattern.search(text))


def frequency_changed(older: str, newer: str) -> bool:
    """Whether both sentences name a frequency and not the same ones ("De Commissie zal
    jaarlijks ... verslag uitbrengen" -> "... voortaan halfjaarlijks ...")."""
    found_b, found_a = sentence_frequencies(older), sentence_frequencies(newer)
    return bool(found_b and found_a and found_b != found_a)


def names_swapped(older: list[str], newer: list[str]) -> bool:
    """Whether the newer sentence puts other names in place of the older one's: each names
    at least ``SWAPPED_MIN_NAMES`` the other lacks."""
    lost = [w for w in older if not _covered(w, newer)]
    new = [w for w in newer if not _covered(w, older)]
    return len(lost) >= SWAPPED_MIN_NAMES and len(new) >= SWAPPED_MIN_NAMES


@functools.lru_cache(maxsize=2**16)
def _names_swapped_between(older: str, newer: str) -> bool:
    """``names_swapped`` of two sentences' names, remembered: a series repeats its sentences."""
    return names_swapped(_names_of(older), _names_of(newer))


@functools.lru_cache(maxsize=2**16)
def _object_names_lost(pledge_object: str, newer: str) -> bool:
    """Whether a pledge's object names places or parties of which the newer sentence names
    none, naming others instead ("de centrale in Pljevlja" -> "de bruinkoolcentrale in
    Bitola"): another pledge, maybe of the same sentence of the older declaration."""
    own = proper_names(pledge_object)
    return (
        bool(own)
        and all(not _covered(w, _names_of(newer)) for w in own)
        and bool([w for w in _names_of(newer) if not _covered(w, own)])
    )


@functools.lru_cache(maxsize=2**16)
def _names_of(text: str) -> list[str]:
    return proper_names(text)


@functools.cache
def year_parts(path: Path = YEAR_PARTS_PATH) -> dict[str, str]:
    """The words of year_parts.tsv: word -> the part of the year it names ("juni" -> "midden",
    "eind" -> "eind")."""
    parts = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                raise ValueError(f"{path}: line {number}: expected a word and its part of the year")
            parts[fields[0].strip().lower()] = fields[1].strip()
    return parts


def deadline_parts(values) -> dict[str, str]:
    """year -> the part of that year a deadline names, for the deadlines that name one
    ("uiterlijk in het voorjaar van 2029" -> {"2029": "voorjaar"}; "tegen 2029" -> {})."""
    parts = year_parts()
    found: dict[str, str] = {}
    for value in _listed(values):
        words = _WORD.findall(value.lower())
        for i, word in enumerate(words):
            if _YEAR.fullmatch(word):
                named = [parts[w] for w in words[max(0, i - YEAR_PART_REACH) : i] if w in parts]
                if named:
                    found.setdefault(word, named[-1])
    return found


def deadline_moved(b, a) -> bool:
    """Whether the newer record's deadline differs from the older one's: other years, or the
    same year with another part of it ("uiterlijk in het voorjaar van 2029" -> "uiterlijk eind
    2029"; "in december 2027" and "vóór eind 2027" are one deadline, see year_parts.tsv)."""
    if _years(b) != _years(a):
        return True
    key = "deadlines" if "deadlines" in b else "dates"
    parts_b = deadline_parts(b.get(key))
    parts_a = deadline_parts(a.get("deadlines" if "deadlines" in a else "dates"))
    return any(year in parts_a and parts_a[year] != part for year, part in parts_b.items())


def changes_between(b, a, sentence_b: str, sentence_a: str) -> list[str]:
    """What changed from the older record b to the newer record a (CHANGE_KINDS order). A
    strength or actors that a does not know (None: see ``sentence_reading``) is no change."""
    found = []
    if deadline_moved(b, a):
        found.append("deadline")
    if scope_changed(b, a, sentence_b, sentence_a):
        found.append("scope")
    if a.get("strength", "") is not None and (b.get("strength") or "") != (a.get("strength") or ""):
        found.append("strength")
    if bool(b.get("conditional")) != bool(a.get("conditional")):
        found.append("conditional")
    if (
        a.get("actors", []) is not None
        and set(_listed(b.get("actors"))) != set(_listed(a.get("actors")))
        and not (_unnamed(b) and _unnamed(a))
    ):
        found.append("actors")
    return found


def _unnamed(record) -> bool:
    """Whether a record's actors are no words of its sentence but its declaration's parties,
    inferred (``actor_source`` in ``UNNAMED_ACTOR_SOURCES``: "zal worden gegeven")."""
    return record.get("actor_source") in UNNAMED_ACTOR_SOURCES


@functools.cache
def _tokenizer():
    # the words alone: the cues of a pledge marker or a condition match on their forms
    return spacy.blank("nl").tokenizer


@functools.cache
def deadline_words(path: Path = DEADLINES_PATH) -> frozenset[str]:
    """The words of deadlines.tsv that open a time phrase bounding an action ("tegen",
    "uiterlijk", "vóór", "eind", "in" ...: kinds before, until and within)."""
    words = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) < 2:
                raise ValueError(f"{path}: line {number}: expected a cue and its kind")
            if fields[1].strip() in ("before", "until", "within"):
                words.add(fields[0].strip().lower())
    return frozenset(words)


def deadline_years(text: str) -> list[str]:
    """The years of a sentence that a deadline word opens, at most ``DEADLINE_REACH`` words
    before the year ("tegen 2029", "vóór eind 2027", "uiterlijk in juni 2028"; not "het
    actieplan van juli 2017")."""
    words = _WORD.findall(str(text or "").lower())
    cues = deadline_words()
    return sorted(
        {
            w
            for i, w in enumerate(words)
            if _YEAR.fullmatch(w) and cues.intersection(words[max(0, i - DEADLINE_REACH) : i])
        }
    )


def deadline_phrases(text: str) -> list[str]:
    """The deadlines of ``deadline_years`` with the words before each year that may name its
    part of the year ("uiterlijk eind 2029" -> ["uiterlijk eind 2029"])."""
    words = _WORD.findall(str(text or "").lower())
    years = set(deadline_years(text))
    reach = max(DEADLINE_REACH, YEAR_PART_REACH)
    return [" ".join(words[max(0, i - reach) : i + 1]) for i, w in enumerate(words) if w in years]


@functools.lru_cache(maxsize=2**14)
def sentence_reading(text: str) -> dict:
    """A sentence of the newer declaration read as a pledge where the extractor found no record
    in it ("De Raad is ingenomen met het besluit van de EIB om ... vóór eind 2027 leningen ten
    belope van 2 miljard euro beschikbaar te stellen"): its deadlines' years, the strength of
    its pledge marker (strength.tsv; None without one), whether a condition cue opens a clause
    (conditions.tsv: "zodra de financiering rond is") and no actors (None: unknown)."""
    tokens = _tokenizer()(str(text or ""))
    marker = find_marker(tokens)
    return {
        "deadlines": deadline_phrases(text),
        "strength": marker[1] if marker else None,
        "conditional": bool(condition_positions(tokens)),
        "actors": None,
    }


# the pair's texts as TF-IDF vectors of these character n-grams (see the module docstring)
NGRAMS = {"analyzer": "char_wb", "ngram_range": (3, 5)}


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(**NGRAMS, sublinear_tf=True)


@dataclass
class _Sentences:
    """One document's sentences as track_pair reads them: ids, segment ids, text (missing
    text empty), whether each reports progress, and sentence id -> text as stored."""

    ids: list
    segment_ids: list
    texts: list[str]
    progress: np.ndarray
    raw_text: dict

    def kept(self, keep: list[bool]) -> _Sentences:
        """The sentences where ``keep`` is true, in order."""
        at = [i for i, k in enumerate(keep) if k]
        return _Sentences(
            [self.ids[i] for i in at],
            [self.segment_ids[i] for i in at],
            [self.texts[i] for i in at],
            self.progress[np.array(at, dtype=np.int64)],
            self.raw_text,
        )


class _ByDocument:
    """The rows of each document, grouped once for every pair of the comparison (filtering
    the whole tables per pair costs time quadratic in the number of documents), and the
    n-gram counts of every text a pair may compare, counted once: a declaration's sentences
    serve both pairs it belongs to, and many recur across a series."""

    def __init__(
        self,
        commitments: pd.DataFrame,
        sentences: pd.DataFrame,
        segments: pd.DataFrame | None,
    ):
        # the sentences' columns track_pair reads, once for the table, by document
        progress = (
            sentences["reports_progress"].fillna(False).astype(bool).to_numpy()
            if "reports_progress" in sentences
            else np.zeros(len(sentences), bool)
        )
        columns = (
            sentences["sentence_id"].tolist(),
            sentences["segment_id"].tolist(),
            sentences["text"].fillna("").astype(str).tolist(),
            sentences["text"].tolist(),
        )
        self._sentences: dict[str, _Sentences] = {}
        for doc_id, at in sentences.groupby("doc_id", sort=False).indices.items():
            ids, segment_ids, clean, raw = ([column[i] for i in at] for column in columns)
            self._sentences[doc_id] = _Sentences(
                ids, segment_ids, clean, progress[at], dict(zip(ids, raw))
            )
        self._kinds: dict[str, dict] | None = None
        if segments is not None and "kind" in segments:
            self._kinds = {}
            for doc_id, segment_id, kind in segments[["doc_id", "segment_id", "kind"]].itertuples(
                index=False
            ):
                self._kinds.setdefault(doc_id, {})[segment_id] = kind
        records = commitments.to_dict("records")
        self._records: dict[str, list[dict]] = {}
        for record in records:
            self._records.setdefault(record["doc_id"], []).append(record)
        # every text track_pair may vectorise: sentences as candidates (missing text empty)
        # and as a pledge's context (str of the value), the pledges' objects or actions
        texts = {""}
        texts.update(sentences["text"].fillna("").astype(str))
        texts.update(str(t) for t in sentences["text"])
        texts.update(_pledge_text(r) for r in records)
        self._texts = sorted(texts)
        self._row_of_text = {t: i for i, t in enumerate(self._texts)}
        # columns in the order of the terms, as a fit on a pair's own texts orders them
        self._counts = CountVectorizer(**NGRAMS, dtype=np.float64).fit_transform(self._texts)

    def tfidf_rows(self, texts: list[str]):
        """The rows ``_vectorizer().fit(texts).transform(texts)`` gives, weight for weight:
        the texts' counts restricted to the terms they use (the pair's vocabulary, in term
        order), indices sorted as ``transform`` leaves them so that every norm and product
        sums in the same order, then TF-IDF fitted on them and applied."""
        rows = self._counts[[self._row_of_text[t] for t in texts]]
        used = np.unique(rows.indices)
        if not len(used):
            _vectorizer().fit(texts)  # no n-gram at all: the vectoriser's own error
        counts = rows[:, used]
        counts.sort_indices()
        return TfidfTransformer(sublinear_tf=True).fit(counts).transform(counts, copy=False)

    def records(self, doc_id: str) -> list[dict]:
        """The document's commitment records (read, never changed, by both its pairs)."""
        return self._records.get(doc_id, [])

    def sentences(self, doc_id: str) -> _Sentences:
        return self._sentences.get(doc_id, _Sentences([], [], [], np.zeros(0, bool), {}))

    def kinds(self, doc_id: str) -> dict | None:
        """segment_id -> kind of the document's segments; None without a segments table."""
        return None if self._kinds is None else self._kinds.get(doc_id, {})


def track_pair(
    doc_a: str,
    doc_b: str,
    rows_of: _ByDocument,
    year_a: int | None = None,
) -> list[dict]:
    """The commitment_tracking rows of one pair (doc_a newer, doc_b older); ``year_a``: the
    year of doc_a's date, where known."""
    pledges = rows_of.records(doc_b)
    if not pledges:
        return []
    sent_a = rows_of.sentences(doc_a)
    kinds = rows_of.kinds(doc_a)
    if kinds is not None:
        sent_a = sent_a.kept(
            [kinds.get(segment) not in NOT_CANDIDATE_KINDS for segment in sent_a.segment_ids]
        )
    text_b = rows_of.sentences(doc_b).raw_text
    records_a = rows_of.records(doc_a)
    progress = sent_a.progress
    texts_a = sent_a.texts
    row_of_sentence = {sid: i for i, sid in enumerate(sent_a.ids)}
    # the candidates: each sentence of doc_a, and each of its records (sentence row, record)
    cand_text = list(texts_a)
    cand_row = list(range(len(texts_a)))
    cand_record: list[dict | None] = [None] * len(texts_a)
    for record in records_a:
        if record["sentence_id"] in row_of_sentence:
            cand_text.append(_pledge_text(record))
            cand_row.append(row_of_sentence[record["sentence_id"]])
            cand_record.append(record)
    queries = [_pledge_text(p) for p in pledges]
    contexts = [str(text_b.get(p["sentence_id"], "")) for p in pledges]
    per_sentence = Counter(p["sentence_id"] for p in pledges)
    if not cand_text:
        scores = np.zeros((len(pledges), 0))
        S_pledge = scores
    else:
        weighted = rows_of.tfidf_rows(cand_text + queries + contexts)
        n_cand, n_pledges = len(cand_text), len(pledges)
        C = weighted[:n_cand]
        Q = weighted[n_cand : n_cand + n_pledges]
        X = weighted[n_cand + n_pledges :]
        S_pledge = (Q @ C.T).toarray()
        S_context = (X @ C.T).toarray()
        weight = np.array(
            [
                SENTENCE_WEIGHT if per_sentence[p["sentence_id"]] == 1 else SHARED_SENTENCE_WEIGHT
                for p in pledges
            ]
        )[:, None]
        scores = (1 - weight) * S_pledge + weight * S_context
    cand_row_arr = np.asarray(cand_row, dtype=np.int64)
    cand_done = progress[cand_row_arr] if len(cand_row_arr) else np.zeros(0, bool)
    if len(cand_row_arr):
        # per distinct sentence of doc_b and sentence of doc_a, then spread over the candidates
        swapped_of = {
            t: np.array([_names_swapped_between(t, ta) for ta in texts_a], bool)
            for t in set(contexts)
        }
        swapped = np.array([swapped_of[t][cand_row_arr] for t in contexts], bool)
        # so is a pledge whose own object names places or parties ("de haven van Lom") and a
        # sentence that names none of them but others ("de haven van Constanța", the pledge
        # beside it in a shared sentence, or one the extractor found alone there)
        swapped |= np.array(
            [[_object_names_lost(_pledge_text(p), texts_a[r]) for r in cand_row] for p in pledges],
            bool,
        ).reshape(swapped.shape)
        # a pledge of the same form with other names is another pledge ("... om in 2027 in
        # Graz de volgende top te organiseren" -> "... om in 2028 in Split ..."); a progress
        # sentence is evidence whatever names it repeats
        scores = np.where(swapped & ~cand_done[None, :], scores * (1 - NAME_PENALTY), scores)
    # a pledge that shares its sentence ("... de beurzen handhaven en de deelname aan Erasmus+
    # uitbreiden") continues only into a pledge sentence that names its own object: the rest
    # of its sentence may have been kept without it ("... de beurzen handhaven.")
    own = np.zeros((len(pledges), len(texts_a)))
    if len(cand_row_arr):
        np.maximum.at(own.T, cand_row_arr, S_pledge.T)
    allowed = [
        np.ones(len(cand_row), bool)
        if per_sentence[p["sentence_id"]] == 1
        else cand_done | (own[i, cand_row_arr] >= SHARED_OBJECT_MIN_SCORE)
        for i, p in enumerate(pledges)
    ]
    due = [_due(p, year_a) for p in pledges]
    margins = [DUE_DONE_MARGIN if d else DONE_MARGIN for d in due]
    # the progress candidates that report each pledge's own verb done
    done_rows = np.flatnonzero(progress)
    verb_done = []
    # per pledge, the candidates that name its own verb's participle before a word of its
    # object ("de in november 2022 aangenomen prioriteitenagenda"): a report of it done in a
    # sentence that says something else
    done_of = []
    for p in pledges:
        found = np.zeros(len(cand_row), bool)
        action = str(p.get("action") or "")
        pattern = participle_pattern(action)
        if pattern is not None and len(done_rows):
            hits = [r for r in done_rows if pattern.search(texts_a[r].lower())]
            found = cand_done & np.isin(cand_row_arr, hits)
        kept = infinitive_pattern(action)
        if kept is not None and len(done_rows):
            # "is de afspraak om opnieuw ... bijeen te komen, zij het later dan voorzien,
            # nagekomen": the promise kept is named by its own verb
            hits = [r for r in done_rows if promise_kept(kept, texts_a[r])]
            found |= cand_done & np.isin(cand_row_arr, hits)
        attributive = np.array(
            [attributive_report(action, str(p.get("object") or ""), texts_a[r]) for r in cand_row],
            bool,
        )
        verb_done.append(found | attributive)
        done_of.append(cand_done | attributive)
    # a report of part of the pledge ("telt inmiddels veertien" beside "uitbreiden tot
    # twintig", one of two crossings "werd geopend") is its counterpart only where the newer
    # declaration renews it nowhere: the pledge for the rest is the one continued
    with_record = np.zeros(len(texts_a), bool)
    for record in records_a:
        if record["sentence_id"] in row_of_sentence:
            with_record[row_of_sentence[record["sentence_id"]]] = True
    partial = [
        partial_report(p, contexts[i], texts_a, cand_row_arr, cand_done, with_record)
        for i, p in enumerate(pledges)
    ]
    choice = []
    for i in range(len(pledges)):
        whole = allowed[i] & ~partial[i]
        k = _choose(scores[i], done_of[i], whole, margins[i], verb_done[i] & whole)
        if k is None:
            k = _choose(scores[i], done_of[i], allowed[i], margins[i], verb_done[i])
        choice.append(k)
    # a sentence of doc_a continues the pledge of doc_b closest to it; another segment's
    # pledge that it is only loosely close to looks further (or is dropped)
    owner: dict[int, int] = {}
    for i, k in enumerate(choice):
        if k is not None:
            j = owner.get(cand_row[k])
            if j is None or scores[i, k] > scores[j, choice[j]]:
                owner[cand_row[k]] = i
    for i, k in enumerate(choice):
        if k is None or (done_of[i][k] and (due[i] or verb_done[i][k])):
            # one report often sums up several pledges kept by their date ("De in Struga
            # aangenomen Agenda ... is op deze top geëvalueerd"): it serves each that fell due,
            # and each whose own verb it reports done ("heeft ... jongeren opgeleid en heeft
            # vestigingen ... geopend")
            continue
        j = owner[cand_row[k]]
        segment = pledges[i]["segment_id"]
        if pledges[j]["segment_id"] != segment and scores[i, k] < SHARED_MIN_SCORE:
            taken = {r for r, o in owner.items() if pledges[o]["segment_id"] != segment}
            free = ~np.isin(cand_row_arr, list(taken)) & allowed[i]
            whole = free & ~partial[i]
            choice[i] = _choose(scores[i], done_of[i], whole, margins[i], verb_done[i] & whole)
            if choice[i] is None:
                choice[i] = _choose(scores[i], done_of[i], free, margins[i], verb_done[i])
    records_in: dict[int, list[int]] = {}
    for k, (r, held) in enumerate(zip(cand_row, cand_record)):
        if held:
            records_in.setdefault(r, []).append(k)
    rows = []
    for i, pledge in enumerate(pledges):
        s, best = scores[i], choice[i]
        row = {
            "doc_a": doc_a,
            "doc_b": doc_b,
            "commitment_b": pledge["commitment_id"],
            "segment_b": pledge["segment_id"],
            "action_b": pledge.get("action"),
            "status": "dropped",
            "commitment_a": None,
            "segment_a": None,
            "changes": [],
            "score": round(float(s.max()) if len(s) else 0.0, 6),
            "evidence": None,
        }
        if best is None:
            rows.append(row)
            continue
        sentence_row = cand_row[best]
        if done_of[i][best]:
            row["status"] = "reported_done"
        else:
            # the record of that sentence closest to the pledge
            in_sentence = records_in.get(sentence_row, [])
            if in_sentence:
                k = max(in_sentence, key=lambda k: s[k])
                record = cand_record[k] or {}
                row["commitment_a"] = record["commitment_id"]
            else:
                # no record to compare with: the pledge with the newer sentence itself
                record = sentence_reading(texts_a[sentence_row])
            if same_words(contexts[i], texts_a[sentence_row]):
                # the sentence kept word for word: the same pledge, whatever two readings of
                # it (the older document's records and the newer one's) differ in
                row["changes"] = []
            else:
                row["changes"] = changes_between(pledge, record, contexts[i], texts_a[sentence_row])
            row["status"] = "revised" if row["changes"] else "repeated"
        row["segment_a"] = sent_a.segment_ids[sentence_row]
        row["evidence"] = texts_a[sentence_row]
        row["score"] = round(float(s[best]), 6)
        rows.append(row)
    return rows


@functools.cache
def _participle_rules(
    path: Path = PARTICIPLES_PATH, particles_path: Path = PARTICLES_PATH
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(separable particles, longest first; inseparable prefixes; endings; strong verbs as
    (infinitive, participle)) from particles.txt and participles.tsv."""
    kinds: dict[str, list[str]] = {"inseparable": [], "ending": [], "strong": []}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) < 2 or fields[0] not in kinds:
                raise ValueError(
                    f"{path}: line {number}: expected inseparable, ending or strong, and words"
                )
            kinds[fields[0]].extend(w.strip().lower() for w in fields[1].split("|") if w.strip())
    particles = [
        line.strip().lower()
        for line in particles_path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    strong = []
    for pair in kinds["strong"]:
        infinitive, _, participle = pair.partition("=")
        if not participle:
            raise ValueError(f"{path}: strong verb {pair!r}: expected infinitive=participle")
        strong.append((infinitive, participle))
    return (
        tuple(sorted(particles, key=len, reverse=True)),
        tuple(kinds["inseparable"]),
        tuple(kinds["ending"]),
        tuple(strong),
    )


_VOWELS = "aeiouy"


@functools.lru_cache(maxsize=2**12)
def participle_pattern(action: str) -> re.Pattern | None:
    """The past participle of the last verb of an action, as a whole-word pattern
    (participles.tsv): "voorleggen" -> "voorgelegd", "instellen" -> "ingesteld", "publiceren"
    -> "gepubliceerd", "als gastheer optreden" -> "opgetreden"; a strong verb's as listed
    ("aannemen" -> "aangenomen", "sluiten" -> "gesloten"). None where the verb is too
    short to tell (a stem of fewer than three letters) or no infinitive."""
    words = _WORD.findall(str(action or "").lower())
    verb = words[-1] if words else ""
    if not verb.endswith("en") or len(verb) < 5:
        return None
    particles, inseparable, endings, strong = _participle_rules()
    particle = next((p for p in particles if verb.startswith(p) and len(verb) - len(p) >= 4), "")
    rest = verb[len(particle) :]
    # a strong verb's own participle ("aannemen" -> "aangenomen", "sluiten" -> "gesloten")
    for infinitive, participle in strong:
        if rest == infinitive:
            return re.compile(rf"\b{re.escape(particle)}{re.escape(participle)}\b")
    if len(rest) < 5:
        particle, rest = "", verb
    ge = "" if rest.startswith(inseparable) else "ge"
    stem = rest[:-2]
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]  # "leggen" -> "leg"
    if len(stem) < 3:
        return None
    if stem[-2] in _VOWELS and stem[-3] not in _VOWELS and stem[-1] not in _VOWELS:
        # an open syllable's vowel, written double before the ending ("publiceer-d")
        stem_re = re.escape(stem[:-1]) + stem[-2] + "?" + re.escape(stem[-1])
    else:
        stem_re = re.escape(stem)
    ending = "|".join(map(re.escape, endings))
    return re.compile(rf"\b{re.escape(particle)}{ge}{stem_re}(?:{ending})?\b")


@functools.lru_cache(maxsize=2**12)
def infinitive_pattern(action: str) -> re.Pattern | None:
    """The te-infinitive of the last verb of an action, as a whole-word pattern, a separable
    particle split off before "te" ("bijeenkomen" -> "bijeen te komen", "openen" -> "te
    openen"). None where there is no infinitive."""
    words = _WORD.findall(str(action or "").lower())
    verb = words[-1] if words else ""
    if not verb.endswith("en") or len(verb) < 5:
        return None
    particles = _participle_rules()[0]
    particle = next((p for p in particles if verb.startswith(p) and len(verb) - len(p) >= 4), "")
    forms = [rf"te {re.escape(verb)}"]
    if particle:
        forms.append(rf"{re.escape(particle)} te {re.escape(verb[len(particle) :])}")
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b")


@functools.cache
def _kept_words() -> re.Pattern:
    """progress.tsv's words of a promise kept ("nagekomen", "ingelost"), as one pattern."""
    words = sorted(read_cues()["kept"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b" if words else r"(?!)")


def promise_kept(infinitive: re.Pattern, text: str) -> bool:
    """Whether a sentence says a promise was kept and names it by a pledge's te-infinitive:
    "is de afspraak om opnieuw op het hoogste niveau bijeen te komen ... nagekomen"."""
    text = str(text or "").lower()
    return bool(_kept_words().search(text) and infinitive.search(text))


def attributive_report(action: str, pledge_object: str, text: str) -> bool:
    """Whether a sentence names the participle of a pledge's own verb before a word of its
    object, as an adjective ("de in november 2022 aangenomen prioriteitenagenda" for "de
    prioriteitenagenda aannemen"): the pledge kept, said in passing in a sentence on
    something else, which is therefore no progress sentence."""
    pattern = participle_pattern(action)
    own = content_words(pledge_object)
    if pattern is None or not own:
        return False
    lowered = str(text or "").lower()
    for found in pattern.finditer(lowered):
        after = _WORD.match(lowered[found.end() :].lstrip())
        if after and len(after.group()) >= 4 and _covered(after.group(), own):
            return True
    return False


def partial_report(
    pledge,
    sentence_b: str,
    texts_a: list[str],
    cand_row: np.ndarray,
    cand_done: np.ndarray,
    with_record: np.ndarray,
) -> np.ndarray:
    """Per candidate, whether its sentence reports only part of the pledge:

    - a progress sentence that names some of the places or parties the pledge's object lists
      and leaves out others (``names_left_out``: "grensdoorlaatposten tussen Bijelo Polje en
      Prijepolje en tussen Prizren en Kukës openen" -> "de grensdoorlaatpost tussen Bijelo
      Polje en Prijepolje werd geopend");
    - a statement (a progress sentence, or one with no commitment record and no pledge
      marker) whose quantities differ from the pledge's ("het netwerk uitbreiden tot twintig
      centra" -> "het netwerk telt inmiddels veertien centra"; "2 gigawatt veilen" -> "is tot
      dusver 1,4 gigawatt geveild")."""
    pledge_object = str(pledge.get("object") or "")
    amounts_b = quantities(without_clauses(sentence_b)) | quantities(pledge_object)
    partial = np.zeros(len(cand_row), bool)
    for k, r in enumerate(cand_row):
        text = texts_a[r]
        statement = cand_done[k] or (
            not with_record[r] and sentence_reading(text)["strength"] is None
        )
        if not statement:
            continue
        if cand_done[k] and names_left_out(pledge_object, text):
            partial[k] = True
            continue
        amounts_a = quantities(without_clauses(text))
        partial[k] = bool(amounts_b and amounts_a and amounts_a != amounts_b)
    return partial


def same_words(older: str, newer: str) -> bool:
    """Whether two sentences have the same words in the same order (case and punctuation
    aside), as ``alignments`` calls a segment identical."""
    return _WORD.findall(str(older or "").lower()) == _WORD.findall(str(newer or "").lower())


def _due(record, year: int | None) -> bool:
    """Whether a pledge fell due by ``year``: its deadlines (its dates where it has none: "in
    2027 in Graz de volgende top organiseren") all lie in that year or before."""
    years = _years(record) or frozenset(
        m.group() for v in _listed(record.get("dates")) for m in _YEAR.finditer(v)
    )
    return year is not None and bool(years) and max(int(y) for y in years) <= year


def _choose(
    scores: np.ndarray,
    done: np.ndarray,
    allowed: np.ndarray,
    margin: float = DONE_MARGIN,
    verb_done: np.ndarray | None = None,
) -> int | None:
    """The counterpart candidate: the closest progress sentence that reports the pledge's own
    verb done (``verb_done``: "een tussentijds verslag voorleggen" -> "de Commissie heeft haar
    tussentijdse verslag ... voorgelegd"), whatever the pledges beside it (the newer
    declaration may renew the pledge for a later date, "zal vóór eind 2027 een tussentijds
    verslag voorleggen": the report says the first was kept; the training pairs score the same
    with any margin from 0 to 1); else the closest progress sentence when it is within
    ``margin`` of the closest pledge, else that pledge; None when nothing allowed reaches
    DROPPED_MAX_SCORE."""
    if not allowed.any():
        return None
    s = np.where(allowed, scores, -1.0)
    done_s = np.where(done, s, -1.0)
    pledge_s = np.where(done, -1.0, s)
    best_done, best_pledge = int(done_s.argmax()), int(pledge_s.argmax())
    if max(done_s[best_done], pledge_s[best_pledge]) < DROPPED_MAX_SCORE:
        return None
    if verb_done is not None and verb_done.any():
        verb_s = np.where(verb_done, s, -1.0)
        best_verb = int(verb_s.argmax())
        if verb_s[best_verb] >= DROPPED_MAX_SCORE:
            return best_verb
    return best_done if done_s[best_done] >= pledge_s[best_pledge] - margin else best_pledge


def document_years(documents: pd.DataFrame | None) -> dict[str, int]:
    """doc_id -> the year of its ``date`` (documents without a readable date left out)."""
    if documents is None or "date" not in documents or "doc_id" not in documents:
        return {}
    dates = pd.to_datetime(documents["date"], errors="coerce")
    known = dates.notna()
    return dict(zip(documents.loc[known, "doc_id"].astype(str), dates[known].dt.year.astype(int)))


def commitment_tracking(
    pairs: pd.DataFrame,
    commitments: pd.DataFrame | None,
    sentences: pd.DataFrame | None,
    segments: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The commitment_tracking table for the given (newer, older) consecutive pairs;
    ``documents`` (its ``date``) tells which pledges fell due by the newer declaration."""
    if commitments is None or sentences is None or commitments.empty or pairs.empty:
        return _empty("commitment_tracking")
    commitments = with_commitment_ids(commitments)
    years = document_years(documents)
    rows_of = _ByDocument(commitments, sentences, segments)
    rows = []
    for doc_a, doc_b in pairs[["doc_a", "doc_b"]].itertuples(index=False):
        rows.extend(track_pair(doc_a, doc_b, rows_of, years.get(doc_a)))
    if not rows:
        return _empty("commitment_tracking")
    return pd.DataFrame(rows)[COLUMNS["commitment_tracking"]]
