"""A run's output in the formats annotation and NLP tools read, and corrected annotations back.

``python -m pipeline export DIR --format FMT --dest DEST`` reads a run's output folder (the
tables, ``text/<doc_id>.txt`` and ``docs/<doc_id>.spacy``) and writes, per format:

    iob      <doc_id>.iob        one token per line, "token<TAB>B-ORG", a blank line between
                                 sentences (CoNLL-2003 style; ``spacy convert -c ner`` reads it)
    conllu   <doc_id>.conllu     CoNLL-U; entities in MISC as NER=B-ORG (and Key=<actor key>),
                                 sentence ids, segment ids, speech acts and text as comments
    docbin   declarations.spacy  one DocBin with every Doc: entities, segment and sentence spans
                                 and the extension attributes (user data)
    brat     <doc_id>.txt/.ann   brat standoff for brat or INCEpTION: entities as T lines with
                                 the canonical actor key as AnnotatorNotes; segments ("Segment",
                                 with Kind and domain attributes) and sentences ("Sentence", with
                                 a SpeechAct attribute) as further types; annotation.conf and
                                 visual.conf for the collection
    webanno  <doc_id>.tsv        WebAnno TSV 3.3 for INCEpTION, the NamedEntity layer with value
                                 (label) and identifier (actor key)
    jsonl    declarations.jsonl  one Prodigy task per sentence: text, tokens, spans, meta

brat and webanno exports also write ``<doc_id>.structure.json``: the segments (ids, kinds,
numbers, headings, domains) and sentences (ids, speech acts, commitment records) with their
character offsets. ``python -m pipeline import-annotations FILES... --format brat|webanno
--dest DIR`` reads the corrected files together with that sidecar and writes
``<doc_id>.gold.json`` in the format of ANNOTATION.md, ready for retraining. What the
annotators corrected (entities, keys; in brat also segments, domains, sentences and speech
acts) comes from their files; what they could not edit (commitment records) comes from the
sidecar, for the sentences whose boundaries they kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span, Token
from spacy.vocab import Vocab

from . import doc as _doc  # noqa: F401  (registers the extension attributes)
from .scheme import ACTOR_LABELS, DOMAINS, ENTITY_LABELS, SEGMENT_KINDS, SPEECH_ACTS
from .store import as_list

log = logging.getLogger("pipeline.export")

FORMATS = ("iob", "conllu", "docbin", "brat", "webanno", "jsonl")
IMPORT_FORMATS = ("brat", "webanno")
# brat annotation types for the structure (entity labels are the other types)
SEGMENT_TYPE, SENTENCE_TYPE = "Segment", "Sentence"
SIDECAR_SUFFIX = ".structure.json"
NAMED_ENTITY_LAYER = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
WEBANNO_HEADER = "#FORMAT=WebAnno TSV 3.3"


# =============================================================================================
# reading a run's output folder


def load_docs(out_dir: str | Path) -> Iterator[Doc]:
    """The Docs of a run, in the order of its documents table.

    A Doc comes from ``docs/<doc_id>.spacy``; where that file is missing (an output folder
    holding only tables and texts) it is rebuilt from ``text/<doc_id>.txt`` and the tables.
    """
    from . import store

    out = Path(out_dir)
    if not out.is_dir():
        raise FileNotFoundError(f"no such output folder: {out}")
    tables = store.read_tables(out)
    documents = tables.get("documents")
    if documents is not None and len(documents):
        doc_ids = list(dict.fromkeys(documents["doc_id"].astype(str)))
    else:
        doc_ids = sorted(p.name[: -len(".spacy")] for p in (out / "docs").glob("*.spacy"))
    if not doc_ids:
        raise FileNotFoundError(f"{out} holds no run output: no documents table, no docs/")
    vocab = Vocab()
    nlp = None
    for doc_id in doc_ids:
        path = out / "docs" / f"{doc_id}.spacy"
        if path.exists():
            try:
                yield from list(DocBin().from_disk(path).get_docs(vocab))
                continue
            except (KeyError, ValueError) as err:  # e.g. a string the DocBin did not store
                log.warning(
                    "%s: cannot read %s (%s): rebuilt from the tables, without "
                    "tags, lemmas and parse",
                    doc_id,
                    path,
                    err,
                )
        text_path = out / "text" / f"{doc_id}.txt"
        if not text_path.exists():
            log.warning(
                "%s: neither docs/%s.spacy nor text/%s.txt: skipped", doc_id, doc_id, doc_id
            )
            continue
        if nlp is None:
            from .nlp import blank_nlp

            nlp = blank_nlp()
        yield doc_from_tables(doc_id, text_path.read_text(encoding="utf-8"), tables, nlp)


def doc_from_tables(doc_id: str, text: str, tables: dict, nlp) -> Doc:
    """Lay the rows of the segments, sentences, entities and commitments tables over the text."""

    def rows(name: str) -> list[dict]:
        frame = tables.get(name)
        if frame is None or not len(frame):
            return []
        return frame[frame["doc_id"].astype(str) == doc_id].to_dict("records")

    doc = nlp.make_doc(text)
    doc._.doc_id = doc_id
    for row in rows("documents")[:1]:
        doc._.title, doc._.language = _none(row.get("title")), _none(row.get("language")) or "nl"

    def span(row: dict) -> Span | None:
        return doc.char_span(int(row["char_start"]), int(row["char_end"]), alignment_mode="expand")

    segments = []
    for row in rows("segments"):
        s = span(row)
        if s is not None:
            s._.segment_id, s._.kind = row["segment_id"], row["kind"]
            s._.number, s._.heading_id = _none(row.get("number")), _none(row.get("heading_id"))
            s._.domains = as_list(row.get("domains"))
            segments.append(s)
    records: dict[str, list[dict]] = {}
    for row in rows("commitments"):
        records.setdefault(str(row["sentence_id"]), []).append(
            {
                "actors": as_list(row.get("actors")),
                "action": _none(row.get("action")),
                "object": _none(row.get("object")),
                "strength": _none(row.get("strength")),
                "conditional": bool(row.get("conditional")),
                "reported": bool(row.get("reported")),
                "dates": as_list(row.get("dates")),
            }
        )
    sentences = []
    for row in rows("sentences"):
        s = span(row)
        if s is not None:
            s._.sentence_id, s._.segment_id = row["sentence_id"], row["segment_id"]
            s._.speech_act = _none(row.get("speech_act"))
            s._.commitments = records.get(str(row["sentence_id"]), [])
            sentences.append(s)
    doc.spans["segments"], doc.spans["sentences"] = segments, sentences
    ents = []
    for row in sorted(rows("entities"), key=lambda r: int(r["char_start"])):
        s = doc.char_span(
            int(row["char_start"]),
            int(row["char_end"]),
            label=row["label"],
            kb_id=_none(row.get("key")) or "",
            alignment_mode="expand",
        )
        if s is not None and (not ents or s.start >= ents[-1].end):
            ents.append(s)
    doc.ents = ents
    return doc


def _none(value):
    """Missing values (None, NaN, pandas NA) as None."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences of the contract (doc.spans["sentences"]), or spaCy's where there are none."""
    if "sentences" in doc.spans and len(doc.spans["sentences"]):
        return list(doc.spans["sentences"])
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def words(span: Span) -> list[Token]:
    """The tokens that formats with one token per row show: whitespace tokens left out."""
    return [t for t in span if not t.is_space]


