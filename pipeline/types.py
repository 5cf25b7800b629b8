"""The typed objects that pass between the stages.

extract  -> ExtractedText  (clean text, blocks, page map)
segment  -> spacy.tokens.Doc (segments and sentences as spans, see pipeline/doc.py)
records  -> Tables           (pandas DataFrames named as in CONTRACT.md)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: this module stays importable without spaCy and pandas
    import pandas as pd
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of the clean text, as laid out on the page.

    ``text[start:end]`` of the owning ExtractedText is the block including its marker
    ("1. De EU ...", "a) ..."); ``content_start`` is where the text after the marker begins.
    Bullet glyphs (•, –, ▪ ...) are not part of the clean text: ``marker`` records them.
    """

    start: int
    end: int
    content_start: int
    marker: str | None = None  # "1.", "(2)", "a)", "•", "-", "I." ... or None
    role: str = "body"  # "body" or "footnote"
    footnote_mark: str | None = None  # "*", "1" ... for role == "footnote"
    page_start: int = 1
    page_end: int = 1


@dataclass
class ExtractedText:
    """What every reader (pdf, text, html, docx) returns.

    ``text`` is the clean text: page furniture and footnote marks removed, broken words rejoined,
    one block per line (blocks separated by a single "\\n"), footnotes after the body text.
    ``page_spans`` maps character ranges of ``text`` to 1-based page numbers; for inputs without
    pages (plain text without form feeds, HTML, DOCX) everything is page 1.
    """

    text: str
    blocks: list[Block]
    page_spans: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, page)
    n_pages: int = 1
    source_path: str = ""
    source_sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    title_hint: str | None = None  # e.g. the PDF's or HTML's own title metadata

    def pages_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last page that the range [start, end) touches."""
        pages = [p for s, e, p in self.page_spans if s < max(end, start + 1) and e > start]
        if not pages:
            return (1, 1)
        return (min(pages), max(pages))


class InputError(Exception):
    """A document that cannot be read; the message is one line naming the reason."""

    def __init__(self, path: str | Path, stage: str, reason: str):
        self.path = str(path)
        self.stage = stage
        self.reason = reason
        super().__init__(f"{self.path}: {stage}: {reason}")


@dataclass
class Options:
    """How a run reads its inputs and where it stops (set from the command line)."""

    password: str | None = None
    ocr: bool = False
    max_pages: int = 2000
    max_bytes: int = 200_000_000
    # characters of clean text: beyond it a document is refused (memory grows with the text)
    max_chars: int = 5_000_000
    # megabytes of memory per worker process (pool or Dask): a document needing more fails
    # alone instead of taking the machine; None: no limit
    max_memory: int | None = None
    timeout: float = 600.0  # seconds per document
    models_dir: str | None = None
    # a researcher's own gazetteer and domain terms (run --gazetteer, --lexicon; userdata.py)
    gazetteer: str | None = None
    lexicon: str | None = None

    def user_data(self) -> tuple[tuple[str, str], ...]:
        """The user files by config.cfg [paths] name, for load_nlp."""
        files = (("gazetteer", self.gazetteer), ("lexicon", self.lexicon))
        return tuple((name, str(path)) for name, path in files if path)


@dataclass
class Corpus:
    """The result of a run: one spaCy Doc per document and the tables as DataFrames.

    ``Corpus.read("outputs/")`` opens the output folder of an earlier run; its tables and Docs
    are read from disk when first used.
    """

    tables: Mapping[str, pd.DataFrame]
    docs: Mapping[str, Doc] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"Corpus({sizes})"

    @classmethod
    def read(cls, out_dir: str | Path) -> Corpus:
        """The tables and Docs that the run which wrote ``out_dir`` lists in its manifest."""
        from .cache import read_manifest  # here: pipeline.cache imports this module (Options)

        out = Path(out_dir)
        manifest = read_manifest(out)
        return cls(_StoredTables(out, manifest), _StoredDocs(out / "docs", manifest))


class _StoredTables(Mapping):
    """The tables of an output folder, each read on first use (pandas loads only then)."""

    def __init__(self, out_dir: Path, manifest: dict | None = None):
        self.out_dir = out_dir
        if manifest is not None:
            self.names = sorted(manifest["tables"])
        else:  # a folder written before manifests
            self.names = sorted(
                p.stem
                for p in out_dir.glob("*.*")
                if p.suffix in (".parquet", ".csv", ".jsonl") and not p.name.startswith(".")
            )
        self.loaded: dict = {}

    def __getitem__(self, name: str):
        if name not in self.names:
            raise KeyError(name)
        if name not in self.loaded:
            from .store import read_table  # pandas and pyarrow (a second) on first use only

            self.loaded[name] = read_table(self.out_dir, name)
        return self.loaded[name]

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class _StoredDocs(Mapping):
    """docs/<doc_id>.spacy of an output folder, each read on first use."""

    def __init__(self, folder: Path, manifest: dict | None = None):
        self.folder = folder
        if manifest is not None:  # doc_id -> its file name
            self.files = dict(manifest["documents"])
        else:
            stems = sorted(p.stem for p in folder.glob("*.spacy")) if folder.is_dir() else []
            self.files = {stem: stem for stem in stems}
        self.ids = sorted(self.files)
        self.vocab: Vocab | None = None

    def __getitem__(self, doc_id: str):
        if doc_id not in self.files:
            raise KeyError(doc_id)
        # spaCy (1.5 s) on first use only: a Corpus read for its tables never loads it
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        from . import doc as _doc  # noqa: F401  (the extension attributes the Doc carries)

        self.vocab = self.vocab or Vocab()
        path = self.folder / f"{self.files[doc_id]}.spacy"
        return next(DocBin().from_disk(path).get_docs(self.vocab))

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)
