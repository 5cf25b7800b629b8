"""Gold annotations in the ANNOTATION.md JSON format: which files, loading, and the one way
they become spaCy objects.

Training and evaluation read gold files through this module only, so every stage sees the same
view of them: ``annotated_paths`` (the one split rule), ``load_gold``, ``gold_doc`` (a Doc laid
out as the gold: segments, sentences, entities), ``sentence_example`` (a training ``Example``
per sentence), ``align_sentences`` (a processed Doc's sentences paired with the gold's) and
``render_text`` (the gold as a plain-text declaration).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans


@dataclass
class GoldEntity:
    text: str
    label: str  # may be "A|B" where both labels are defensible
    key: str | None = None
    start: int = -1  # character offsets inside the sentence text, found in reading order
    end: int = -1

    @property
    def labels(self) -> set[str]:
        return set(self.label.split("|"))


@dataclass
class GoldSentence:
    text: str
    speech_act: str  # may be "A|B"
    entities: list[GoldEntity] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)

    @property
    def speech_acts(self) -> set[str]:
        return set(self.speech_act.split("|"))


@dataclass
class GoldSegment:
    id: str
    kind: str
    number: str | None
    heading: str | None
    domains: list[str]
    sentences: list[GoldSentence]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass
class GoldDocument:
    doc_id: str
    language: str
    segments: list[GoldSegment]
    path: str = ""
    meta: dict = field(default_factory=dict)

    def sentences(self):
        """(segment, sentence_index, sentence) in reading order."""
        for seg in self.segments:
            for i, sent in enumerate(seg.sentences):
                yield seg, i, sent


PROJECT_DIR = Path(__file__).resolve().parent.parent
ANNOTATED_DIR = PROJECT_DIR / "corpus" / "annotated"
# the seed's gold (a copy of the project's shared data) and the team's annotated documents
SEED_GOLD = PROJECT_DIR / "corpus" / "gold" / "sofia-2018-nl.gold.json"
SPLITS = ("train", "heldout")
# held-out documents written apart from the team, scored once at the end (COMMON.md): never
# trained on, and not among the held-out figures that training writes into models/*/meta.json
BLIND_PREFIX = "blind-"
# This round's blind documents. Those of earlier rounds were scored once, when their round
# ended, and have been read while tuning since: they are "seen" (development documents, still
# never trained on), and their figures are no longer held-out figures.
CURRENT_BLIND_PREFIX = "blind-r6-"
BLIND_SETS = ("blind", "seen")


def is_blind(path: str | Path) -> bool:
    return Path(path).name.startswith(BLIND_PREFIX)


def blind_paths(
    which: str, directory: Path = ANNOTATED_DIR, pattern: str = "*.gold.json"
) -> list[Path]:
    """Blind files by name alone, nothing of them read: ``"blind"`` this round's
    (``blind-r4-*``), ``"seen"`` those of earlier rounds."""
    if which not in BLIND_SETS:
        raise ValueError(f"unknown blind set {which!r}: choose from {BLIND_SETS}")
    found = sorted(p for p in Path(directory).glob(pattern) if is_blind(p))
    current = [p for p in found if p.name.startswith(CURRENT_BLIND_PREFIX)]
    return current if which == "blind" else [p for p in found if p not in current]


def file_split(path: str | Path) -> str:
    """A gold file's split: its top-level "split" field, "train" or "heldout". The seed's gold
    (corpus/gold/) is training data; any other file without a split is an error, never
    silently training data."""
    path = Path(path)
    if path.resolve() == SEED_GOLD.resolve():
        return "train"
    split = json.loads(path.read_text(encoding="utf-8")).get("split")
    if split not in SPLITS:
        raise ValueError(f'{path}: the "split" field must be "train" or "heldout", not {split!r}')
    return split


def annotated_paths(
    split: str, annotated_dir: Path = ANNOTATED_DIR, blind: bool = False
) -> list[Path]:
    """Gold files of one split: "train" (the seed and the team's training documents) or
    "heldout" (documents never trained or tuned on), by ``file_split``; documents are never
    divided between splits. ``blind-*`` files are held out too, and are not even opened unless
    ``blind=True`` (the final evaluation), which lists them with "heldout"."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose from {SPLITS}")
    paths = [SEED_GOLD] if split == "train" and SEED_GOLD.exists() else []
    for path in sorted(Path(annotated_dir).glob("*.gold.json")):
        if is_blind(path) and not blind:
            continue  # chosen by its name, before anything of it is read
        found = file_split(path)
        if is_blind(path) and found != "heldout":
            raise ValueError(f"{path}: a blind document must be held out")
        if found == split:
            paths.append(path)
    return paths


