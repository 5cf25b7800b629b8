"""Readers: a declaration file -> :class:`~pipeline.types.ExtractedText`.

>>> from pipeline.extract import read
>>> extracted = read("corpus/sofia-2018-nl.txt")          # doctest: +SKIP
>>> block = extracted.blocks[2]                             # doctest: +SKIP
>>> block.marker, extracted.text[block.content_start:block.end][:9]   # doctest: +SKIP
('1.', 'De EU is ')

One module per format (text, pdf, html, docx) turns its input into lines with layout evidence;
the modules beside them hold the rules they share: ``markers`` (list markers), ``words``
(document statistics), ``hyphenation`` (broken words), ``blocks`` (lines -> blocks),
``footnotes`` (note marks), ``furniture`` (headers, footers, page numbers) and ``assemble``
(blocks -> clean text).  Every failure is an :class:`~pipeline.types.InputError` with a one-line reason.
"""

from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path

from pipeline.types import ExtractedText, InputError

#: file suffix -> reader module (each has ``read(path, data, sha256, **options)``)
READERS = {
    ".txt": "text",
    ".text": "text",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}


def read(
    path: str | Path,
    *,
    password: str | None = None,
    ocr: bool = False,
    max_pages: int | None = None,
) -> ExtractedText:
    """Read one declaration, choosing the reader by the file's suffix.

    ``password`` opens an encrypted PDF; ``ocr`` reads a PDF without a text layer with
    tesseract; a PDF of more than ``max_pages`` pages is refused. Raises :class:`InputError`
    for files that cannot be read (missing, empty, binary named .txt, not a PDF, corrupt,
    encrypted, no text layer ...).
    """
    path = Path(path)
    module_name = READERS.get(path.suffix.lower())
    if module_name is None:
        known = ", ".join(sorted(READERS))
        raise InputError(
            path,
            "extract",
            f"unsupported file type {path.suffix or '(none)'!r}; expected one of {known}",
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "extract", "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "extract", "is a directory, not a file") from None
    except OSError as err:
        raise InputError(path, "extract", f"cannot read file ({err.strerror})") from None
    if not data:
        raise InputError(path, "extract", "empty file (0 bytes)")
    sha256 = hashlib.sha256(data).hexdigest()
    reader = import_module(f"pipeline.extract.{module_name}")
    options = (
        {"password": password, "ocr": ocr, "max_pages": max_pages} if module_name == "pdf" else {}
    )
    return reader.read(path, data, sha256, **options)


__all__ = ["read", "READERS", "ExtractedText", "InputError"]