def entity_tags(tokens: list[Token]) -> list[str]:
    """IOB2 tags of consecutive tokens: an entity cut by a sentence start opens with B- again."""
    tags, previous = [], "O"
    for token in tokens:
        if not token.ent_type_:
            tag = "O"
        elif token.ent_iob_ == "B" or previous == "O" or previous[2:] != token.ent_type_:
            tag = f"B-{token.ent_type_}"
        else:
            tag = f"I-{token.ent_type_}"
        tags.append(tag)
        previous = tag
    return tags


def _offsets(span: Span) -> tuple[int, int]:
    """Character offsets of a span without leading or trailing whitespace (as tools show it)."""
    tokens = words(span)
    if not tokens:
        return span.start_char, span.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def structure(doc: Doc) -> dict:
    """The sidecar: segments and sentences with offsets, speech acts, domains and commitments."""
    return {
        "doc_id": doc._.doc_id,
        "language": doc._.language or "nl",
        "title": doc._.title,
        "text_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        "segments": [
            {
                "id": s._.segment_id,
                "kind": s._.kind,
                "number": s._.number,
                "heading": s._.heading_id,
                "domains": list(s._.domains or []),
                "start": _offsets(s)[0],
                "end": _offsets(s)[1],
            }
            for s in doc.spans["segments"]
        ]
        if "segments" in doc.spans
        else [],
        "sentences": [
            {
                "id": s._.sentence_id,
                "segment_id": s._.segment_id,
                "start": _offsets(s)[0],
                "end": _offsets(s)[1],
                "speech_act": s._.speech_act,
                "commitments": list(s._.commitments or []),
            }
            for s in sentence_spans(doc)
        ],
    }


# =============================================================================================
# export


