"""Progress language: sentences that report a pledge as fulfilled.

"De visumplicht is opgeheven", "het Verdrag tot oprichting van de Vervoersgemeenschap is in
werking getreden", "de financiering voor Erasmus+ is verdubbeld", "Montenegro heeft de
tussentijdse benchmarks gehaald": these sentences make no pledge (docs/annotation.md section 3,
"An achievement reported as done") but are the evidence that an earlier one was kept (section
6, ``reported_done``). The component ``progress`` sets ``span._.reports_progress`` on every
span of ``doc.spans["sentences"]``:

- ``True`` when the sentence has a perfect or past passive auxiliary ("is", "werd", "heeft")
  followed in the same clause (within ``MAX_GAP`` words, or anywhere before the clause's end
  where the participle closes it) by the participle of a verb of fulfilment ("voltooid",
  "aangenomen", "geopend"), of keeping a promise ("nagekomen") or a result state ("operationeel", "van kracht"), or such a
  participle directly before its auxiliary ("... voltooid is"), and the sentence has no future,
  modal, conditional or negating word ("zal", "moet", "zodra", "niet"): "X is aangenomen en
  wij zullen Y" is a pledge, which the commitments component must see;
- ``True`` when a simple past of a verb of fulfilment reports the event ("het verdrag trad
  op 1 januari in werking", "Duitsland trad op als gastheer"), with no block word;
- ``True`` when "sinds" opens a year or a month ("sinds januari 2029", "sinds maart") in a
  sentence with no auxiliary, no block word and no verb of change: a present tense of a state
  that began then ("Australië en Chili nemen sinds januari 2029 deel aan het platform"), not
  a trend ("is sinds 2020 met een kwart gestegen", "het aantal stijgt sinds 2020");
- ``True`` for a lead-in ending in a colon that announces achievements ("zijn belangrijke
  stappen gezet:", or one noting them with satisfaction: "Wij stellen met voldoening vast dat
  sinds de conferentie van Tanger:"), and for the items of a list whose lead-in reports progress ("Sinds de top van Sofia
  zijn belangrijke stappen gezet:" followed by "a) het verdrag ...; b) ..."), unless the item
  itself is a plan (a block word), so that an achievement reported in a list item of another
  point is evidence too;
- ``False`` otherwise.

The cue words are data (pipeline/data/cues/progress.tsv, with their sources), given to the
component through ``initialize`` (config.cfg: ``declarations.progress_cues.v1``) and kept by
``to_disk``; each kind of pattern is one spaCy ``Matcher`` rule over lowercase word forms.
The commitments component skips sentences that report progress.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import registry

from .. import doc as _doc  # noqa: F401  (registers the extension attributes)

CUES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues" / "progress.tsv"
CUES_FILE = "progress_cues.json"
KINDS = (
    "auxiliary",
    "fulfilled",
    "kept",
    "state",
    "past",
    "block",
    "lead_in",
    "noting",
    "since",
    "month",
    "trend",
)
# "sinds" opens its time at most this many words before the year or month ("sinds januari
# 2029": 1; "sinds 1 maart": 2)
SINCE_REACH = 2
# how many words may stand between the auxiliary and its participle ("is in alle partners
# proceswaarneming in zaken van ernstige corruptie en georganiseerde misdaad ingevoerd": 12)
MAX_GAP = 14
CLAUSE_BREAKS = [";", ":"]
# a list item's segment id: the id of the point (or heading) whose lead-in it continues
_ITEM_ID = re.compile(r"^(?P<parent>.+)\.b\d+$")


def read_cues(path: Path = CUES_PATH) -> dict[str, list[str]]:
    """The progress cues by kind: kind -> lowercase phrases (words separated by spaces)."""
    cues: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or fields[0] not in cues:
            raise ValueError(f"{path}: line {number}: expected kind ({', '.join(KINDS)}) and words")
        for words in fields[1].split("|"):
            if words.strip():
                cues[fields[0]].append(words.strip().lower())
    return cues


@registry.misc("declarations.progress_cues.v1")
def create_progress_cues() -> dict[str, list[str]]:
    return read_cues()


def _words(phrases: Iterable[str]) -> list[str]:
    return sorted({p for p in phrases if " " not in p})


def _phrase_patterns(phrases: Iterable[str]) -> list[list[dict]]:
    """The phrases as Matcher patterns (one for all single words, one per multi-word phrase);
    ``ProgressReporter.reading`` joins them to an auxiliary before them in the same clause."""
    phrases = list(phrases)
    patterns: list[list[dict]] = []
    single = _words(phrases)
    if single:
        patterns.append([{"LOWER": {"IN": single}}])
    for phrase in sorted({p for p in phrases if " " in p}):
        patterns.append([{"LOWER": w} for w in phrase.split()])
    return patterns


class ProgressReporter:
    """Sets ``span._.reports_progress`` on doc.spans["sentences"] (see the module docstring)."""

    def __init__(self, vocab, cues: dict[str, list[str]] | None = None):
        self.vocab = vocab
        self._set_cues(cues or {kind: [] for kind in KINDS})

    def _set_cues(self, cues: dict[str, list[str]]) -> None:
        self.cues = {kind: list(cues.get(kind, [])) for kind in KINDS}
        self.matcher = Matcher(self.vocab)
        # an auxiliary followed in its clause by a phrase: the auxiliaries and the phrases are
        # matched on their own and joined in ``reading`` (one pattern with a 14-token gap per
        # phrase made the Matcher try every gap length from every auxiliary)
        self.auxiliaries = Matcher(self.vocab)
        self.phrases = Matcher(self.vocab)
        auxiliary = {"LOWER": {"IN": _words(self.cues["auxiliary"])}}
        done = self.cues["fulfilled"] + self.cues["kept"] + self.cues["state"]
        if self.cues["auxiliary"]:
            self.auxiliaries.add("AUXILIARY", [[auxiliary]])
        if self.cues["auxiliary"] and done:
            self.phrases.add("FULFILLED", _phrase_patterns(done))
            # subordinate order: the participle directly before its auxiliary
            participles = _words(self.cues["fulfilled"] + self.cues["kept"])
            self.matcher.add("FULFILLED", [[{"LOWER": {"IN": participles}}, auxiliary]])
        if self.cues["auxiliary"] and self.cues["lead_in"]:
            self.phrases.add("LEAD_IN", _phrase_patterns(self.cues["lead_in"]))
        if self.cues["past"]:
            # a simple past reports the event itself ("het verdrag trad in werking")
            self.matcher.add("FULFILLED", [[{"LOWER": {"IN": _words(self.cues["past"])}}]])
        if self.cues["noting"]:
            # "Wij stellen met voldoening vast dat:" announces achievements with no auxiliary
            self.matcher.add("LEAD_IN", _phrase_patterns(self.cues["noting"]))
        if self.cues["block"]:
            self.matcher.add("BLOCK", [[{"LOWER": {"IN": _words(self.cues["block"])}}]])
        if self.cues["since"]:
            # "sinds januari 2029", "sinds maart", "sedert 2027": a state since a time
            time: list[dict[str, Any]] = [
                {"LOWER": {"IN": _words(self.cues["month"])}},
                {"TEXT": {"REGEX": r"^(19|20)\d\d$"}},
            ]
            since: dict[str, Any] = {"LOWER": {"IN": _words(self.cues["since"])}}
            gap: list[dict[str, Any]] = [{"OP": "?"}] * (SINCE_REACH - 1)  # "sinds 1 maart"
            self.matcher.add("SINCE", [[since, *gap, t] for t in time])
        if self.cues["trend"]:
            self.matcher.add("TREND", [[{"LOWER": {"IN": _words(self.cues["trend"])}}]])

    def initialize(self, get_examples=None, *, nlp=None, cues: dict | None = None) -> None:
        self._set_cues(cues if cues is not None else read_cues())

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / CUES_FILE, self.cues)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ProgressReporter:
        self._set_cues(srsly.read_json(Path(path) / CUES_FILE))
        return self

    def reading(self, sent: Span) -> tuple[bool, bool, bool]:
        """(reports progress, announces a list of achievements, is a plan) for one sentence."""
        strings = self.vocab.strings
        found = {strings[key] for key, _start, _end in self.matcher(sent)}
        auxiliaries = [start for _key, start, _end in self.auxiliaries(sent)]
        if auxiliaries:
            breaks = [i for i, token in enumerate(sent) if token.orth_ in CLAUSE_BREAKS]
            for key, start, end in self.phrases(sent):
                # an auxiliary at most MAX_GAP words before the phrase, or any number when the
                # phrase closes its clause (main-clause order puts the participle last: "De
                # Commissie heeft haar verslag over ... in november 2025 aan de Raad
                # voorgelegd."), no clause break between
                closes = end >= len(sent) or sent[end].is_punct
                if any(
                    0 <= start - aux - 1 <= (len(sent) if closes else MAX_GAP)
                    and not any(aux < b < start for b in breaks)
                    for aux in auxiliaries
                ):
                    found.add(strings[key])

        plan = "BLOCK" in found
        lead_in = "LEAD_IN" in found and sent.text.rstrip().endswith(":")
        # a present tense of a state since a time: no auxiliary (a perfect, "is sinds 2020
        # met een kwart gestegen", is a trend or reads by the rules above) and no verb of change
        state_since = "SINCE" in found and not auxiliaries and "TREND" not in found
        fulfilled = "FULFILLED" in found or state_since
        return fulfilled and not plan, lead_in and not plan, plan

    def __call__(self, doc: Doc) -> Doc:
        sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
        last_of_segment: dict[str, tuple[Span, bool]] = {}
        for sent in sentences:
            done, lead_in, plan = self.reading(sent)
            parent = _ITEM_ID.match(sent._.segment_id or "")
            under_progress = False
            if parent and parent["parent"] in last_of_segment:
                lead, lead_reports = last_of_segment[parent["parent"]]
                under_progress = lead_reports and lead.text.rstrip().endswith(":")
            sent._.reports_progress = done or lead_in or (under_progress and not plan)
            if not parent:
                last_of_segment[sent._.segment_id] = (sent, bool(done or lead_in))
        return doc


@Language.factory(
    "progress",
    assigns=["span._.reports_progress"],
    requires=["doc.spans"],
)
def make_progress_reporter(nlp: Language, name: str) -> ProgressReporter:
    return ProgressReporter(nlp.vocab)
