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
                                 a SpeechAct attribute) as further types; each commitment record
                                 a Commitment event (Actor, Object, Deadline and Date arguments;
                                 Strength, Conditional, Reported attributes; the action in its
                                 note); annotation.conf and visual.conf for the collection
    webanno  <doc_id>.tsv        WebAnno TSV 3.3 for INCEpTION, the NamedEntity layer with value
                                 (label) and identifier (actor key), and a Commitment layer over
                                 each record's action with its fields as features
    jsonl    declarations.jsonl  one Prodigy task per sentence: text, tokens, spans, meta
    xlsx     declarations.xlsx   every table as a sheet of one workbook, for spreadsheet users:
                                 list cells as "a; b" (openpyxl)

brat and webanno exports also write ``<doc_id>.structure.json``: the segments (ids, kinds,
numbers, headings, domains) and sentences (ids, speech acts, commitment records) with their
character offsets. ``python -m pipeline import-annotations FILES... --format brat|webanno
--dest DIR`` reads the corrected files together with that sidecar and writes
``<doc_id>.gold.json`` in the format of docs/annotation.md, ready for retraining: entities with
their offsets in the sentence (``start``, ``end``), and the commitment records as corrected.
What the annotators corrected comes from their files (in brat also segments, domains,
sentences and speech acts); the sidecar supplies what a file cannot hold, and the export's
exact spelling of a field the annotator left as it was. Every file is checked (size, UTF-8,
offsets, labels and ids of the scheme) and a bad one is one line; the import goes on.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span, Token
from spacy.vocab import Vocab

from . import doc as _doc  # noqa: F401  (registers the extension attributes)
from .scheme import ACTOR_LABELS, DOMAINS, ENTITY_LABELS, SEGMENT_KINDS, SPEECH_ACTS, STRENGTHS
from .store import as_list

log = logging.getLogger("pipeline.export")

FORMATS = ("iob", "conllu", "docbin", "brat", "webanno", "jsonl", "xlsx")
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
        path = out / "docs" / f"{store.file_name(doc_id)}.spacy"
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
        text_path = out / "text" / f"{store.file_name(doc_id)}.txt"
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
                # where the table has the column (older runs do not)
                **({"deadlines": as_list(row["deadlines"])} if "deadlines" in row else {}),
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
    if fmt == "xlsx":
        return to_xlsx(out_dir, dest / "declarations.xlsx")
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


# --- a workbook for spreadsheet users --------------------------------------------------------

XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's rows per sheet, less the header
XLSX_MAX_CELL = 32_767  # Excel's characters per cell


def spreadsheet_cell(value):
    """A table value as a spreadsheet shows it well: a list as its items joined by "; ", text
    cut to what a cell holds, missing values empty."""
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, list):
            return "; ".join(str(v) for v in items)
    value = _none(value)
    if isinstance(value, str) and len(value) > XLSX_MAX_CELL:
        return value[: XLSX_MAX_CELL - 1] + "…"
    return value


def to_xlsx(out_dir: str | Path, target: Path) -> int:
    """Every table of a run as a sheet of one workbook (openpyxl), in the tables' column
    order; list cells as "a; b". Returns the number of documents. A table longer than a sheet
    holds is cut, with a warning."""
    from openpyxl import Workbook

    from . import store
    from .store import atomic_path

    tables = store.read_tables(out_dir)
    if not tables:
        raise FileNotFoundError(f"{out_dir} holds no run output: no tables")
    book = Workbook(write_only=True)
    for name, frame in tables.items():
        sheet = book.create_sheet(name[:31])  # Excel's limit for a sheet's name
        sheet.append(list(frame.columns))
        if len(frame) > XLSX_MAX_ROWS:
            log.warning(
                "%s: %d rows, more than a sheet holds: the first %d are in the workbook",
                name,
                len(frame),
                XLSX_MAX_ROWS,
            )
        for row in frame.head(XLSX_MAX_ROWS).itertuples(index=False):
            sheet.append([spreadsheet_cell(v) for v in row])
    with atomic_path(target) as tmp:
        book.save(tmp)
    documents = tables.get("documents")
    return 0 if documents is None else len(documents)


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


def to_brat(doc: Doc) -> str:
    """The .ann file: entities (+ keys as notes), segments (+ kind, domains), sentences (+ acts),
    and one Commitment event per commitment record (``commitment_lines``)."""
    text = doc.text
    lines: list[str] = []
    counters = {"T": 0, "A": 0, "#": 0, "E": 0}

    def add(kind: str, start: int, end: int) -> str | None:
        return add_pieces(kind, _fragments(text, start, end))

    def add_pieces(kind: str, pieces: list[tuple[int, int]]) -> str | None:
        if not pieces:
            return None
        counters["T"] += 1
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        shown = " ".join(text[s:e] for s, e in pieces)
        lines.append(f"T{counters['T']}\t{kind} {offsets}\t{shown}")
        return f"T{counters['T']}"

    def attribute(name: str, target: str, value: str | None = None) -> None:
        counters["A"] += 1
        lines.append(f"A{counters['A']}\t{name} {target}" + (f" {value}" if value else ""))

    def note(target: str, value: str) -> None:
        counters["#"] += 1
        value = " ".join(str(value).split())
        lines.append(f"#{counters['#']}\tAnnotatorNotes {target}\t{value}")

    entity_ids: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        tid = add(ent.label_, ent.start_char, ent.end_char)
        if tid:
            entity_ids[ent.start, ent.end] = tid
            if ent.kb_id_:
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
    for sent in sentence_spans(doc):
        ents = [e for e in doc.ents if sent.start <= e.start and e.end <= sent.end]
        for record in sent._.commitments or []:
            where = commitment_spans(sent, record, ents)
            trigger = add_pieces(COMMITMENT_TYPE, where.action)
            args: list[tuple[str, str | None]] = [
                (ACTOR_ROLE, entity_ids[ent.start, ent.end]) for ent in where.actors
            ]
            if where.object:
                args.append((OBJECT_ROLE, add_pieces(OBJECT_TYPE, where.object)))
            dates = {(e.start_char, e.end_char): e for e in ents if e.label_ == "DATE"}
            for role, _date, pieces in where.dates:
                date_ent = dates.get((pieces[0][0], pieces[-1][1]))
                if date_ent is not None and (date_ent.start, date_ent.end) in entity_ids:
                    args.append((role, entity_ids[date_ent.start, date_ent.end]))
                else:
                    args.append((role, add_pieces(TIME_TYPE, pieces)))
            counters["E"] += 1
            event = f"E{counters['E']}"
            lines.append(f"{event}\t{COMMITMENT_TYPE}:{trigger} {_numbered(args)}".rstrip())
            if record.get("strength"):
                attribute(STRENGTH_ATTRIBUTE, event, record["strength"])
            if record.get("conditional"):
                attribute(CONDITIONAL_ATTRIBUTE, event)
            if record.get("reported"):
                attribute(REPORTED_ATTRIBUTE, event)
            note(event, format_note(where.note))
    return "\n".join(lines) + "\n"