def export(out_dir: str | Path, fmt: str, dest: str | Path) -> int:
    """Write every document of a run's output folder in ``fmt`` to ``dest``; return how many."""
    from .store import atomic_path, write_text

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    docs = load_docs(out_dir)
    n = 0
    if fmt == "docbin":
        docbin = DocBin(store_user_data=True)
        for doc in docs:
            docbin.add(doc)
            n += 1
        with atomic_path(dest / "declarations.spacy") as tmp:
            docbin.to_disk(tmp)
    elif fmt == "jsonl":
        lines = []
        for doc in docs:
            lines.extend(json.dumps(task, ensure_ascii=False) for task in prodigy_tasks(doc))
            n += 1
        write_text(dest / "declarations.jsonl", "".join(line + "\n" for line in lines))
    else:
        labels: set[str] = set()
        for doc in docs:
            name = _file_name(doc._.doc_id)
            if fmt == "iob":
                write_text(dest / f"{name}.iob", to_iob(doc))
            elif fmt == "conllu":
                write_text(dest / f"{name}.conllu", to_conllu(doc))
            elif fmt == "brat":
                write_text(dest / f"{name}.txt", doc.text)
                write_text(dest / f"{name}.ann", to_brat(doc))
                labels.update(e.label_ for e in doc.ents)
            elif fmt == "webanno":
                write_text(dest / f"{name}.tsv", to_webanno(doc))
            if fmt in IMPORT_FORMATS:
                write_text(
                    dest / f"{name}{SIDECAR_SUFFIX}",
                    json.dumps(structure(doc), ensure_ascii=False, indent=1, default=str),
                )
            n += 1
        if fmt == "brat":
            annotation_conf, visual_conf = brat_config(labels)
            write_text(dest / "annotation.conf", annotation_conf)
            write_text(dest / "visual.conf", visual_conf)
    log.info("exported %d document(s) as %s to %s", n, fmt, dest)
    return n


def _file_name(doc_id: str) -> str:
    """doc_id as a file name: path separators and control characters replaced."""
    return re.sub(r'[/\\\x00-\x1f:*?"<>|]', "_", str(doc_id)) or "document"


# --- IOB, CoNLL-U, Prodigy ---------------------------------------------------------------------


def to_iob(doc: Doc) -> str:
    """One token per line, "token<TAB>tag"; a blank line after every sentence."""
    blocks = []
    for sent in sentence_spans(doc):
        tokens = words(sent)
        if tokens:
            blocks.append(
                "".join(f"{t.text}\t{tag}\n" for t, tag in zip(tokens, entity_tags(tokens)))
            )
    return "\n".join(blocks)


def _misc(items: list[str]) -> str:
    return "|".join(items) if items else "_"


def _conllu_value(value: str) -> str:
    """A MISC value: no tab, newline or the separators | and =."""
    return re.sub(r"[\t\n|=]", "_", value) or "_"


def to_conllu(doc: Doc) -> str:
    """CoNLL-U, one sentence of the contract per block; NER=B-ORG etc. in MISC.

    HEAD/DEPREL come from the parser when the Doc has one (a head outside the sentence makes the
    token a root); otherwise they are "_".
    """
    parsed = doc.has_annotation("DEP")
    text = doc.text
    out = [f"# newdoc id = {doc._.doc_id}\n"]
    for sent in sentence_spans(doc):
        tokens = words(sent)
        if not tokens:
            continue
        ids = {t.i: k for k, t in enumerate(tokens, start=1)}
        sentence_id = sent._.sentence_id or f"s{len(out)}"
        out.append(f"# sent_id = {doc._.doc_id}:{sentence_id}\n")
        if sent._.segment_id:
            out.append(f"# segment_id = {sent._.segment_id}\n")
        if sent._.speech_act:
            out.append(f"# speech_act = {sent._.speech_act}\n")
        out.append("# text = " + " ".join(sent.text.split()) + "\n")
        for token, tag in zip(tokens, entity_tags(tokens)):
            if parsed:
                head = ids.get(token.head.i, 0) if token.head.i != token.i else 0
                deprel = "root" if head == 0 else (token.dep_ or "dep")
            else:
                head, deprel = "_", "_"
            misc = []
            if tag != "O":
                misc.append(f"NER={tag}")
                if token.ent_kb_id_:
                    misc.append(f"Key={_conllu_value(token.ent_kb_id_)}")
            after = token.idx + len(token.text)
            if after >= len(text) or not text[after].isspace():
                misc.append("SpaceAfter=No")
            columns = [
                str(ids[token.i]),
                token.text,
                token.lemma_ or "_",
                token.pos_ or "_",
                token.tag_ or "_",
                str(token.morph) or "_",
                str(head),
                deprel,
                "_",
                _misc(misc),
            ]
            out.append("\t".join(columns) + "\n")
        out.append("\n")
    return "".join(out)


