"""OCR for PDFs without a text layer (scans): pages rendered with pypdfium2, read by tesseract.

tesseract is a system program (Debian: ``tesseract-ocr`` with ``tesseract-ocr-nld`` for Dutch),
called once per page through its command line, so no Python binding is needed. The recognised
pages go through the plain-text reader joined by form feeds, so page numbers, running headers
and broken words are handled as for any text dump.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.types import ExtractedText, InputError

DPI = 300


def tesseract_languages() -> set[str]:
    if not shutil.which("tesseract"):
        return set()
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return {line.strip() for line in out.stdout.splitlines()[1:] if line.strip()}


def ocr_pdf(
    path: Path, data: bytes, sha256: str, password: str | None = None, language: str = "nld"
) -> ExtractedText:
    import pypdfium2 as pdfium

    from . import text as text_reader

    languages = tesseract_languages()
    if not languages:
        raise InputError(
            path,
            "extract",
            "no text layer, and --ocr needs tesseract "
            "(apt-get install tesseract-ocr tesseract-ocr-nld)",
        )
    lang = language if language in languages else "eng"
    pages: list[str] = []
    pdf = pdfium.PdfDocument(data, password=password)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(len(pdf)):
                image = pdf[i].render(scale=DPI / 72).to_pil()
                png = Path(tmp) / f"page{i + 1}.png"
                image.save(png)
                result = subprocess.run(
                    ["tesseract", str(png), "stdout", "-l", lang], capture_output=True, text=True
                )
                if result.returncode != 0:
                    raise InputError(
                        path,
                        "extract",
                        f"OCR failed on page {i + 1}: {result.stderr.strip().splitlines()[-1:]}",
                    )
                pages.append(result.stdout)
    finally:
        pdf.close()
    if not any(p.strip() for p in pages):
        raise InputError(path, "extract", "no text layer, and OCR found no text")
    extracted = text_reader.read_text("\f".join(pages), source_path=str(path), source_sha256=sha256)
    extracted.warnings.append(f"text from OCR (tesseract, language {lang!r}): check it")
    return extracted