def _numbered(args: list[tuple[str, str | None]]) -> str:
    """brat event arguments, a repeated role numbered: "Actor:T1 Actor2:T4 Object:T9"."""
    seen: dict[str, int] = {}
    out = []
    for role, target in args:
        seen[role] = seen.get(role, 0) + 1
        out.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{target}")
    return " ".join(out)


# --- commitment records in annotation files ------------------------------------------------------
# A record is a Commitment event: its trigger the action's words, an Actor argument for each
# committing actor named in the sentence, an Object argument, a Deadline (or Date) argument for
# each date; Strength, Conditional and Reported attributes. The event's note holds the action
# (verb lemma or light-verb phrase) and whatever the sentence does not show as a span: actors
# named elsewhere (annex items commit the summit's participants), an object or a date that is
# not written out word for word. "action: versterken | actors: wb_partners".

COMMITMENT_TYPE, OBJECT_TYPE, TIME_TYPE = "Commitment", "Object", "Time"
ACTOR_ROLE, OBJECT_ROLE, DEADLINE_ROLE, DATE_ROLE = "Actor", "Object", "Deadline", "Date"
STRENGTH_ATTRIBUTE, CONDITIONAL_ATTRIBUTE, REPORTED_ATTRIBUTE = (
    "Strength",
    "Conditional",
    "Reported",
)
NOTE_FIELDS = ("action", "actors", "object", "dates", "deadlines")
LIST_NOTE_FIELDS = ("actors", "dates", "deadlines")


@dataclass
class CommitmentSpans:
    """Where a record's parts stand in its sentence (character fragments of the text)."""

    action: list[tuple[int, int]]
    actors: list[Span]  # entity mentions of the sentence carrying an actor's key
    object: list[tuple[int, int]] | None
    dates: list[tuple[str, str, list[tuple[int, int]]]]  # (role, date, fragments)
    note: dict  # what has no span: field -> value


def commitment_spans(sent: Span, record: dict, ents: list[Span]) -> CommitmentSpans:
    text = sent.doc.text
    note: dict = {"action": record.get("action") or ""}
    actors, elsewhere = [], []
    for key in record.get("actors") or []:
        mention = next((e for e in ents if e.kb_id_ == key), None)
        if mention is not None and mention not in actors:
            actors.append(mention)
        else:
            elsewhere.append(key)
    if elsewhere:
        note["actors"] = elsewhere
    obj = None
    if record.get("object"):
        # where the extractor found it (object_start/end), else anywhere in the sentence
        within = _offsets_in(record, "object", sent)
        obj = _located(text, *within, record["object"]) if within else None
        obj = obj or _located(text, sent.start_char, sent.end_char, record["object"])
        if obj is None:
            note["object"] = record["object"]
    dates = []
    deadlines = list(record.get("deadlines") or [])
    for date in list(record.get("dates") or []) + [
        d for d in deadlines if d not in (record.get("dates") or [])
    ]:
        role = DEADLINE_ROLE if date in deadlines else DATE_ROLE
        pieces = _located(text, sent.start_char, sent.end_char, date)
        if pieces:
            dates.append((role, date, pieces))
        else:
            note.setdefault("deadlines" if role == DEADLINE_ROLE else "dates", []).append(date)
    action = _offsets_in(record, "action", sent)
    return CommitmentSpans(
        _fragments(text, *action) if action else _action_pieces(sent, record.get("action") or ""),
        actors,
        obj,
        dates,
        note,
    )


def _offsets_in(record: dict, part: str, sent: Span) -> tuple[int, int] | None:
    """A record's own character offsets of its action or object (``action_start`` ...,
    pipeline/classify/commitments/record.py), where it has them inside its sentence."""
    start, end = record.get(f"{part}_start"), record.get(f"{part}_end")
    if isinstance(start, int) and isinstance(end, int):
        if sent.start_char <= start < end <= sent.end_char:
            return start, end
    return None