def prodigy_tasks(doc: Doc) -> Iterator[dict]:
    """One Prodigy-style task per sentence: offsets relative to the sentence text."""
    for sent in sentence_spans(doc):
        tokens = words(sent)
        if not tokens:
            continue
        base = sent.start_char
        index = {t.i: k for k, t in enumerate(tokens)}
        spans = []
        for ent in doc.ents:
            if ent.start >= sent.start and ent.end <= sent.end:
                inner = [t for t in ent if not t.is_space]
                span = {
                    "start": ent.start_char - base,
                    "end": ent.end_char - base,
                    "label": ent.label_,
                    "token_start": index[inner[0].i],
                    "token_end": index[inner[-1].i],
                }
                if ent.kb_id_:
                    span["key"] = ent.kb_id_
                spans.append(span)
        yield {
            "text": sent.text,
            "tokens": [
                {
                    "text": t.text,
                    "start": t.idx - base,
                    "end": t.idx + len(t) - base,
                    "id": k,
                    "ws": bool(t.whitespace_),
                }
                for k, t in enumerate(tokens)
            ],
            "spans": spans,
            "meta": {
                "doc_id": doc._.doc_id,
                "sentence_id": sent._.sentence_id,
                "segment_id": sent._.segment_id,
                "speech_act": sent._.speech_act,
            },
        }


# --- brat ---------------------------------------------------------------------------------------


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks, whitespace trimmed: brat spans cannot cross a line."""
    pieces = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        piece = match.group()
        s = start + match.start() + (len(piece) - len(piece.lstrip()))
        e = start + match.end() - (len(piece) - len(piece.rstrip()))
        if e > s:
            pieces.append((s, e))
    return pieces


def _brat_line(n: int, kind: str, text: str, start: int, end: int) -> str | None:
    pieces = _fragments(text, start, end)
    if not pieces:
        return None
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    return f"T{n}\t{kind} {offsets}\t{' '.join(text[s:e] for s, e in pieces)}"


def to_brat(doc: Doc) -> str:
    """The .ann file: entities (+ keys as notes), segments (+ kind, domains), sentences (+ acts)."""
    text = doc.text
    lines: list[str] = []
    counters = {"T": 0, "A": 0, "#": 0}

    def add(kind: str, start: int, end: int) -> str | None:
        counters["T"] += 1
        line = _brat_line(counters["T"], kind, text, start, end)
        if line is None:
            counters["T"] -= 1
            return None
        lines.append(line)
        return f"T{counters['T']}"

    def attribute(name: str, target: str, value: str | None = None) -> None:
        counters["A"] += 1
        lines.append(f"A{counters['A']}\t{name} {target}" + (f" {value}" if value else ""))

    def note(target: str, value: str) -> None:
        counters["#"] += 1
        value = " ".join(str(value).split())
        lines.append(f"#{counters['#']}\tAnnotatorNotes {target}\t{value}")

    for ent in doc.ents:
        tid = add(ent.label_, ent.start_char, ent.end_char)
        if tid and ent.kb_id_:
            note(tid, ent.kb_id_)
    for seg in doc.spans["segments"] if "segments" in doc.spans else []:
        tid = add(SEGMENT_TYPE, seg.start_char, seg.end_char)
        if tid is None:
            continue
        note(tid, seg._.segment_id)
        if seg._.kind:
            attribute("Kind", tid, seg._.kind)
        for domain in seg._.domains or []:
            attribute(domain, tid)
    for sent in sentence_spans(doc):
        tid = add(SENTENCE_TYPE, sent.start_char, sent.end_char)
        if tid is None:
            continue
        if sent._.sentence_id:
            note(tid, sent._.sentence_id)
        if sent._.speech_act:
            # brat attribute values are single tokens: "A|B" (two defensible labels) stays whole
            attribute("SpeechAct", tid, sent._.speech_act)
    return "\n".join(lines) + "\n"


def brat_config(extra_labels: Iterable[str] = ()) -> tuple[str, str]:
    """annotation.conf and visual.conf for an exported collection."""
    from .report import ENTITY_COLORS

    labels = list(ENTITY_LABELS) + sorted(set(extra_labels) - set(ENTITY_LABELS))
    annotation = [
        "# Declarations pipeline export (ANNOTATION.md). Entities: correct span and label;",
        "# the note (AnnotatorNotes) of an ORG, GPE or LOC holds its canonical actor key.",
        "# Segment: note = segment id (p3, h1.b2, ...), Kind and domain attributes.",
        "# Sentence: note = sentence id, SpeechAct attribute.",
        "[entities]",
        *labels,
        SEGMENT_TYPE,
        SENTENCE_TYPE,
        "[relations]",
        "# segments and sentences contain the entities: allow every overlap",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "[events]",
        "[attributes]",
        f"Kind\tArg:{SEGMENT_TYPE}, Value:{'|'.join(SEGMENT_KINDS)}",
        f"SpeechAct\tArg:{SENTENCE_TYPE}, Value:{'|'.join(SPEECH_ACTS)}",
        *(f"{domain}\tArg:{SEGMENT_TYPE}" for domain in DOMAINS),
    ]
    visual = [
        "[labels]",
        f"{SEGMENT_TYPE} | Segment | Seg",
        f"{SENTENCE_TYPE} | Sentence | Sent",
        "[drawing]",
        *(f"{label}\tbgColor:{ENTITY_COLORS.get(label, '#dddddd')}" for label in labels),
        f"{SEGMENT_TYPE}\tbgColor:#eeeeee",
        f"{SENTENCE_TYPE}\tbgColor:#f7f7f7",
    ]
    return "\n".join(annotation) + "\n", "\n".join(visual) + "\n"


# --- WebAnno TSV 3.3 ----------------------------------------------------------------------------


def _utf16_offsets(text: str) -> list[int] | None:
    """UTF-16 code-unit offset of every character position (None when they are all equal)."""
    if all(ord(c) < 0x10000 for c in text):
        return None
    offsets, k = [], 0
    for c in text:
        offsets.append(k)
        k += 2 if ord(c) >= 0x10000 else 1
    offsets.append(k)
    return offsets


_VALUE_ESCAPES = [
    ("\\", "\\\\"),
    ("[", "\\["),
    ("]", "\\]"),
    ("|", "\\|"),
    ("_", "\\_"),
    ("->", "\\->"),
    (";", "\\;"),
    ("\t", "\\t"),
    ("\n", "\\n"),
    ("*", "\\*"),
]


def _escape_value(value: str) -> str:
    """WebAnno's escaping of feature values (Escaping.escapeValue)."""
    pattern = re.compile("|".join(re.escape(a) for a, _ in _VALUE_ESCAPES))
    table = dict(_VALUE_ESCAPES)
    return pattern.sub(lambda m: table[m.group()], value)


