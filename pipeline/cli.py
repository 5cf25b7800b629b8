"""Command line: ``python -m pipeline`` or ``declarations``.

Exit status: 0 when every input was processed, 1 when some failed (the others' results are
still written, and each failure is a row of ``errors``), 2 when the command cannot start (a
usage error, no documents, an unusable ``--out``, a bad user file).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path

# light (10-40 ms each, measured with python -X importtime): no spaCy, pandas or models
from .cache import FolderInUse
from .escapes import printable
from .runner.plan import SUFFIXES, Plan, check_doc_id, find_inputs
from .types import Options
from .userdata import UserDataError, read_gazetteer, read_lexicon, read_metadata

EXPORT_FORMATS = ("iob", "conllu", "docbin", "brat", "webanno", "jsonl", "xlsx")
TRAINABLE = ("ner", "parser", "speech", "domains")
DESCRIPTION = (
    "Dutch summit declarations (PDF, Word, HTML, text) into tables of segments, sentences, "
    "entities, commitments and policy domains, with a report; comparison of declarations; "
    "export to and import from annotation tools; retraining on corrected documents."
)
EXAMPLES = {
    "run": "declarations run corpus/ --out results/\n"
    "  declarations run corpus/ --out results/ --format csv --workers 2 --quiet\n"
    "  declarations run corpus/ --out results/ --metadata summits.csv --gazetteer mine.csv",
    "compare": "declarations compare results/ --out comparison/",
    "export": "declarations export results/ --format brat --dest to-correct/\n"
    "  declarations export results/ --format xlsx --dest spreadsheets/",
    "import-annotations": "declarations import-annotations to-correct/ --format brat "
    "--dest corrected/",
    "evaluate": "declarations evaluate corpus/annotated/*.gold.json --out evaluation/",
    "train": "declarations train speech --extra corrected/",
    "kwic": "declarations kwic results/ 'rechtsstaat*' --window 4 --by speech_act",
}


def positive_int(text: str) -> int:
    """An option's whole number of 1 or more (``--workers``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--debug and --quiet, before the command or after it ("run corpus/ --out x --quiet"):
    after it they default to nothing, so that one given before is not undone."""
    default = argparse.SUPPRESS if suppress else False
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="show the details of a failure (the traceback)",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        default=default,
        help="no progress and no summary line; failures are still printed",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="declarations", description=DESCRIPTION)
    _global_options(p, suppress=False)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            epilog=f"example:\n  {EXAMPLES[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _global_options(parser, suppress=True)
        return parser

    run = command("run", "process declarations into tables and a report")
    run.add_argument("inputs", nargs="+", help="files (.pdf .txt .html .docx) or folders of them")
    run.add_argument("--out", required=True, help="output folder (made if missing)")
    run.add_argument(
        "--format",
        choices=("parquet", "csv", "jsonl"),
        default="parquet",
        help="table format (default parquet; for a spreadsheet workbook, then run "
        "`declarations export OUT --format xlsx`)",
    )
    run.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="documents processed at once (default 1; each takes about 1 GB)",
    )
    run.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local processes (default) or a Dask cluster",
    )
    run.add_argument(
        "--scheduler",
        help="address of an existing Dask scheduler (tls://HOST:PORT, with Dask's TLS settings; "
        "tcp:// is unauthenticated: trusted networks only)",
    )
    run.add_argument("--doc-id", help="doc_id for a single input (default: the file's name)")
    run.add_argument("--password", help="password for encrypted PDFs")
    run.add_argument("--ocr", action="store_true", help="OCR PDFs without a text layer (tesseract)")
    run.add_argument(
        "--max-pages", type=positive_int, default=2000, help="refuse longer PDFs (default 2000)"
    )
    run.add_argument(
        "--max-bytes",
        type=positive_int,
        default=200_000_000,
        help="refuse larger files (default 200 MB)",
    )
    run.add_argument(
        "--timeout", type=float, default=600.0, help="seconds per document (default 600)"
    )
    run.add_argument(
        "--gazetteer",
        metavar="FILE",
        help="your own actors, places, programmes: TSV, CSV or JSONL with name, label, key "
        "(optional aliases, wikidata), added to the shipped gazetteer",
    )
    run.add_argument(
        "--lexicon",
        metavar="FILE",
        help="your own policy-domain terms: TSV, CSV or JSONL with term, domain (optional "
        "match), added to the shipped lexicon",
    )
    run.add_argument(
        "--metadata",
        metavar="FILE",
        help="what you know about each declaration: CSV with doc_id and any columns (series, "
        "date, presidency, summit ...), joined into the documents table; a date there replaces "
        "the detected one",
    )
    run.add_argument(
        "--max-chars",
        type=positive_int,
        default=5_000_000,
        help="refuse documents with more characters of clean text (default 5,000,000; memory "
        "grows with the text, about 1 GB per million characters)",
    )
    run.add_argument(
        "--max-memory",
        type=int,
        metavar="MB",
        help="memory per worker process with --workers 2+ or --engine dask (default: no limit); "
        "a document needing more fails alone",
    )
    run.add_argument(
        "--follow-links",
        action="store_true",
        help="read links in an input folder that lead outside it (refused by default)",
    )
    run.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    run.add_argument("--no-report", action="store_true", help="skip report.html")

    cmp = command("compare", "compare documents (input files or a run's output folder)")
    cmp.add_argument("inputs", nargs="+", help="a run's output folder, or declaration files")
    cmp.add_argument("--out", required=True, help="folder for the comparison tables")
    cmp.add_argument(
        "--format",
        choices=("parquet", "csv", "jsonl"),
        default="parquet",
        help="table format (default parquet)",
    )

    exp = command("export", "export a run's output for annotation tools")
    exp.add_argument("dir", help="a run's output folder")
    exp.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        required=True,
        help="brat or webanno to correct in brat/INCEpTION; iob, conllu, docbin, jsonl for "
        "NLP tools; xlsx: every table as a sheet of one workbook, for spreadsheets",
    )
    exp.add_argument("--dest", required=True, help="folder for the exported files")

    imp = command("import-annotations", "turn corrected brat/WebAnno files into gold files")
    imp.add_argument("inputs", nargs="+", help="corrected files, or folders of them")
    imp.add_argument(
        "--format", choices=("brat", "webanno"), required=True, help="the files' format"
    )
    imp.add_argument("--dest", required=True, help="folder for the gold files (.gold.json)")

    ev = command("evaluate", "score the pipeline against gold files")
    ev.add_argument("gold", nargs="+", help="gold files (.gold.json) with their texts beside them")
    ev.add_argument("--out", required=True, help="folder for the scores")

    kw = command("kwic", "keyword in context over a run's output folder")
    kw.add_argument("dir", help="a run's output folder")
    kw.add_argument("term", help='a word or phrase, in any case; "*" matches any characters')
    kw.add_argument(
        "--window", type=int, default=5, help="tokens of context on each side (default 5)"
    )
    kw.add_argument("--by", help="sort and label the hits by actor, domain or speech_act")

    tr = command("train", "retrain a model from the annotated documents")
    tr.add_argument(
        "model", choices=TRAINABLE + ("all",), help="which model (all: every one, in order)"
    )
    tr.add_argument(
        "args",
        nargs=argparse.REMAINDER,
        help="the trainer's options, e.g. --extra DIR (corrected gold files added to training; "
        "speech); `declarations train MODEL --help` lists them",
    )
    return p


def unusable_out(out: str | Path) -> str | None:
    """Why ``--out`` cannot be the output folder, in words; None when it can."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        return f"--out {out}: is a file, not a folder"
    existing = next((p for p in (path, *path.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        return f"--out {out}: {existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"--out {out}: no permission to write in {existing}"
    return None


def _run(args) -> int:
    # deferred: start-up, measured 133 ms (every other command, --help included, skips it);
    # a re-run with nothing to do imports no spaCy or pandas
    from . import runner

    problem = unusable_out(args.out)
    problem = printable(problem) if problem else None
    listed = Plan()  # what the run will find (an unreadable folder is its error row)
    if problem is None and not find_inputs(args.inputs, listed, args.follow_links):
        if not listed.refused:
            looked_for = ", ".join(SUFFIXES)
            where = printable(", ".join(args.inputs))
            problem = f"no documents in {where} (looked for {looked_for})"
    if problem is None:
        problem = _user_files(args)
    if problem:  # each line made printable where it was made
        print(f"error: {problem}", file=sys.stderr)
        return 2

    options = Options(
        password=args.password,
        ocr=args.ocr,
        max_pages=args.max_pages,
        max_bytes=args.max_bytes,
        max_chars=args.max_chars,
        max_memory=args.max_memory,
        timeout=args.timeout,
        gazetteer=args.gazetteer,
        lexicon=args.lexicon,
    )
    if args.doc_id is not None:
        try:
            check_doc_id(args.doc_id)
        except ValueError as err:
            print(f"error: {printable(str(err))}", file=sys.stderr)
            return 2
    corpus = runner.run(
        args.inputs,
        out_dir=args.out,
        fmt=args.format,
        options=options,
        workers=args.workers,
        engine=args.engine,
        scheduler=args.scheduler,
        doc_id=args.doc_id,
        use_cache=not args.no_cache,
        report=not args.no_report,
        progress=not args.quiet,
        follow_links=args.follow_links,
        metadata=args.metadata,
    )
    errors = corpus.tables["errors"]
    for row in errors.itertuples():
        line = f"{row.source_path}: {row.stage}: {row.message}"
        print(f"error: {printable(line)}", file=sys.stderr)
    n_docs = len(corpus.tables["documents"])
    if not args.quiet:
        print(printable(f"{n_docs} document(s) processed, {len(errors)} failed -> {args.out}"))
    return 1 if len(errors) else 0


def _user_files(args) -> str | None:
    """The researcher's own files checked before the run: one line per bad row."""
    from .tables import COLUMNS  # deferred: start-up, measured 850 ms (pandas)

    checks = (
        (args.gazetteer, read_gazetteer),
        (args.lexicon, read_lexicon),
        (args.metadata, lambda path: read_metadata(path, tuple(COLUMNS["documents"]))),
    )
    for path, read in checks:
        if path:
            try:
                read(path)
            except UserDataError as err:
                return "\nerror: ".join(map(printable, err.problems))
    return None


def _compare(args) -> int:
    # deferred: start-up, measured 4.8 s (spaCy, pandas, scikit-learn): only `compare` needs them
    from . import api, store
    from .compare import compare_output_dir
    from .tables import CORPUS_TABLES

    inputs = [Path(p) for p in args.inputs]
    if all(p.is_dir() and store.table_path(p, "segments") for p in inputs):
        frames = {}
        for name, frame in compare_output_dir(inputs[0] if len(inputs) == 1 else inputs).items():
            frames[name] = frame
    else:
        corpus = api.process(inputs, keep_docs=False)
        frames = {name: corpus.tables[name] for name in CORPUS_TABLES}
    store.write_tables(frames, args.out, args.format)
    print(f"compared -> {args.out}")
    return 0


def _export(args) -> int:
    from .export import export  # deferred: start-up, measured 1.9 s

    n = export(args.dir, args.format, args.dest)
    print(f"exported {n} document(s) as {args.format} -> {args.dest}")
    return 0


def _import(args) -> int:
    from .export import import_annotations  # deferred: start-up, measured 1.9 s

    imported = import_annotations(args.inputs, args.format, args.dest)
    for path, reason in imported.failed:  # one line per file that could not be imported
        print(f"error: {printable(f'{path}: {reason}')}", file=sys.stderr)
    print(
        f"wrote {len(imported.written)} gold file(s), {len(imported.failed)} file(s) could "
        f"not be imported -> {args.dest}"
    )
    return 1 if imported.failed else 0


def _evaluate(args) -> int:
    from .evaluate import evaluate  # deferred: start-up, measured 4.2 s

    report = evaluate(args.gold, out_dir=args.out)
    print(report)
    return 0


def _kwic(args) -> int:
    from .concordance import BY, format_hits, kwic  # deferred: start-up, measured 2.5 s

    if args.by is not None and args.by not in BY:
        print(f"usage error: --by must be one of {', '.join(BY)}", file=sys.stderr)
        return 2
    hits = kwic(args.dir, args.term, window=args.window, by=args.by)
    for line in format_hits(hits, args.by):
        print(line)
    if not args.quiet:
        print(f"{len(hits)} hit(s) of {args.term!r}", file=sys.stderr)
    return 0


def _train(args) -> int:
    names = TRAINABLE if args.model == "all" else (args.model,)
    for name in names:
        module = importlib.import_module(f"pipeline.train.{name}")
        module.main(args.args)
    return 0


COMMANDS = {
    "run": _run,
    "compare": _compare,
    "export": _export,
    "import-annotations": _import,
    "evaluate": _evaluate,
    "train": _train,
    "kwic": _kwic,
}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # one line unless --debug
        if args.debug:
            raise
        print(f"error: {args.command}: {printable(in_words(err))}", file=sys.stderr)
        return 1


def in_words(err: Exception) -> str:
    """A failure of a whole command in words: our own errors carry them; for others, what
    went wrong without the library's class name (``--debug`` shows the traceback)."""
    if isinstance(err, (FolderInUse, ValueError)) or type(err).__module__.startswith("pipeline"):
        return str(err)
    if isinstance(err, OSError):
        if not err.strerror:  # raised with a message of ours ("no such output folder: ...")
            return str(err)
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror.lower()}"
    if isinstance(err, MemoryError):
        return "ran out of memory"
    return "an unexpected problem stopped the command (--debug shows the details)"


if __name__ == "__main__":
    sys.exit(main())