def _word_pattern(word: str) -> re.Pattern:
    pattern = re.escape(word)
    if word[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if word[-1].isalnum():
        pattern += r"(?!\w)"
    return re.compile(pattern)


_SPACES = re.compile(r"\s*")


def _located(text: str, start: int, end: int, value: str) -> list[tuple[int, int]] | None:
    """The fragments of text[start:end] that spell value's words in order, each as long a run
    as it can be ("de connectiviteit [aanzienlijk te verbeteren] in al haar dimensies"); None
    when a word is missing. Line breaks cut fragments, as brat wants."""
    words = [_word_pattern(w) for w in str(value).split()]
    if not words:
        return None
    pieces: list[tuple[int, int]] = []
    pos, i = start, 0
    while i < len(words):
        best = None
        for match in words[i].finditer(text, pos, end):
            n, stop = 1, match.end()
            while i + n < len(words):
                following = words[i + n].match(text, _SPACES.match(text, stop, end).end(), end)
                if following is None:
                    break
                n, stop = n + 1, following.end()
            if best is None or n > best[0]:
                best = (n, match.start(), stop)
            if i + n == len(words):
                break
        if best is None:
            return None
        n, s, e = best
        pieces.extend(_fragments(text, s, e))
        pos, i = e, i + n
    return pieces


def _action_pieces(sent: Span, action: str) -> list[tuple[int, int]]:
    """The action's words in the sentence: as written, else the tokens whose lemma is one of
    them, a word of it ends with ("op te voeren" for "opvoeren") or that start with its stem
    ("ontwikkeld" for "ontwikkelen"); the whole sentence when none is found (the note holds
    the action either way)."""
    text = sent.doc.text
    found = _located(text, sent.start_char, sent.end_char, action)
    if found:
        return found
    wanted = action.lower().split()
    tokens = [
        t
        for t in sent
        # from the text, not lexeme attributes: a Doc read back with a bare Vocab has none
        if t.text.isalpha()
        and (
            t.lemma_.lower() in wanted
            or any(len(t.text) >= 4 and w.endswith(t.text.lower()) for w in wanted)
            or any(len(w) >= 6 and t.text.lower().startswith(w[:-2]) for w in wanted)
        )
    ]
    if tokens:
        return [(t.idx, t.idx + len(t)) for t in tokens]
    return _fragments(text, sent.start_char, sent.end_char)


def format_note(fields: dict) -> str:
    """The event's note: "action: versterken | actors: eu ; wb_partners"."""
    parts = []
    for name in NOTE_FIELDS:
        if name in fields:
            value = fields[name]
            value = " ; ".join(value) if isinstance(value, (list, tuple)) else str(value)
            parts.append(f"{name}: {value.replace('|', '/')}")
    return " | ".join(parts)


def parse_note(note: str) -> dict:
    """An event note back to its fields; text that is no "field: value" is an error."""
    fields: dict = {}
    for part in note.split("|"):
        if not part.strip():
            continue
        name, colon, value = part.partition(":")
        name = name.strip().lower()
        if not colon or name not in NOTE_FIELDS:
            raise AnnotationError(
                f"the note {note!r} has a part {part.strip()!r} that is none of "
                f"{', '.join(n + ':' for n in NOTE_FIELDS)}"
            )
        value = " ".join(value.split())
        fields[name] = (
            [v.strip() for v in value.split(";") if v.strip()]
            if name in LIST_NOTE_FIELDS
            else value
        )
    return fields


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
        OBJECT_TYPE,
        TIME_TYPE,
        "[relations]",
        "# segments and sentences contain the entities: allow every overlap",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "[events]",
        "# Commitment: trigger = the action's words; the note holds the action itself and the",
        "# parts the sentence does not show: action: versterken | actors: eu ; wb_partners",
        f"{COMMITMENT_TYPE}\t{ACTOR_ROLE}*:{'|'.join(ACTOR_LABELS)}, {OBJECT_ROLE}?:{OBJECT_TYPE}, "
        f"{DEADLINE_ROLE}*:DATE|{TIME_TYPE}, {DATE_ROLE}*:DATE|{TIME_TYPE}",
        "[attributes]",
        f"Kind\tArg:{SEGMENT_TYPE}, Value:{'|'.join(SEGMENT_KINDS)}",
        f"SpeechAct\tArg:{SENTENCE_TYPE}, Value:{'|'.join(SPEECH_ACTS)}",
        *(f"{domain}\tArg:{SEGMENT_TYPE}" for domain in DOMAINS),
        f"{STRENGTH_ATTRIBUTE}\tArg:{COMMITMENT_TYPE}, Value:{'|'.join(STRENGTHS)}",
        f"{CONDITIONAL_ATTRIBUTE}\tArg:{COMMITMENT_TYPE}",
        f"{REPORTED_ATTRIBUTE}\tArg:{COMMITMENT_TYPE}",
    ]
    visual = [
        "[labels]",
        f"{SEGMENT_TYPE} | Segment | Seg",
        f"{SENTENCE_TYPE} | Sentence | Sent",
        "[drawing]",
        *(f"{label}\tbgColor:{ENTITY_COLORS.get(label, '#dddddd')}" for label in labels),
        f"{SEGMENT_TYPE}\tbgColor:#eeeeee",
        f"{SENTENCE_TYPE}\tbgColor:#f7f7f7",
        f"{COMMITMENT_TYPE}\tbgColor:#ffd27f",
        f"{OBJECT_TYPE}\tbgColor:#d9f2d9",
        f"{TIME_TYPE}\tbgColor:#e0e0ff",
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


COMMITMENT_LAYER = "webanno.custom.Commitment"
COMMITMENT_FEATURES = (
    "action",
    "actors",
    "object",
    "strength",
    "conditional",
    "reported",
    "dates",
    "deadlines",
)


def _commitment_features(record: dict) -> dict[str, str | None]:
    """A record as the Commitment layer's feature values (lists ";"-joined)."""
    values: dict[str, str | None] = {}
    for name in COMMITMENT_FEATURES:
        value = record.get(name)
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ";".join(map(str, value)) or None
        values[name] = value or None
    return values


def to_webanno(doc: Doc) -> str:
    """WebAnno TSV 3.3: the NamedEntity layer (identifier = actor key, value = label) and a
    Commitment layer over each record's action words, its fields as features (actors, dates
    and deadlines ";"-joined)."""
    u16 = _utf16_offsets(doc.text)

    def offset(i: int) -> int:
        return u16[i] if u16 else i

    # each layer: token index -> the (reference, feature values) of the annotations over it;
    # an annotation over several tokens needs a disambiguation id on each of its tokens
    layers: dict[str, dict[int, list[tuple[int | None, list[str | None]]]]] = {
        NAMED_ENTITY_LAYER: {},
        COMMITMENT_LAYER: {},
    }
    next_id = 0

    def annotate(layer: str, tokens: list[Token], values: list[str | None]) -> None:
        nonlocal next_id
        ref = None
        if len(tokens) > 1:
            next_id += 1
            ref = next_id
        for t in tokens:
            layers[layer].setdefault(t.i, []).append((ref, values))

    for ent in doc.ents:
        annotate(NAMED_ENTITY_LAYER, words(ent), [ent.kb_id_ or None, ent.label_])
    for sent in sentence_spans(doc):
        for record in sent._.commitments or []:
            pieces = _action_pieces(sent, record.get("action") or "")
            tokens = [
                t for t in words(sent) if any(s < t.idx + len(t) and t.idx < e for s, e in pieces)
            ]
            values = _commitment_features(record)
            annotate(
                COMMITMENT_LAYER,
                tokens[:1] or words(sent)[:1],
                [values[f] for f in COMMITMENT_FEATURES],
            )

    def cells(layer: str, n_features: int, token: Token) -> list[str]:
        stacked = layers[layer].get(token.i)
        if not stacked:
            return ["_"] * n_features
        columns = []
        for k in range(n_features):
            column = []
            for ref, values in stacked:
                value = _escape_value(values[k]) if values[k] else "*"
                column.append(value + (f"[{ref}]" if ref else ""))
            columns.append("|".join(column))
        return columns

    out = [
        WEBANNO_HEADER,
        f"#T_SP={NAMED_ENTITY_LAYER}|identifier|value",
        f"#T_SP={COMMITMENT_LAYER}|{'|'.join(COMMITMENT_FEATURES)}",
        "",
    ]
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
            row = [f"{k}-{j}", f"{begin}-{end}", token.text]
            row += cells(NAMED_ENTITY_LAYER, 2, token)
            row += cells(COMMITMENT_LAYER, len(COMMITMENT_FEATURES), token)
            out.append("\t".join(row) + "\t")
    return "\n".join(out) + "\n"


# =============================================================================================
# import: corrected brat / WebAnno files -> gold JSON
#
# Annotation files come back from other people's tools and hands: every file is read within
# limits (size, offsets inside its text, labels and ids of the scheme) in time linear in its
# length, and a file that breaks one is one line in ``Imported.failed``; the others go on.

MAX_FILE_BYTES = 64_000_000  # an annotation, text or sidecar file: far above any declaration
_NUMBER = re.compile(r"[0-9]{1,15}")  # an offset: ASCII digits, and no 4,000-digit int()
# ids and keys become file names, table cells and report text: a closed alphabet
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[.\-][A-Za-z0-9_]+)*")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.\-]*")
MAX_ID_CHARS = 100