def _unescape_value(value: str) -> str:
    table = {b: a for a, b in _VALUE_ESCAPES}
    pattern = re.compile(
        "|".join(re.escape(b) for _, b in sorted(_VALUE_ESCAPES, key=lambda p: -len(p[1])))
    )
    return pattern.sub(lambda m: table[m.group()], value)


def _escape_text(text: str) -> str:
    """WebAnno's escaping of #Text lines (Escaping.escapeText; line feeds split lines)."""
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\f", "\\f")
        .replace("\b", "\\b")
    )


def _unescape_text(text: str) -> str:
    table = {"\\\\": "\\", "\\t": "\t", "\\r": "\r", "\\f": "\f", "\\b": "\b", "\\n": "\n"}
    return re.sub(r"\\[\\trfbn]", lambda m: table[m.group()], text)


def to_webanno(doc: Doc) -> str:
    """WebAnno TSV 3.3 with the NamedEntity layer (identifier = actor key, value = label)."""
    u16 = _utf16_offsets(doc.text)

    def offset(i: int) -> int:
        return u16[i] if u16 else i

    # a multi-token entity needs a disambiguation id on each of its tokens
    ent_of: dict[int, tuple[Span, int | None]] = {}
    next_id = 0
    for ent in doc.ents:
        tokens = words(ent)
        ref = None
        if len(tokens) > 1:
            next_id += 1
            ref = next_id
        for t in tokens:
            ent_of[t.i] = (ent, ref)

    out = [WEBANNO_HEADER, f"#T_SP={NAMED_ENTITY_LAYER}|identifier|value", ""]
    k = 0
    for sent in sentence_spans(doc):
        tokens = words(sent)
        if not tokens:
            continue
        k += 1
        out.append("")
        if sent._.sentence_id:
            out.append(f"#Sentence.id={_escape_text(sent._.sentence_id)}")
        text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        out.extend(f"#Text={_escape_text(line)}" for line in text.split("\n"))
        for j, token in enumerate(tokens, start=1):
            begin, end = offset(token.idx), offset(token.idx + len(token))
            if token.i in ent_of:
                ent, ref = ent_of[token.i]
                suffix = f"[{ref}]" if ref else ""
                identifier = (_escape_value(ent.kb_id_) if ent.kb_id_ else "*") + suffix
                value = _escape_value(ent.label_) + suffix
            else:
                identifier = value = "_"
            out.append(f"{k}-{j}\t{begin}-{end}\t{token.text}\t{identifier}\t{value}\t")
    return "\n".join(out) + "\n"


# =============================================================================================
# import: corrected brat / WebAnno files -> gold JSON


@dataclass
class Annotated:
    """What an annotation file says about one document, in character offsets of ``text``."""

    doc_id: str
    text: str
    entities: list[dict] = field(default_factory=list)  # start, end, label, key
    segments: list[dict] | None = None  # id, kind, start, end, domains (None: not in the file)
    sentences: list[dict] | None = None  # id, start, end, speech_act (None: not in the file)
    source: str = ""


