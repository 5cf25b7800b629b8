"""A researcher's folder holds whatever the web gave them: every bad file is one clear error row,
and the good documents come out exactly as when they are processed alone."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline import runner, store
from pipeline.types import Options

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"


def _pdf(path: Path, lines: list[str], encrypt: str | None = None, text: bool = True) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    y = 780
    for line in lines:
        if text:
            pdf.drawString(72, y, line)
        else:  # a scan: only shapes, no text layer
            pdf.rect(72, y, 400, 8, fill=1)
        y -= 16
    pdf.save()
    return path


SEED_LINES = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()][:30]


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("folder")
    (folder / "sofia.txt").write_bytes(SEED.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "not-a-pdf.pdf").write_text("Dit is geen PDF maar gewone tekst.", encoding="utf-8")
    good_pdf = _pdf(folder / "good-pdf.pdf", SEED_LINES)
    (folder / "truncated.pdf").write_bytes(good_pdf.read_bytes()[: good_pdf.stat().st_size // 3])
    _pdf(folder / "encrypted.pdf", SEED_LINES, encrypt="geheim")
    _pdf(folder / "scan.pdf", SEED_LINES, text=False)
    (folder / "english.txt").write_text(
        "Sofia Declaration\n\n1. The EU welcomes the commitment of the Western Balkans partners "
        "to European values and principles. The EU will step up its support.\n",
        encoding="utf-8",
    )
    (folder / "no-structure.txt").write_text(
        "Een notitie over samenwerking in de regio zonder enige nummering.\n\n"
        "De partners werken samen aan betere verbindingen. De EU steunt dat.\n",
        encoding="utf-8",
    )
    (folder / "huge.txt").write_text("woord " * 200_000, encoding="utf-8")
    (folder / "dup").mkdir()
    (folder / "dup" / "sofia.txt").write_bytes(SEED.read_bytes())
    return folder


@pytest.fixture(scope="module")
def bad_run(bad_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "--quiet",
            "run",
            str(bad_folder),
            "--out",
            str(out),
            "--no-report",
            "--max-bytes",
            "1000000",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return proc, out


@pytest.mark.slow
def test_exit_status_1_and_one_line_per_bad_file_without_traceback(bad_run):
    proc, _ = bad_run
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    for name in (
        "empty.txt",
        "binary.txt",
        "not-a-pdf.pdf",
        "truncated.pdf",
        "encrypted.pdf",
        "scan.pdf",
        "huge.txt",
    ):
        assert any(name in line for line in lines), name


@pytest.mark.slow
def test_every_failure_is_a_row_of_errors_with_a_clear_reason(bad_run):
    _, out = bad_run
    errors = store.read_table(out, "errors").set_index("source_path")
    reasons = {Path(p).name: m for p, m in errors["message"].items()}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "PDF" in reasons["not-a-pdf.pdf"]
    assert "password" in reasons["encrypted.pdf"]
    assert "OCR" in reasons["scan.pdf"]
    assert "max-bytes" in reasons["huge.txt"]
    assert any("duplicate doc_id" in m for m in errors["message"])


@pytest.mark.slow
def test_good_documents_come_out_as_when_run_alone(bad_run, tmp_path):
    _, out = bad_run
    alone = runner.run([SEED], tmp_path, doc_id="sofia", report=False, progress=False)
    together = store.read_table(out, "sentences")
    together = together[together["doc_id"] == "sofia"].reset_index(drop=True)
    pd.testing.assert_frame_equal(together, alone.tables["sentences"])


@pytest.mark.slow
def test_other_languages_and_unstructured_text_are_processed_with_a_warning(bad_run):
    _, out = bad_run
    documents = store.read_table(out, "documents").set_index("doc_id")
    assert documents.loc["english", "language"] == "en"
    assert any("Dutch" in w for w in documents.loc["english", "warnings"])
    assert any("paragraphs" in w for w in documents.loc["no-structure", "warnings"])


@pytest.mark.slow
def test_an_encrypted_pdf_opens_with_its_password(bad_folder, tmp_path):
    corpus = runner.run(
        [bad_folder / "encrypted.pdf"],
        tmp_path,
        report=False,
        progress=False,
        options=Options(password="geheim"),
    )
    assert len(corpus.tables["errors"]) == 0
    assert corpus.tables["documents"]["n_segments"].iloc[0] > 0


@pytest.mark.slow
def test_no_network_access_at_run_time(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from pipeline.nlp import build_nlp

    corpus = runner.run(
        [SEED], tmp_path, report=True, progress=False, options=Options(models_dir=None)
    )
    assert build_nlp() is not None
    assert len(corpus.tables["entities"]) > 0


def _scan_of(pdf_path: Path, out: Path) -> Path:
    """An image-only copy of a PDF, as a scanner makes it."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    scan = canvas.Canvas(str(out), pagesize=A4)
    for page in pdfium.PdfDocument(str(pdf_path)):
        image = page.render(scale=300 / 72).to_pil()
        scan.drawImage(ImageReader(image), 0, 0, *A4)
        scan.showPage()
    scan.save()
    return out


needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and os.environ.get("CI") != "true",
    reason="tesseract is not installed (.ci/run installs it; README: tests that may skip)",
)


@pytest.mark.slow
@needs_tesseract
def test_ocr_reads_a_scan_with_the_dutch_model(tmp_path):
    scan = _scan_of(_pdf(tmp_path / "text.pdf", SEED_LINES[:12]), tmp_path / "scan.pdf")
    corpus = runner.run(
        [scan], tmp_path / "out", report=False, progress=False, options=Options(ocr=True)
    )
    assert len(corpus.tables["errors"]) == 0
    text = (tmp_path / "out" / "text" / "scan.txt").read_text(encoding="utf-8")
    assert "Westelijke Balkan" in text and "leiders van de Europese Unie" in text
    assert any("OCR" in w for w in corpus.tables["documents"]["warnings"].iloc[0])


@pytest.mark.slow  # a few seconds: make test runs it, make test-fast does not
def test_max_pages_refuses_a_longer_pdf(tmp_path):
    pdf = canvas.Canvas(str(tmp_path / "long.pdf"), pagesize=A4)
    for n in range(5):
        pdf.drawString(72, 700, f"Pagina {n + 1}: de Raad neemt nota van het verslag.")
        pdf.showPage()
    pdf.save()
    corpus = runner.run(
        [tmp_path / "long.pdf"],
        tmp_path / "out",
        report=False,
        progress=False,
        options=Options(max_pages=3),
    )
    assert "5 pages, more than --max-pages 3" in corpus.tables["errors"]["message"].iloc[0]


@pytest.mark.slow
def test_a_document_over_the_time_limit_is_an_error_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt").write_text(
        "Korte verklaring\n\n1. De EU zal de steun versterken.\n", encoding="utf-8"
    )
    corpus = runner.run(
        [folder], tmp_path / "out", report=False, progress=False, options=Options(timeout=0.001)
    )
    assert set(corpus.tables["errors"]["doc_id"]) == {"a", "b"}
    assert all("--timeout" in m for m in corpus.tables["errors"]["message"])
    # a run limit is not a property of the document: the next run tries again
    again = runner.run([folder], tmp_path / "out", report=False, progress=False)
    assert len(again.tables["errors"]) == 0 and set(again.documents["doc_id"]) == {"a", "b"}