def _locate_entities(text: str, entities: list[dict]) -> list[GoldEntity]:
    """Find each entity's offsets in reading order: the first match after the previous one."""
    found: list[GoldEntity] = []
    cursor = 0
    for ent in entities:
        start = text.find(ent["text"], cursor)
        if start < 0:  # listed out of order: fall back to the first occurrence
            start = text.find(ent["text"])
        if start < 0:
            raise ValueError(f"entity {ent['text']!r} not found in sentence {text!r}")
        end = start + len(ent["text"])
        found.append(GoldEntity(ent["text"], ent["label"], ent.get("key"), start, end))
        cursor = end
    return found


def load_gold(path: str | Path) -> GoldDocument:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    segments = []
    for seg in data["segments"]:
        sentences = [
            GoldSentence(
                text=s["text"],
                speech_act=s.get("speech_act", "OTHER"),
                entities=_locate_entities(s["text"], s.get("entities", [])),
                commitments=s.get("commitments", []),
            )
            for s in seg["sentences"]
        ]
        segments.append(
            GoldSegment(
                id=seg["id"],
                kind=seg["kind"],
                number=seg.get("number"),
                heading=seg.get("heading"),
                domains=seg.get("domains", []),
                sentences=sentences,
            )
        )
    meta = {k: v for k, v in data.items() if k not in ("doc_id", "language", "segments")}
    return GoldDocument(data["doc_id"], data.get("language", "nl"), segments, str(path), meta)


def render_text(gold: GoldDocument) -> str:
    """The gold document as a plain-text declaration the pipeline can read back.

    Points get their number, bullets a "•", footnotes a "*", annex and closing text stand alone;
    used to evaluate the classifiers on gold files that come without a source document.
    """
    lines: list[str] = []
    footnotes: list[str] = []
    for seg in gold.segments:
        if seg.kind == "footnote":
            footnotes.append("* " + seg.text)
        elif seg.kind == "point":
            lines.append(f"{seg.number}. {seg.text}")
        elif seg.kind == "bullet":
            lines.append(f"{seg.number}) {seg.text}" if seg.number else f"• {seg.text}")
        elif seg.kind == "heading" and seg.number:
            lines.append(f"{seg.number}. {seg.text}")
        elif seg.kind in ("title", "annex_title", "heading"):
            # multi-sentence titles ("Bijlage bij de verklaring" / "Prioriteitenagenda ...")
            # are one line per sentence, as they stand on the page
            lines.extend(s.text for s in seg.sentences)
        else:
            lines.append(seg.text)
    return "\n\n".join(lines + footnotes) + "\n"


# --------------------------------------------------------------------------------------------
# gold -> spaCy


def primary_label(label: str) -> str:
    """The first of "A|B": the label a model is trained to predict for an either-or mention."""
    return label.split("|")[0]