class AnnotationError(ValueError):
    """What makes an annotation file unusable, in words (the caller names the file)."""


@dataclass
class Imported:
    """The gold files written, and the files that could not be imported, with the reason."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


@dataclass
class Annotated:
    """What an annotation file says about one document, in character offsets of ``text``."""

    doc_id: str
    text: str
    entities: list[dict] = field(default_factory=list)  # start, end, label, key
    segments: list[dict] | None = None  # id, kind, start, end, domains (None: not in the file)
    sentences: list[dict] | None = None  # id, start, end, speech_act (None: not in the file)
    # start (of the action), actors, action, object, strength, conditional, reported, dates,
    # deadlines (None: the file cannot carry commitment records)
    commitments: list[dict] | None = None
    source: str = ""
    exact_text: bool = True  # the file holds the document's text itself (brat), not rebuilt


def import_annotations(inputs: Iterable[str | Path], fmt: str, dest: str | Path) -> Imported:
    """Corrected brat (.ann + .txt) or WebAnno TSV files -> ``<doc_id>.gold.json`` in dest.

    ``inputs`` are files or folders (searched recursively). The ``<doc_id>.structure.json``
    sidecars written by ``export`` are found next to the files or anywhere in the inputs. A file
    that cannot be imported is one entry of ``failed`` (file, reason) and the others go on.
    """
    from .store import write_text

    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"cannot import {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    suffix = ".ann" if fmt == "brat" else ".tsv"
    inputs = list(inputs)
    result = Imported()
    files, sidecars = _collect(inputs, suffix, result.failed)
    if not files and not result.failed:
        raise FileNotFoundError(f"no {suffix} files in {', '.join(map(str, inputs))}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    given_by: dict[str, Path] = {}
    for path in files:
        try:
            annotated = read_brat(path) if fmt == "brat" else read_webanno(path, set(sidecars))
            if annotated.doc_id in given_by:
                raise AnnotationError(
                    f"{given_by[annotated.doc_id]} already gives document {annotated.doc_id}"
                )
            sidecar = _read_sidecar(sidecars.get(annotated.doc_id), annotated, path)
            gold = to_gold(annotated, sidecar)
        except AnnotationError as err:
            result.failed.append((str(path), str(err)))
            continue
        given_by[annotated.doc_id] = path
        target = dest / f"{_file_name(annotated.doc_id)}.gold.json"
        # the text beside it, as the annotated documents have theirs: training segments it
        write_text(target.with_name(f"{_file_name(annotated.doc_id)}.txt"), annotated.text)
        write_text(target, gold_json(gold))
        result.written.append(target)
    return result


def _collect(
    inputs: Iterable[str | Path], suffix: str, failed: list[tuple[str, str]]
) -> tuple[list[Path], dict[str, Path]]:
    files: dict[Path, None] = {}  # a dict: ordered, and membership in constant time
    sidecars: dict[str, Path] = {}
    for item in map(Path, inputs):
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file())
        elif item.exists():
            found = [item, *sorted(item.parent.glob(f"*{SIDECAR_SUFFIX}"))]
        else:
            failed.append((str(item), "no such file or folder"))
            continue
        for p in found:
            if p.name.endswith(SIDECAR_SUFFIX):
                sidecars.setdefault(p.name[: -len(SIDECAR_SUFFIX)], p)
            elif p.suffix == suffix:
                files.setdefault(p)
    return list(files), sidecars


def _read(path: Path, what: str) -> str:
    """A file's text: a regular file, at most MAX_FILE_BYTES, UTF-8."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise AnnotationError(f"{what} {path.name} is missing") from None
    except OSError as err:
        raise AnnotationError(f"{what} {path.name} cannot be read ({err.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise AnnotationError(f"{what} {path.name} is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise AnnotationError(f"{what} {path.name} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise AnnotationError(f"{what} {path.name} cannot be read ({err.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AnnotationError(
            f"{what} {path.name} is not UTF-8 text (byte 0x{data[err.start]:02x} at "
            f"position {err.start})"
        ) from None


def _read_sidecar(path: Path | None, annotated: Annotated, source: Path) -> dict | None:
    if path is None:
        log.warning(
            "%s: no %s%s found: segment structure, speech acts and commitments are not known",
            source,
            annotated.doc_id,
            SIDECAR_SUFFIX,
        )
        return None
    try:
        sidecar = json.loads(_read(path, "its sidecar"))
    except json.JSONDecodeError as err:
        raise AnnotationError(
            f"its sidecar {path.name} is not valid JSON (line {err.lineno})"
        ) from None
    if not isinstance(sidecar, dict):
        raise AnnotationError(f"its sidecar {path.name} is not an export's structure file")
    if not _sidecar_fits(sidecar, annotated):
        log.warning(
            "%s: the text is not the one exported with %s: its structure is not used",
            source,
            path.name,
        )
        return None
    n = len(annotated.text)
    for what in ("segments", "sentences"):
        items = sidecar.get(what, [])
        if not isinstance(items, list) or not all(
            isinstance(s, dict) and _is_span(s.get("start"), s.get("end"), n) for s in items
        ):
            raise AnnotationError(
                f"its sidecar {path.name} has {what} that are not spans of the text"
            )
    return sidecar


def _sidecar_fits(sidecar: dict, annotated: Annotated) -> bool:
    """The sidecar was written with this text: brat's .txt is the exported text itself;
    WebAnno's text is rebuilt from its sentences, which must be the exported ones."""
    if annotated.exact_text or annotated.sentences is None:
        digest = hashlib.sha256(annotated.text.encode("utf-8")).hexdigest()
        return sidecar.get("text_sha256") in (None, digest)
    exported = {(s.get("start"), s.get("end")) for s in sidecar.get("sentences", [])}
    return all((s["start"], s["end"]) in exported for s in annotated.sentences)


def _is_span(start, end, length: int) -> bool:
    return (
        isinstance(start, int)
        and isinstance(end, int)
        and not isinstance(start, bool)
        and 0 <= start <= end <= length
    )


# --- brat ------------------------------------------------------------------------------------

STRUCTURE_TYPES = (SEGMENT_TYPE, SENTENCE_TYPE, COMMITMENT_TYPE, OBJECT_TYPE, TIME_TYPE)
ROLES = (ACTOR_ROLE, OBJECT_ROLE, DEADLINE_ROLE, DATE_ROLE)
ATTRIBUTES = ("Kind", "SpeechAct", STRENGTH_ATTRIBUTE, CONDITIONAL_ATTRIBUTE, REPORTED_ATTRIBUTE)


def _brat_offsets(field_: str, length: int) -> list[tuple[int, int]]:
    """brat offsets "10 20;25 30": whole numbers, each fragment inside the text."""
    pieces = []
    for piece in field_.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(_NUMBER.fullmatch(x) for x in numbers):
            raise AnnotationError(f"offsets {field_!r} are not pairs of whole numbers")
        start, end = int(numbers[0]), int(numbers[1])
        if not start < end <= length:
            raise AnnotationError(
                f"offsets {start}-{end} are not a span of the text ({length} characters)"
            )
        pieces.append((start, end))
    return pieces


def read_brat(path: str | Path) -> Annotated:
    """A brat .ann file and its .txt: entities, Segment and Sentence annotations, Commitment
    events. Every offset is checked against the text; unknown line kinds, types and attributes
    are errors; one pass over the lines."""
    path = Path(path)
    ann = _read(path, "the file")
    text = _read(path.with_suffix(".txt"), "its text file")
    spans: dict[str, tuple[str, list[tuple[int, int]], int]] = {}  # id -> kind, pieces, line
    notes: dict[str, str] = {}
    attributes: dict[str, list[tuple[str, str | None]]] = {}
    events: dict[str, tuple[str, list[tuple[str, str]], int]] = {}  # trigger, args, line
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            _read_brat_line(line, text, spans, notes, attributes, events, number)
        except AnnotationError as err:
            raise AnnotationError(f"line {number}: {err}") from None

    entities, segments, sentences, commitments = [], [], [], []
    for ident, (kind, pieces, number) in spans.items():
        start, end = pieces[0][0], pieces[-1][1]
        attrs = attributes.get(ident, [])
        if kind == SEGMENT_TYPE:
            segments.append(
                {
                    "id": notes.get(ident),
                    "start": start,
                    "end": end,
                    "kind": next((v for n, v in attrs if n == "Kind"), None),
                    "domains": [n for n, v in attrs if v is None and n in DOMAINS],
                    "line": number,
                }
            )
        elif kind == SENTENCE_TYPE:
            sentences.append(
                {
                    "id": notes.get(ident),
                    "start": start,
                    "end": end,
                    "speech_act": next((v for n, v in attrs if n == "SpeechAct"), None),
                    "line": number,
                }
            )
        elif kind not in STRUCTURE_TYPES:
            entities.append(
                {
                    "start": start,
                    "end": end,
                    "label": kind,
                    "key": notes.get(ident) or None,
                    "line": number,
                }
            )

    def shown(ident: str) -> str:
        return " ".join(" ".join(text[s:e].split()) for s, e in spans[ident][1])

    for ident, (trigger, args, number) in events.items():
        if trigger not in spans or spans[trigger][0] != COMMITMENT_TYPE:
            raise AnnotationError(f"line {number}: event {ident} has no {COMMITMENT_TYPE} trigger")
        for role, target in args:
            if target not in spans:  # brat removes an event's arcs with the annotation, by hand not
                log.warning(
                    "%s:%d: event %s: its %s %s is not there: left out",
                    path,
                    number,
                    ident,
                    role,
                    target,
                )
        args = [(role, target) for role, target in args if target in spans]
        try:
            note = parse_note(notes.get(ident, ""))
        except AnnotationError as err:
            raise AnnotationError(f"event {ident} (line {number}): {err}") from None
        attrs = attributes.get(ident, [])
        actors = []
        for role, target in args:
            if role == ACTOR_ROLE:
                key = notes.get(target)
                if not key:
                    raise AnnotationError(
                        f"line {number}: the actor {shown(target)!r} of event {ident} has no key"
                        " (its AnnotatorNotes)"
                    )
                actors.append(key)
        located = [(role, shown(t)) for role, t in args if role in (DEADLINE_ROLE, DATE_ROLE)]
        deadlines = [d for role, d in located if role == DEADLINE_ROLE] + note.get("deadlines", [])
        objects = [shown(t) for role, t in args if role == OBJECT_ROLE]
        commitments.append(
            {
                "start": spans[trigger][1][0][0],
                "line": number,
                "actors": list(dict.fromkeys(actors + note.get("actors", []))),
                "action": note.get("action") or shown(trigger),
                "object": " ".join(objects) or note.get("object") or None,
                "strength": next((v for n, v in attrs if n == STRENGTH_ATTRIBUTE), None),
                "conditional": any(n == CONDITIONAL_ATTRIBUTE for n, _ in attrs),
                "reported": any(n == REPORTED_ATTRIBUTE for n, _ in attrs),
                "dates": [d for _, d in located]
                + note.get("dates", [])
                + note.get("deadlines", []),
                "deadlines": deadlines,
            }
        )
    by_start = lambda item: (item["start"], -item["end"])  # noqa: E731
    return Annotated(
        doc_id=path.stem,
        text=text,
        entities=sorted(entities, key=by_start),
        segments=sorted(segments, key=by_start) if segments else None,
        sentences=sorted(sentences, key=by_start) if sentences else None,
        commitments=commitments,  # in the order of the file (the records' order)
        source=str(path),
    )


def _read_brat_line(line, text, spans, notes, attributes, events, number) -> None:
    fields = line.split("\t")
    ident = fields[0]
    if ident in spans or ident in events:
        raise AnnotationError(f"{ident} is given twice")
    if ident.startswith("T"):
        if len(fields) < 2:
            raise AnnotationError(f"{ident} has no type and offsets")
        kind, _, offsets = fields[1].partition(" ")
        pieces = _brat_offsets(offsets, len(text))
        spans[ident] = (kind, pieces, number)
        shown = " ".join(text[s:e] for s, e in pieces)
        if len(fields) > 2 and fields[2] != shown:
            log.warning(
                "%s: %s text %r does not match the .txt (%r)", number, ident, fields[2], shown
            )
    elif ident.startswith("#"):
        what, _, target = fields[1].partition(" ") if len(fields) > 1 else ("", "", "")
        if what == "AnnotatorNotes":
            notes[target.strip()] = fields[2].strip() if len(fields) > 2 else ""
    elif ident.startswith(("A", "M")):
        parts = fields[1].split() if len(fields) > 1 else []
        if len(parts) < 2:
            raise AnnotationError(f"attribute {ident} has no name and target")
        if parts[0] not in ATTRIBUTES and parts[0] not in DOMAINS:
            raise AnnotationError(f"attribute {parts[0]!r} is not in the annotation scheme")
        attributes.setdefault(parts[1], []).append((parts[0], parts[2] if len(parts) > 2 else None))
    elif ident.startswith("E"):
        parts = fields[1].split() if len(fields) > 1 else []
        kind, _, trigger = parts[0].partition(":") if parts else ("", "", "")
        if kind != COMMITMENT_TYPE:
            raise AnnotationError(f"event type {kind!r} is not in the annotation scheme")
        args = []
        for part in parts[1:]:
            role, _, target = part.partition(":")
            role = role.rstrip("0123456789")
            if role not in ROLES:
                raise AnnotationError(f"{ident}: argument {role!r} is not in the annotation scheme")
            args.append((role, target))
        events[ident] = (trigger, args, number)
    elif not ident.startswith(("R", "N", "*")):
        # relations (R), normalisations (N) and equivalences (*) carry nothing the gold uses
        raise AnnotationError(f"{ident[:20]!r} does not start a brat annotation")


# --- WebAnno TSV -------------------------------------------------------------------------------


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
_UNIT_OFFSETS = re.compile(r"([0-9]{1,15})-([0-9]{1,15})")


def _layer_annotations(
    units: list[tuple[int, int, list[str]]], columns: list[tuple[str, str]], layer: str
) -> list[dict]:
    """The annotations of one span layer: ``start``, ``end`` and one value per feature (None
    for "*"). Cells of one annotation over several tokens share a "[N]" reference."""
    cols = [(k, feature) for k, (name, feature) in enumerate(columns) if name == layer]
    if not cols:
        return []
    found: dict[tuple, dict] = {}
    for begin, end, cells in units:
        stacks = {f: _split_stack(cells[k]) if k < len(cells) else ["_"] for k, f in cols}
        depth = max(len(s) for s in stacks.values())
        for j in range(depth):
            raw = {f: (s[j] if j < len(s) else "_") for f, s in stacks.items()}
            if all(v in ("_", "") for v in raw.values()):
                continue
            refs = {_REF.match(v).group(2) for v in raw.values()} - {None}
            ref = refs.pop() if refs else None
            group = ("ref", ref) if ref else ("unit", begin, j)
            entry = found.get(group)
            if entry is None:
                entry = found[group] = {"start": begin, "end": end}
                for feature, value in raw.items():
                    value = _REF.match(value).group(1)
                    entry[feature] = None if value in ("*", "_", "") else _unescape_value(value)
            entry["start"], entry["end"] = min(entry["start"], begin), max(entry["end"], end)
    return list(found.values())


def read_webanno(path: str | Path, known_doc_ids: set[str] = frozenset()) -> Annotated:
    """A WebAnno TSV 3.x file: its sentences, its NamedEntity annotations and, where the file
    has the layer, its commitment records.

    The text is rebuilt as INCEpTION does: each sentence at its offset, spaces in between.
    Offsets are checked against what the file can hold (an offset beyond it is an error, not a
    gigabyte of spaces). The doc_id is the file's stem, or the folder's name where INCEpTION
    exports a document as ``annotation/<document>/<user>.tsv``.
    """
    path = Path(path)
    doc_id = path.stem
    if doc_id not in known_doc_ids:
        parent = path.parent.name
        for candidate in (parent, Path(parent).stem):
            if candidate in known_doc_ids:
                doc_id = candidate
                break
    content = _read(path, "the file")
    # every character of the text stands in a #Text line: no offset lies beyond the file's
    # length in UTF-16 units (two per character at most)
    limit = 2 * len(content)
    lines = content.split("\n")
    if not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise AnnotationError("is not a WebAnno TSV 3 file (no #FORMAT=WebAnno TSV 3 line)")
    columns: list[tuple[str, str]] = []  # (layer, feature) of each column after the token
    for line in lines[1:]:
        if line.startswith(("#T_SP=", "#T_CH=", "#T_RL=")):
            layer, *features = line.split("=", 1)[1].rstrip("\r").split("|")
            columns.extend((layer, f) for f in features)
        elif line.strip():
            break

    sentences: list[dict] = []  # start/end in UTF-16 units for now
    pieces: list[tuple[int, str]] = []  # (utf16 start, sentence text)
    text_lines: list[str] = []
    sentence_id = None
    units: list[tuple[int, int, list[str]]] = []  # (begin, end, cells)
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if line.startswith("#Sentence.id="):
            sentence_id = _unescape_text(line.split("=", 1)[1])
        elif line.startswith("#Text="):
            text_lines.append(_unescape_text(line[len("#Text=") :]))
        elif line and line[0].isdigit() and "\t" in line:
            cells = line.split("\t")
            offsets = _UNIT_OFFSETS.fullmatch(cells[1]) if len(cells) > 1 else None
            if offsets is None:
                raise AnnotationError(f"line {number}: offsets are not two whole numbers")
            begin, end = int(offsets.group(1)), int(offsets.group(2))
            if not begin <= end <= limit:
                raise AnnotationError(
                    f"line {number}: offsets {begin}-{end} lie outside the text the file holds"
                )
            if text_lines:  # the first token of a sentence: the text starts here
                sentence_text = "\n".join(text_lines)
                current = {
                    "id": sentence_id,
                    "start": begin,
                    "end": begin + len(sentence_text.encode("utf-16-le")) // 2,
                    "speech_act": None,
                    "line": number,
                }
                if current["end"] > limit:
                    raise AnnotationError(f"line {number}: the sentence runs beyond the file")
                sentences.append(current)
                pieces.append((begin, sentence_text))
                text_lines, sentence_id = [], None
            units.append((begin, end, cells[3:]))

    # rebuild the text in UTF-16 units: sentences at their offsets, spaces between them
    parts: list[str] = []
    at = 0  # UTF-16 units written
    astral: list[int] = []  # unit offsets of the characters that take two units
    for start, sentence_text in sorted(pieces, key=lambda p: p[0]):
        if start < at:
            raise AnnotationError(f"the sentence at offset {start} overlaps the one before")
        parts.append(" " * (start - at))
        at = start
        for c in sentence_text:
            if ord(c) >= 0x10000:
                astral.append(at)
                at += 2
            else:
                at += 1
        parts.append(sentence_text)
    end_units = max([e for _, e, _ in units] + [at])
    parts.append(" " * (end_units - at))
    text = "".join(parts)

    def char(offset: int) -> int:  # a UTF-16 offset as a character offset
        return offset - bisect.bisect_left(astral, offset) if astral else offset

    entities = [
        {
            "start": char(e["start"]),
            "end": char(e["end"]),
            "label": e["value"],
            "key": e.get("identifier"),
        }
        for e in _layer_annotations(units, columns, NAMED_ENTITY_LAYER)
        if e.get("value")
    ]
    commitments = None
    if any(layer == COMMITMENT_LAYER for layer, _ in columns):
        commitments = [
            {
                "start": char(c["start"]),
                "actors": _list_value(c.get("actors")),
                "action": c.get("action"),
                "object": c.get("object"),
                "strength": c.get("strength"),
                "conditional": c.get("conditional") == "true",
                "reported": c.get("reported") == "true",
                "dates": _list_value(c.get("dates")),
                "deadlines": _list_value(c.get("deadlines")),
            }
            for c in _layer_annotations(units, columns, COMMITMENT_LAYER)
        ]
    for s in sentences:
        s["start"], s["end"] = char(s["start"]), char(s["end"])
    return Annotated(
        doc_id=doc_id,
        text=text,
        entities=sorted(entities, key=lambda e: (e["start"], -e["end"])),
        segments=None,
        sentences=sentences or None,
        commitments=commitments,
        source=str(path),
        exact_text=False,
    )


def _list_value(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


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


def _where(item: dict) -> str:
    return f"line {item['line']}: " if item.get("line") else ""


def _check_nesting(items: list[dict], what: str, text: str, nested: bool) -> None:
    """Sorted spans that never partly overlap (with ``nested``, one may hold another)."""
    open_: list[dict] = []
    for item in items:
        while open_ and open_[-1]["end"] <= item["start"]:
            open_.pop()
        if open_ and (not nested or item["end"] > open_[-1]["end"]):
            other = open_[-1]
            raise AnnotationError(
                f"{_where(item)}{what} {text[item['start'] : item['end']][:40]!r} overlaps "
                f"{what} {text[other['start'] : other['end']][:40]!r}"
                + (f" (line {other['line']})" if other.get("line") else "")
            )
        open_.append(item)


def _flat(annotated: Annotated, entities: list[dict]) -> list[dict]:
    """Entities are flat (annotation guide, section 2): inside a larger name the larger span
    wins; of two that cross, the first. What is left out is a warning."""
    kept: list[dict] = []
    for e in entities:  # sorted by start, the longer first
        if kept and e["start"] < kept[-1]["end"]:
            other = kept[-1]
            log.warning(
                "%s: %sentity %r inside or across %r: left out (entities are flat)",
                annotated.source,
                _where(e),
                annotated.text[e["start"] : e["end"]][:40],
                annotated.text[other["start"] : other["end"]][:40],
            )
            continue
        kept.append(e)
    return kept


def _same(a, b) -> bool:
    """Equal but for spacing: "steun , de" (tokens joined) and "steun, de" (the text)."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(_squeezed, a)) == sorted(map(_squeezed, b))
    return _squeezed(a) == _squeezed(b)


def _squeezed(value) -> str:
    return "".join(str(value).split()) if value is not None else ""


def _record(found: dict, exported: dict | None) -> dict:
    """A commitment record from the file; where a field is what the export wrote, the export's
    own value (its spelling and order) rather than the text's."""
    record = {}
    for name in ("actors", "action", "object", "strength", "conditional", "reported"):
        record[name] = found[name]
    record["dates"], record["deadlines"] = found["dates"], found["deadlines"]
    if exported:
        for name in ("actors", "action", "object", "dates", "deadlines"):
            if name in exported and _same(record[name], exported[name]):
                record[name] = exported[name]
        if set(record["actors"]) == set(exported.get("actors") or []):
            record["actors"] = list(exported["actors"])
    return record


def _records(found: list[dict], exported: list[dict]) -> list[dict]:
    """A sentence's records from the file, each paired with the exported record of the same
    action (and object) where there is one: in the export's order, new ones after."""
    unused = list(range(len(exported)))
    paired = []
    for position, c in enumerate(found):
        match = next(
            (
                n
                for same_object in (True, False)
                for n in unused
                if _same(c["action"], exported[n].get("action"))
                and (not same_object or _same(c["object"], exported[n].get("object")))
            ),
            None,
        )
        if match is not None:
            unused.remove(match)
        order = match if match is not None else len(exported) + position
        paired.append((order, _record(c, exported[match] if match is not None else None)))
    return [record for _, record in sorted(paired, key=lambda p: p[0])]


def to_gold(annotated: Annotated, sidecar: dict | None = None) -> dict:
    """ANNOTATION.md gold JSON from the corrected annotations and the export's sidecar.

    Linear in the annotations (after sorting): sentences find their segment, entities and
    commitment records their sentence, by one sweep or a binary search.
    """
    text = annotated.text
    sidecar = sidecar or {}
    side_segments = {s.get("id"): s for s in sidecar.get("segments", [])}
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
        seg["kind"] = seg.get("kind") or known.get("kind") or kind_from_id(str(seg["id"]))
        if seg.get("domains") is None:
            seg["domains"] = list(known.get("domains", []))
        number = known.get("number")
        if number is None and (m := _POINT_ID.match(str(seg["id"]))):
            number = m.group(1)
        seg["number"] = number
        heading = known.get("heading")
        if heading is None and seg["kind"] == "bullet" and "." in str(seg["id"]):
            parent = seg["id"].rsplit(".", 1)[0]
            heading = parent if parent.startswith("h") else None
        seg["heading"] = heading
        seg["sentences"] = []
    segments.sort(key=lambda s: (s["start"], -s["end"]))
    _check_nesting(segments, "segment", text, nested=True)

    # sentences: the file's, else the export's, else one per segment
    sentences = annotated.sentences
    if sentences is None:
        sentences = [dict(s) for s in sidecar.get("sentences", [])]
    if not sentences:
        sentences = [{"id": None, "start": s["start"], "end": s["end"]} for s in segments]
    trimmed = []
    for sent in sentences:
        start, end = _trimmed(text, sent["start"], sent["end"])
        if end > start:
            trimmed.append({**sent, "start": start, "end": end})
    sentences = sorted(trimmed, key=lambda s: (s["start"], -s["end"]))
    _check_nesting(sentences, "sentence", text, nested=False)
    starts = [s["start"] for s in sentences]

    def sentence_at(start: int) -> int | None:
        k = bisect.bisect_right(starts, start) - 1
        return k if k >= 0 and start < sentences[k]["end"] else None

    entities = _flat(annotated, sorted(annotated.entities, key=lambda e: (e["start"], -e["end"])))
    ents_of: list[list[dict]] = [[] for _ in sentences]
    for e in entities:
        k = sentence_at(e["start"])
        if k is not None and e["end"] <= sentences[k]["end"]:
            ents_of[k].append(e)
        else:
            log.warning(
                "%s: entity %r %s: left out",
                annotated.source,
                text[e["start"] : e["end"]][:60],
                "crosses a sentence boundary" if k is not None else "lies outside every sentence",
            )
    records_of: list[list[dict]] | None = None
    if annotated.commitments is not None:
        records_of = [[] for _ in sentences]
        for c in annotated.commitments:
            k = sentence_at(c["start"])
            if k is None:
                log.warning(
                    "%s: a commitment record (%s) outside every sentence: left out",
                    annotated.source,
                    c.get("action"),
                )
            else:
                records_of[k].append(c)

    # the innermost segment holding each sentence's start: one sweep with a stack
    open_: list[dict] = []
    j, last = 0, None
    for k, sent in enumerate(sentences):
        start, end = sent["start"], sent["end"]
        while j < len(segments) and segments[j]["start"] <= start:
            open_.append(segments[j])
            last = segments[j]
            j += 1
        while open_ and open_[-1]["end"] <= start:
            open_.pop()
        segment = open_[-1] if open_ else (last or segments[0])
        known = side_sentences.get((start, end), {})
        record: dict = {"text": _clean(text[start:end])}
        speech_act = sent.get("speech_act") or known.get("speech_act")
        if speech_act:
            record["speech_act"] = speech_act
        record["entities"] = []
        for e in ents_of[k]:
            entity = {"text": _clean(text[e["start"] : e["end"]]), "label": e["label"]}
            if e.get("key") and set(str(e["label"]).split("|")).intersection(ACTOR_LABELS):
                entity["key"] = e["key"]
            entity["start"], entity["end"] = e["start"] - start, e["end"] - start
            record["entities"].append(entity)
        exported = list(known.get("commitments", []))
        if records_of is None:  # the file cannot carry them: the export's, unchanged
            record["commitments"] = exported
        else:
            record["commitments"] = _records(records_of[k], exported)
        segment["sentences"].append(record)

    gold = {
        "doc_id": sidecar.get("doc_id") or annotated.doc_id,
        "language": sidecar.get("language", "nl"),
        "source": f"corrected annotations ({Path(annotated.source).name})",
        # a researcher's corrections are training data (``train --extra``); gold.py wants the
        # split named
        "split": "train",
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
    check_gold(gold)
    return gold


def _one_of(value, allowed: tuple[str, ...], what: str, where: str) -> None:
    """value is one of allowed, or "A|B" of two of them."""
    parts = str(value).split("|") if isinstance(value, str) else [value]
    if not all(p in allowed for p in parts):
        raise AnnotationError(
            f"{what} {str(value)[:40]!r}{where} is not in the label scheme ({', '.join(allowed)})"
        )


def _identifier(value, pattern: re.Pattern, what: str, where: str = "") -> None:
    if not (isinstance(value, str) and len(value) <= MAX_ID_CHARS and pattern.fullmatch(value)):
        raise AnnotationError(
            f"{what} {str(value)[:40]!r}{where} is not an id of the annotation guide (letters, "
            "digits, '_', '.', '-'; e.g. p3, h1.b2, western_balkans)"
        )


def check_gold(gold: dict) -> None:
    """Every label, kind, domain, id and key of a gold document is one the scheme allows: what
    comes back from annotation files (or their sidecars) is checked before it is written."""
    _identifier(gold["doc_id"], _ID, "the doc_id")
    if not isinstance(gold.get("language"), str) or not re.fullmatch(
        r"[a-z]{2,3}", gold["language"]
    ):
        raise AnnotationError(f"language {str(gold.get('language'))[:20]!r} is not a language code")
    for seg in gold["segments"]:
        _identifier(seg["id"], _ID, "segment id")
        where = f" in segment {seg['id']}"
        _one_of(seg["kind"], SEGMENT_KINDS, "segment kind", where)
        for domain in seg["domains"]:
            _one_of(domain, DOMAINS, "domain", where)
        if seg["heading"] is not None:
            _identifier(seg["heading"], _ID, "heading id", where)
        if seg["number"] is not None and not re.fullmatch(
            r"[0-9A-Za-z.\-]{1,20}", str(seg["number"])
        ):
            raise AnnotationError(f"segment number {str(seg['number'])[:20]!r}{where} is no number")
        for sent in seg["sentences"]:
            if "speech_act" in sent:
                _one_of(sent["speech_act"], SPEECH_ACTS, "speech act", where)
            for e in sent["entities"]:
                shown = f" ({e['text'][:40]!r}{where})"
                _one_of(e["label"], ENTITY_LABELS, "entity label", shown)
                if "key" in e:
                    _identifier(e["key"], _KEY, "actor key", shown)
            for c in sent["commitments"]:
                shown = f" (commitment {str(c.get('action'))[:40]!r}{where})"
                for actor in c.get("actors") or []:
                    _identifier(actor, _KEY, "actor key", shown)
                if c.get("strength") is not None:
                    _one_of(c["strength"], STRENGTHS, "strength", shown)


# JSON escapes control characters; these too, so that no gold file shows text reordered
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\x7f-\x9f]")


def gold_json(gold: dict) -> str:
    """The gold file's text: UTF-8 JSON, with direction marks written as \\u escapes."""
    text = json.dumps(gold, ensure_ascii=False, indent=2) + "\n"
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