def import_annotations(inputs: Iterable[str | Path], fmt: str, dest: str | Path) -> list[Path]:
    """Corrected brat (.ann + .txt) or WebAnno TSV files -> ``<doc_id>.gold.json`` in dest.

    ``inputs`` are files or folders (searched recursively). The ``<doc_id>.structure.json``
    sidecars written by ``export`` are found next to the files or anywhere in the inputs.
    """
    from .store import write_text

    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"cannot import {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    suffix = ".ann" if fmt == "brat" else ".tsv"
    files, sidecars = _collect(inputs, suffix)
    if not files:
        raise FileNotFoundError(f"no {suffix} files in {', '.join(map(str, inputs))}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in files:
        annotated = read_brat(path) if fmt == "brat" else read_webanno(path, set(sidecars))
        sidecar = None
        if annotated.doc_id in sidecars:
            sidecar = json.loads(sidecars[annotated.doc_id].read_text(encoding="utf-8"))
        else:
            log.warning(
                "%s: no %s%s found: segment structure, speech acts and commitments are not known",
                path,
                annotated.doc_id,
                SIDECAR_SUFFIX,
            )
        gold = to_gold(annotated, sidecar)
        target = dest / f"{_file_name(annotated.doc_id)}.gold.json"
        write_text(target, json.dumps(gold, ensure_ascii=False, indent=2) + "\n")
        written.append(target)
    return written


def _collect(inputs: Iterable[str | Path], suffix: str) -> tuple[list[Path], dict[str, Path]]:
    files: list[Path] = []
    sidecars: dict[str, Path] = {}
    for item in map(Path, inputs):
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file())
        elif item.exists():
            found = [item, *sorted(item.parent.glob(f"*{SIDECAR_SUFFIX}"))]
        else:
            raise FileNotFoundError(f"no such file or folder: {item}")
        for p in found:
            if p.name.endswith(SIDECAR_SUFFIX):
                sidecars.setdefault(p.name[: -len(SIDECAR_SUFFIX)], p)
            elif p.suffix == suffix and p not in files:
                files.append(p)
    return files, sidecars