def gold_doc(
    gold: GoldDocument,
    nlp: Language,
    with_entities: bool = True,
    with_annotations: bool = False,
) -> Doc:
    """A Doc laid out exactly as the gold, tokenised by ``nlp``: one line per segment, its
    sentences joined by a space; ``doc.spans["segments"]`` and ``["sentences"]`` with their
    ids and kinds, sentence starts, and (``with_entities``) the gold entities with their keys
    as ``doc.ents`` (an either-or label as its first). ``with_annotations`` also sets what the
    classifiers would: the segments' domains, the sentences' speech acts (an either-or act as
    its first) and commitment records. No component of ``nlp`` is run."""
    parts, sent_offsets, seg_offsets = [], [], []
    pos = 0
    for seg in gold.segments:
        seg_start = pos
        for k, sent in enumerate(seg.sentences):
            if k:
                parts.append(" ")
                pos += 1
            sent_offsets.append((seg, k, sent, pos))
            parts.append(sent.text)
            pos += len(sent.text)
        seg_offsets.append((seg, seg_start, pos))
        parts.append("\n")
        pos += 1
    doc = nlp.make_doc("".join(parts))
    doc._.doc_id = gold.doc_id
    segments, sentences, ents, starts = [], [], [], set()
    for seg, start, end in seg_offsets:
        span = _expanded_span(doc, start, end)
        span._.segment_id, span._.kind, span._.number = seg.id, seg.kind, seg.number
        if with_annotations:
            span._.domains = list(seg.domains)
        segments.append(span)
    for seg, k, sent, start in sent_offsets:
        span = _expanded_span(doc, start, start + len(sent.text))
        span._.sentence_id = f"{seg.id}.s{k + 1}"
        span._.segment_id = seg.id
        if with_annotations:
            span._.speech_act = primary_label(sent.speech_act)
            span._.commitments = sent.commitments
        sentences.append(span)
        starts.add(span.start)
        for e in sent.entities:
            ent = doc.char_span(
                start + e.start,
                start + e.end,
                label=sorted(e.labels)[0],
                kb_id=e.key or "",
                alignment_mode="expand",
            )
            if ent is not None:
                ents.append(ent)
    for tok in doc:
        tok.is_sent_start = tok.i in starts or tok.i == 0
    doc.spans["segments"] = segments
    doc.spans["sentences"] = sentences
    if with_entities:
        doc.ents = filter_spans(ents)
    return doc


def _expanded_span(doc: Doc, start: int, end: int) -> Span:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:  # only offsets outside the text have no tokens
        raise ValueError(f"{doc._.doc_id}: no tokens at characters {start}-{end}")
    return span


@dataclass
class Misaligned:
    """A gold entity that does not start and end on token boundaries."""

    doc_id: str
    sentence: str
    text: str
    start: int
    end: int
    tokens: list[str]


def sentence_reference(
    nlp: Language, sentence: GoldSentence, doc_id: str = ""
) -> tuple[Doc, list[Misaligned]]:
    """The sentence tokenised by ``nlp`` with its gold entities as ``doc.ents``; every entity
    that does not align to tokens is reported, never silently dropped."""
    doc = nlp.make_doc(sentence.text)
    spans, misaligned = [], []
    for ent in sentence.entities:
        span = doc.char_span(
            ent.start, ent.end, label=primary_label(ent.label), alignment_mode="strict"
        )
        if span is None:
            near = [t.text for t in doc if t.idx < ent.end and t.idx + len(t) > ent.start]
            misaligned.append(Misaligned(doc_id, sentence.text, ent.text, ent.start, ent.end, near))
        else:
            spans.append(span)
    doc.ents = spans
    return doc, misaligned


def sentence_example(
    nlp: Language, sentence: GoldSentence, doc_id: str = ""
) -> tuple[Example, list[Misaligned]]:
    """A training ``Example`` for one gold sentence (its entities), and the misaligned ones."""
    reference, misaligned = sentence_reference(nlp, sentence, doc_id)
    return Example(nlp.make_doc(sentence.text), reference), misaligned


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def align_sentences(doc: Doc, gold: GoldDocument) -> list[tuple[GoldSentence, Span | None]]:
    """Each gold sentence with the processed Doc's sentence span: by sentence id
    (``<segment_id>.s<K>``) when its words agree, else by its words (case, punctuation and
    spacing aside); None when segmentation missed it."""
    sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
    by_id = {s._.sentence_id: s for s in sentences}
    by_text: dict[str, Span] = {}
    for s in sentences:
        by_text.setdefault(_norm(s.text), s)
    pairs: list[tuple[GoldSentence, Span | None]] = []
    for seg, k, sent in gold.sentences():
        span = by_id.get(f"{seg.id}.s{k + 1}")
        if span is None or _norm(span.text) != _norm(sent.text):
            span = by_text.get(_norm(sent.text))
        pairs.append((sent, span))
    return pairs
