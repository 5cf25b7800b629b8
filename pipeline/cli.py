"""Command line: ``python -m pipeline`` or ``declarations``. Thin: parse arguments, call the API.

Exit status: 0 when every input was processed, 1 when some failed (the others' results are
still written, and each failure is a row of ``errors``), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

EXPORT_FORMATS = ("iob", "conllu", "docbin", "brat", "webanno", "jsonl")
TRAINABLE = ("ner", "parser", "speech", "domains")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="declarations", description=__doc__.splitlines()[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, warnings only")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="process declarations into tables")
    run.add_argument("inputs", nargs="+", help="files (.pdf .txt .html .docx) or folders")
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet")
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--engine", choices=("local", "dask"), default="local")
    run.add_argument(
        "--scheduler",
        help="address of an existing Dask scheduler (tls://HOST:PORT, with Dask's TLS settings; "
        "tcp:// is unauthenticated: trusted networks only)",
    )
    run.add_argument("--doc-id", help="doc_id for a single input (default: the file's stem)")
    run.add_argument("--password", help="password for encrypted PDFs")
    run.add_argument("--ocr", action="store_true", help="OCR PDFs without a text layer (tesseract)")
    run.add_argument("--max-pages", type=int, default=2000)
    run.add_argument(
        "--max-bytes", type=int, default=200_000_000, help="skip larger files (default 200 MB)"
    )
    run.add_argument(
        "--max-chars",
        type=int,
        default=5_000_000,
        help="refuse documents with more characters of clean text (default 5,000,000; memory "
        "grows with the text, about 1 GB per million characters)",
    )
    run.add_argument("--timeout", type=float, default=600.0, help="seconds per document")
    run.add_argument(
        "--follow-links",
        action="store_true",
        help="read links in an input folder that lead outside it (refused by default)",
    )
    run.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    run.add_argument("--no-report", action="store_true", help="skip report.html")

    cmp = sub.add_parser("compare", help="compare documents (input files or a run's output)")
    cmp.add_argument("inputs", nargs="+")
    cmp.add_argument("--out", required=True)
    cmp.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet")

    exp = sub.add_parser("export", help="export a run's output for annotation tools")
    exp.add_argument("dir")
    exp.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    exp.add_argument("--dest", required=True)

    imp = sub.add_parser("import-annotations", help="corrected brat/WebAnno files -> gold JSON")
    imp.add_argument("inputs", nargs="+")
    imp.add_argument("--format", choices=("brat", "webanno"), required=True)
    imp.add_argument("--dest", required=True)

    ev = sub.add_parser("evaluate", help="score the pipeline against gold JSON files")
    ev.add_argument("gold", nargs="+")
    ev.add_argument("--out", required=True)

    kw = sub.add_parser("kwic", help="keyword in context over a run's output folder")
    kw.add_argument("dir", help="a run's output folder")
    kw.add_argument("term", help='a word or phrase; "*" matches any characters')
    kw.add_argument("--window", type=int, default=5, help="tokens of context on each side")
    kw.add_argument("--by", help="sort and label the hits by actor, domain or speech_act")

    tr = sub.add_parser("train", help="rebuild models/ from the data")
    tr.add_argument("model", choices=TRAINABLE + ("all",))
    tr.add_argument("args", nargs=argparse.REMAINDER)
    return p


def _run(args) -> int:
    from . import runner  # light: a re-run with nothing to do imports no spaCy or pandas
    from .runner.plan import check_doc_id
    from .types import Options

    options = Options(
        password=args.password,
        ocr=args.ocr,
        max_pages=args.max_pages,
        max_bytes=args.max_bytes,
        max_chars=args.max_chars,
        timeout=args.timeout,
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
    )
    errors = corpus.tables["errors"]
    for row in errors.itertuples():
        line = f"{row.source_path}: {row.stage}: {row.message}"
        print(f"error: {printable(line)}", file=sys.stderr)
    n_docs = len(corpus.tables["documents"])
    if not args.quiet:
        print(printable(f"{n_docs} document(s) processed, {len(errors)} failed -> {args.out}"))
    return 1 if len(errors) else 0


def _compare(args) -> int:
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
    from .export import export

    n = export(args.dir, args.format, args.dest)
    print(f"exported {n} document(s) as {args.format} -> {args.dest}")
    return 0


def _import(args) -> int:
    from .export import import_annotations

    imported = import_annotations(args.inputs, args.format, args.dest)
    for path, reason in imported.failed:  # one line per file that could not be imported
        print(f"error: {printable(f'{path}: {reason}')}", file=sys.stderr)
    print(
        f"wrote {len(imported.written)} gold file(s), {len(imported.failed)} file(s) could "
        f"not be imported -> {args.dest}"
    )
    return 1 if imported.failed else 0


def _evaluate(args) -> int:
    from .evaluate import evaluate

    report = evaluate(args.gold, out_dir=args.out)
    print(report)
    return 0


def _kwic(args) -> int:
    from .concordance import BY, format_hits, kwic

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
    import importlib

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


# characters that would change what a printed line shows: controls (a newline would start a
# forged line of its own) and text-direction marks (U+202E shows text reversed)
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """text for one terminal line: every control and text-direction character as an escape."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def in_words(err: Exception) -> str:
    """A failure of a whole command in words: our own errors carry them; for others, what
    went wrong without the library's class name (``--debug`` shows the traceback)."""
    from .cache import FolderInUse

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