def read_brat(path: str | Path) -> Annotated:
    """A brat .ann file and its .txt: entities, Segment and Sentence annotations."""
    path = Path(path)
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    spans: dict[str, tuple[str, int, int]] = {}
    notes: dict[str, str] = {}
    attributes: dict[str, list[tuple[str, str | None]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T") and len(fields) >= 2:
            kind, _, offsets = fields[1].partition(" ")
            pairs = [tuple(map(int, p.split())) for p in offsets.split(";")]
            start, end = min(s for s, _ in pairs), max(e for _, e in pairs)
            spans[ident] = (kind, start, end)
            shown = " ".join(text[s:e] for s, e in pairs)
            if len(fields) > 2 and fields[2] != shown:
                log.warning(
                    "%s:%d: %s text %r does not match the .txt (%r)",
                    path,
                    number,
                    ident,
                    fields[2],
                    shown,
                )
        elif ident.startswith("#") and len(fields) >= 3:
            what, _, target = fields[1].partition(" ")
            if what == "AnnotatorNotes":
                notes[target.strip()] = fields[2].strip()
        elif ident.startswith(("A", "M")) and len(fields) >= 2:
            parts = fields[1].split()
            if len(parts) >= 2:
                attributes.setdefault(parts[1], []).append(
                    (parts[0], parts[2] if len(parts) > 2 else None)
                )
        # relations (R), events (E) and normalisations (N) carry nothing the gold format uses

    entities, segments, sentences = [], [], []
    for ident, (kind, start, end) in spans.items():
        attrs = attributes.get(ident, [])
        if kind == SEGMENT_TYPE:
            segments.append(
                {
                    "id": notes.get(ident),
                    "start": start,
                    "end": end,
                    "kind": next((v for n, v in attrs if n == "Kind"), None),
                    "domains": [n for n, v in attrs if v is None and n in DOMAINS],
                }
            )
        elif kind == SENTENCE_TYPE:
            sentences.append(
                {
                    "id": notes.get(ident),
                    "start": start,
                    "end": end,
                    "speech_act": next((v for n, v in attrs if n == "SpeechAct"), None),
                }
            )
        else:
            entities.append(
                {"start": start, "end": end, "label": kind, "key": notes.get(ident) or None}
            )
    by_start = lambda item: (item["start"], -item["end"])  # noqa: E731
    return Annotated(
        doc_id=path.stem,
        text=text,
        entities=sorted(entities, key=by_start),
        segments=sorted(segments, key=by_start) if segments else None,
        sentences=sorted(sentences, key=by_start) if sentences else None,
        source=str(path),
    )


def _split_stack(cell: str) -> list[str]:
    """A TSV cell's stacked values, split at the "|" that are not escaped."""
    values, current, i = [], [], 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell):
            current.append(cell[i : i + 2])
            i += 2
            continue
        if c == "|":
            values.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    values.append("".join(current))
    return values


_REF = re.compile(r"^(.*?)(?:\[(\d+)\])?$", re.DOTALL)


def read_webanno(path: str | Path, known_doc_ids: set[str] = frozenset()) -> Annotated:
    """A WebAnno TSV 3.x file: its sentences and its NamedEntity annotations.

    The text is rebuilt as INCEpTION does: each sentence at its offset, spaces in between.
    The doc_id is the file's stem, or the folder's name where INCEpTION exports a document as
    ``annotation/<document>/<user>.tsv``.
    """
    path = Path(path)
    doc_id = path.stem
    if doc_id not in known_doc_ids:
        parent = path.parent.name
        for candidate in (parent, Path(parent).stem):
            if candidate in known_doc_ids:
                doc_id = candidate
                break
    lines = path.read_text(encoding="utf-8").split("\n")
    if not lines or not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise ValueError(f"{path}: not a WebAnno TSV 3 file")
    columns: list[tuple[str, str]] = []  # (layer, feature) of each column after the token
    for line in lines[1:]:
        if line.startswith(("#T_SP=", "#T_CH=", "#T_RL=")):
            layer, *features = line.split("=", 1)[1].split("|")
            columns.extend((layer, f) for f in features)
        elif line.strip():
            break
    try:
        value_col = columns.index((NAMED_ENTITY_LAYER, "value"))
    except ValueError:
        value_col = None
    ident_col = (
        columns.index((NAMED_ENTITY_LAYER, "identifier"))
        if (NAMED_ENTITY_LAYER, "identifier") in columns
        else None
    )

    sentences: list[dict] = []  # start/end in UTF-16 units for now
    pieces: list[tuple[int, str]] = []  # (utf16 start, sentence text)
    current: dict | None = None
    text_lines: list[str] = []
    sentence_id = None
    units: list[tuple[int, int, list[str]]] = []  # (begin, end, cells)
    for line in lines[1:]:
        if line.startswith("#Sentence.id="):
            sentence_id = _unescape_text(line.split("=", 1)[1])
        elif line.startswith("#Text="):
            text_lines.append(_unescape_text(line[len("#Text=") :]))
        elif line and line[0].isdigit() and "\t" in line:
            cells = line.split("\t")
            begin, end = map(int, cells[1].split("-"))
            if text_lines:  # the first token of a sentence: the text starts here
                sentence_text = "\n".join(text_lines)
                current = {
                    "id": sentence_id,
                    "start": begin,
                    "end": begin + len(sentence_text.encode("utf-16-le")) // 2,
                    "speech_act": None,
                }
                sentences.append(current)
                pieces.append((begin, sentence_text))
                text_lines, sentence_id = [], None
            units.append((begin, end, cells[3:]))

    # rebuild the text in UTF-16 code units, then map offsets back to characters
    length = max([e for _, e, _ in units] + [s["end"] for s in sentences] + [0])
    buffer = bytearray(" ".encode("utf-16-le") * length)
    for start, sentence_text in pieces:
        encoded = sentence_text.encode("utf-16-le")
        buffer[2 * start : 2 * start + len(encoded)] = encoded
    text = buffer.decode("utf-16-le", errors="replace")
    to_char = {}
    k = 0
    for i, c in enumerate(text):
        to_char[k] = i
        k += 2 if ord(c) >= 0x10000 else 1
    to_char[k] = len(text)

    def char(offset: int) -> int:
        return to_char.get(offset, min(offset, len(text)))

    # group NamedEntity cells into annotations: same [N] = one annotation over several tokens
    found: dict[tuple, dict] = {}
    for begin, end, cells in units:
        if value_col is None or value_col >= len(cells) or cells[value_col] in ("_", ""):
            continue
        values = _split_stack(cells[value_col])
        idents = (
            _split_stack(cells[ident_col])
            if ident_col is not None and ident_col < len(cells)
            else []
        )
        for j, raw in enumerate(values):
            label, ref = _REF.match(raw).groups()
            key_raw = idents[j] if j < len(idents) else "*"
            key = _REF.match(key_raw).group(1)
            group = ("ref", ref) if ref else ("unit", begin, j)
            entry = found.setdefault(
                group,
                {
                    "start": begin,
                    "end": end,
                    "label": _unescape_value(label) if label != "*" else None,
                    "key": None if key in ("*", "_", "") else _unescape_value(key),
                },
            )
            entry["start"], entry["end"] = min(entry["start"], begin), max(entry["end"], end)
    entities = [
        {**e, "start": char(e["start"]), "end": char(e["end"])}
        for e in found.values()
        if e["label"]
    ]
    for s in sentences:
        s["start"], s["end"] = char(s["start"]), char(s["end"])
    return Annotated(
        doc_id=doc_id,
        text=text,
        entities=sorted(entities, key=lambda e: (e["start"], -e["end"])),
        segments=None,
        sentences=sentences or None,
        source=str(path),
    )


# --- building the gold document -----------------------------------------------------------------

_POINT_ID = re.compile(r"^p(\d+)$")


def kind_from_id(segment_id: str) -> str | None:
    """The segment kind ANNOTATION.md's id scheme implies ('p3' -> point, 'h1.b2' -> bullet)."""
    if segment_id in ("title", "preamble", "annex_title"):
        return segment_id
    for pattern, kind in (
        (r"^(p\d+|h\d+)\.b\d+$", "bullet"),
        (r"^p\d+(\.c\d+)?$", "point"),
        (r"^h\d+$", "heading"),
        (r"^fn\d+$", "footnote"),
        (r"^closing\d+$", "closing"),
        (r"^par\d+$", "paragraph"),
    ):
        if re.match(pattern, segment_id):
            return kind
    return None


def _clean(text: str) -> str:
    """Sentence text as the gold format wants it: line breaks joined (same length)."""
    return re.sub(r"[\n\r\t\f]", " ", text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def to_gold(annotated: Annotated, sidecar: dict | None = None) -> dict:
    """ANNOTATION.md gold JSON from the corrected annotations and the export's sidecar."""
    text = annotated.text
    sidecar = sidecar or {}
    side_segments = {s["id"]: s for s in sidecar.get("segments", [])}
    side_sentences = {(s["start"], s["end"]): s for s in sidecar.get("sentences", [])}

    # segments: the annotators' (brat), else the export's, else the whole text as one
    segments = annotated.segments or [dict(s) for s in sidecar.get("segments", [])]
    if not segments:
        start, end = _trimmed(text, 0, len(text))
        segments = [{"id": "par1", "kind": "paragraph", "start": start, "end": end}]
    for k, seg in enumerate(segments, start=1):
        known = side_segments.get(seg.get("id"), {})
        if not seg.get("id"):
            seg["id"] = f"{seg.get('kind') or 'segment'}{k}"
            log.warning(
                "%s: a segment without an id at %d: called it %s",
                annotated.source,
                seg["start"],
                seg["id"],
            )
        seg["kind"] = seg.get("kind") or known.get("kind") or kind_from_id(seg["id"])
        if seg.get("domains") is None:
            seg["domains"] = list(known.get("domains", []))
        number = known.get("number")
        if number is None and (m := _POINT_ID.match(seg["id"])):
            number = m.group(1)
        seg["number"] = number
        heading = known.get("heading")
        if heading is None and seg["kind"] == "bullet" and "." in seg["id"]:
            parent = seg["id"].rsplit(".", 1)[0]
            heading = parent if parent.startswith("h") else None
        seg["heading"] = heading
        seg["sentences"] = []
    segments.sort(key=lambda s: (s["start"], -s["end"]))

    # sentences: the file's, else the export's, else one per segment
    sentences = annotated.sentences
    if sentences is None:
        sentences = [dict(s) for s in sidecar.get("sentences", [])]
    if not sentences:
        sentences = [{"id": None, "start": s["start"], "end": s["end"]} for s in segments]

    def segment_of(start: int) -> dict:
        inside = [s for s in segments if s["start"] <= start < s["end"]]
        if inside:  # the innermost: a bullet inside a point's span goes to the bullet
            return min(inside, key=lambda s: s["end"] - s["start"])
        before = [s for s in segments if s["start"] <= start]
        return before[-1] if before else segments[0]

    entities = list(annotated.entities)
    for sent in sorted(sentences, key=lambda s: s["start"]):
        start, end = _trimmed(text, sent["start"], sent["end"])
        if end <= start:
            continue
        known = side_sentences.get((start, end), {})
        inside = [e for e in entities if start <= e["start"] and e["end"] <= end]
        crossing = [
            e for e in entities if e["start"] < end and e["end"] > start and e not in inside
        ]
        for e in crossing:
            log.warning(
                "%s: entity %r crosses a sentence boundary: left out",
                annotated.source,
                text[e["start"] : e["end"]],
            )
        record: dict = {"text": _clean(text[start:end])}
        speech_act = sent.get("speech_act") or known.get("speech_act")
        if speech_act:
            record["speech_act"] = speech_act
        record["entities"] = []
        for e in inside:
            entity = {"text": _clean(text[e["start"] : e["end"]]), "label": e["label"]}
            if e.get("key") and set(e["label"].split("|")).intersection(ACTOR_LABELS):
                entity["key"] = e["key"]
            record["entities"].append(entity)
        record["commitments"] = list(known.get("commitments", []))
        segment_of(start)["sentences"].append(record)

    return {
        "doc_id": sidecar.get("doc_id") or annotated.doc_id,
        "language": sidecar.get("language", "nl"),
        "source": f"corrected annotations ({Path(annotated.source).name})",
        "segments": [
            {
                "id": s["id"],
                "kind": s["kind"],
                "number": s["number"],
                "heading": s["heading"],
                "domains": s["domains"],
                "sentences": s["sentences"],
            }
            for s in segments
            if s["sentences"]
        ],
    }
