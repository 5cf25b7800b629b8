"""Small generators of hostile input files, built at run time by tests/test_adversarial.py and
benchmarks/hostile.py.

Each writes one file that once took many GiB or minutes, or came out silently wrong: a Word
file inflating to 200 MB of empty paragraphs, a PDF stream inflating to 1 GiB, a page of
tiny text operators, 100,000 nested <div>s, random bytes named .html, a 190 MB text file,
10,000 tiny files ...  Streams are compressed and files written chunk by chunk, so that making
a bomb never holds what it expands to."""

from __future__ import annotations

import random
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(path: Path, body: Iterable[bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A Word file whose document.xml is ``body`` (chunks) inside <w:document><w:body>;
    ``zipfile.ZIP_STORED`` keeps it as it is (much XML without a high ratio)."""
    with zipfile.ZipFile(path, "w", compression) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for chunk in body:
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return path


def empty_paragraphs(megabytes: int) -> Iterable[bytes]:
    """``megabytes`` of <w:p/>: 200 MB of them once took 4.5 GiB."""
    chunk = b"<w:p/>" * (2**20 // 6)
    return (chunk for _ in range(megabytes))


def pdf(path: Path, pages: list[Iterable[bytes]]) -> Path:
    """A PDF of Helvetica pages, each content stream compressed chunk by chunk."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (
            "<< /Type /Pages /Kids ["
            + " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
            + f"] /Count {len(pages)} >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
            f"3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        packer = zlib.compressobj(9)
        packed = b"".join(packer.compress(chunk) for chunk in content) + packer.flush()
        objects.append(
            f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode()
            + packed
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


def text_page(lines: list[str], top: int = 770) -> list[bytes]:
    """A page's content: each line in 11 pt from ``top`` down (strings as latin-1 bytes)."""
    ops = [b"BT /F1 11 Tf"]
    for i, line in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"1 0 0 1 72 {top - 14 * i} Tm ({escaped}) Tj".encode("latin-1"))
    return [b"\n".join([*ops, b"ET"])]


def inflating_stream(megabytes: int) -> Iterable[bytes]:
    """A page that shows one line, then ``megabytes`` of blanks: 1 GiB once took 2.4 GiB."""
    yield text_page(["Verklaring", "1. De EU zal helpen."])[0] + b"\n"
    blanks = b" " * 2**20
    for _ in range(megabytes):
        yield blanks


def tiny_text(glyphs: int) -> Iterable[bytes]:
    """A page of ``glyphs`` one-point letters, each placed on its own (3.0 GiB once)."""
    yield b"BT /F1 1 Tf\n"
    for start in range(0, glyphs, 10_000):
        yield b"".join(
            f"1 0 0 1 {i % 500} {i // 500 % 800} Tm (a) Tj\n".encode()
            for i in range(start, min(glyphs, start + 10_000))
        )
    yield b"ET"


def nested_divs(depth: int) -> bytes:
    return (
        b"<html><body>" + b"<div>" * depth + b"<p>Diep.</p>" + b"</div>" * depth + b"</body></html>"
    )


def random_bytes(size: int, seed: int = 7) -> bytes:
    """Random bytes without NUL (a NUL would give them away at once)."""
    return random.Random(seed).randbytes(size).replace(b"\x00", b"\x01")


# a web page in windows-1252 that declares utf-8: its accents, quotes, euro and dash were U+FFFD
WRONG_CHARSET = (
    "<html><head><meta charset='utf-8'><title>Top</title></head><body><main>"
    "<h1>Verklaring van de top</h1><p>1. De EU steunt Kroatië en Servië “nu” met € 9 miljoen "
    "– één keer.</p></main></body></html>"
)
# one line near the top of each page: once all dropped as a running header
ONE_LINE_PAGES = [f"Punt {i} van de verklaring over de Westelijke Balkan." for i in (1, 2, 3)]


def long_text(path: Path, megabytes: int, paragraph: str) -> Path:
    """A text file of ``megabytes`` MB: a title, then numbered points of ``paragraph``, written
    a megabyte at a time (190 MB once took 4.4 GiB and 1 min 50 s before spaCy refused it)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("Verklaring zonder einde\n\n")
        number, written = 1, 0
        while written < megabytes * 2**20:
            points = []
            while sum(map(len, points)) < 2**20:
                points.append(f"{number}. {paragraph}\n\n")
                number += 1
            chunk = "".join(points)
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
    return path


def tiny_files(folder: Path, n: int) -> Path:
    """``n`` tiny declarations, each a title and one or two points of its own (10,000 of them
    once took 5.0 GiB, 4.4 GiB of it the report)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = f"Verklaring {i}\n\n1. De EU zal in {2000 + i % 30} project {i} steunen.\n"
        if i % 3 == 0:
            text += f"2. De partners roepen op tot overleg over punt {i}.\n"
        (folder / f"tiny-{i:05d}.txt").write_text(text, encoding="utf-8")
    return folder
