"""Reading declarations: ``pipeline.extract.read(path) -> ExtractedText``.

The expected blocks never come from typed strings: they come from the seed's gold annotation
(tests/renderings.py ``expected_blocks``), and the PDF/DOCX/HTML files are rendered from the
same gold, the PDF renderer recording on which pages it drew every paragraph.
"""

from __future__ import annotations

import difflib
import re

import pytest
from renderings import BULLET, RUNNING_HEADER, expected_blocks, render_pdf

from pipeline.extract import read
from pipeline.extract.furniture import is_page_number
from pipeline.extract.hyphenation import dehyphenate, keep_hyphen
from pipeline.extract.markers import BULLET_GLYPHS, split_marker
from pipeline.extract.text import decode, read_text
from pipeline.extract.words import DocumentWords
from pipeline.layouts.evaluate import documents
from pipeline.types import ExtractedText, InputError


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def contents(extracted: ExtractedText) -> list[str]:
    return [squash(extracted.text[b.content_start : b.end]) for b in extracted.blocks]


def assert_valid_offsets(extracted: ExtractedText) -> None:
    text = extracted.text
    assert text == "\n".join(text[b.start : b.end] for b in extracted.blocks)
    for block in extracted.blocks:
        assert 0 <= block.start <= block.content_start <= block.end <= len(text)
        assert "\n" not in text[block.start : block.end]
        assert text[block.start : block.end] == text[block.start : block.end].strip()
        if block.marker and block.marker not in BULLET_GLYPHS:
            assert text[block.start : block.content_start] == block.marker + " "
        else:  # bullet glyphs are recorded, not printed
            assert block.content_start == block.start
        assert 1 <= block.page_start <= block.page_end <= extracted.n_pages
    covered = sorted((s, e) for s, e, _ in extracted.page_spans)
    assert covered[0][0] == 0 and covered[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(covered, covered[1:]))
    roles = [b.role for b in extracted.blocks]
    assert roles == sorted(roles, key=lambda r: r != "body"), "footnotes come after the body"


# --------------------------------------------------------------------------------------------
# The seed: a raw PDF text dump
# --------------------------------------------------------------------------------------------


def test_seed_text_gives_one_block_per_gold_segment(seed_path, seed_gold):
    extracted = read(seed_path)
    expected = expected_blocks(seed_gold)
    assert contents(extracted) == [squash(b.text) for b in expected]
    assert [b.marker for b in extracted.blocks] == [b.marker for b in expected]
    assert [b.role for b in extracted.blocks] == [b.role for b in expected]
    assert_valid_offsets(extracted)


def test_seed_markers_stay_bullets_and_footnote_marks_go(seed_path):
    extracted = read(seed_path)
    first_point = next(b for b in extracted.blocks if b.marker == "1.")
    assert extracted.text[first_point.start : first_point.end].startswith("1. De EU")
    assert BULLET not in extracted.text
    assert "Kosovo*" not in extracted.text and "Kosovo Specialist Chambers" in extracted.text
    note = extracted.blocks[-1]
    assert (note.role, note.footnote_mark) == ("footnote", "*")
    assert extracted.text[note.start : note.end].startswith("Deze benaming")
    assert (
        extracted.source_sha256 == __import__("hashlib").sha256(seed_path.read_bytes()).hexdigest()
    )


def test_seed_annex_title_is_two_blocks_and_wrapped_heading_one(seed_path):
    texts = contents(read(seed_path))
    i = texts.index("Bijlage bij de verklaring")
    assert texts[i + 1] == "Prioriteitenagenda van Sofia"
    assert any(t.endswith("bijzondere aandacht schenken aan jongeren") for t in texts)


@pytest.mark.parametrize(
    "word",
    [
        "versterken",
        "vasthouden",
        "samenwerking",
        "lidstaten",
        "bovenstaande",
        "overeenstemming",
        "energiezekerheid",
        "sociaal-economische",
        "energie-efficiëntie",
        "EU-Westelijke",
        "Grens- en kustwachtagentschap",
    ],
)
def test_seed_words_broken_across_lines_are_rejoined_right(seed_path, word):
    assert word in read(seed_path).text


def test_layout_variants_of_the_seed_give_the_same_blocks(seed_path):
    """Blank lines everywhere, nowhere, or pages with a running header and page numbers."""
    lines = seed_path.read_text(encoding="utf-8").split("\n")
    reference = contents(read(seed_path))
    no_blanks = "\n".join(ln for ln in lines if ln.strip() or ln.startswith("   "))
    all_blanks = no_blanks.replace("\n", "\n\n")
    assert contents(read_text(no_blanks)) == reference
    assert contents(read_text(all_blanks)) == reference

    pages, page = [], []
    for line in lines:  # break the dump into pages every 45 lines, wherever that falls
        page.append(line)
        if len(page) == 45:
            pages.append(page)
            page = []
    pages.append(page)
    paged = "\f".join(
        "Verklaring van Sofia\n\n" + "\n".join(p) + f"\n\n- {n} -\n"
        for n, p in enumerate(pages, start=1)
    )
    extracted = read_text(paged)
    assert contents(extracted) == reference
    assert extracted.n_pages == len(pages)
    assert [b.page_start for b in extracted.blocks if b.role == "body"] == sorted(
        b.page_start for b in extracted.blocks if b.role == "body"
    )
    assert any(b.page_end > b.page_start for b in extracted.blocks), "a break falls inside a block"
    assert_valid_offsets(extracted)


def test_unwrapped_text_is_one_block_per_line(seed_gold):
    from pipeline.gold import render_text

    text = render_text(seed_gold)  # one paragraph per line, blank lines between
    extracted = read_text(text.replace("\n\n", "\n"))
    assert contents(extracted) == [squash(b.text) for b in expected_blocks(seed_gold)]


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, warns",
    [
        ("utf-8", False),
        ("utf-8-sig", False),
        ("cp1252", True),
        ("latin-1", True),
        ("utf-16", False),
        ("utf-16-le", True),
        ("utf-16-be", True),
    ],
)
def test_encodings_are_detected(tmp_path, seed_path, encoding, warns):
    # latin-1 has no "–" and "•": keep the characters it can encode
    text = seed_path.read_text(encoding="utf-8")
    text = text.encode(encoding, errors="ignore").decode(encoding)
    path = tmp_path / f"sofia-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    extracted = read(path)
    assert "Kroatië" in extracted.text and "geïntegreerd" in extracted.text
    assert contents(extracted) == contents(read_text(text.lstrip("\ufeff")))
    assert bool(extracted.warnings) == warns


def test_decode_reports_what_it_guessed():
    text, warnings = decode("Kroatië en Servië".encode("cp1252"))
    assert text == "Kroatië en Servië" and warnings == ["decoded as cp1252"]


# --------------------------------------------------------------------------------------------
# De-hyphenation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("ver", "sterken", "versterken"),
        ("vast", "houden", "vasthouden"),
        ("samen", "werking", "samenwerking"),
        ("lid", "staten", "lidstaten"),
        ("boven", "staande", "bovenstaande"),
        ("overeen", "stemming", "overeenstemming"),
        ("energie", "zekerheid", "energiezekerheid"),  # unknown to wordfreq, still one word
        ("energie", "efficiëntie", "energie-efficiëntie"),  # vowel clash: the hyphen is real
        ("EU", "Westelijke", "EU-Westelijke"),  # capital after the hyphen
        ("Zuidoost", "Europa", "Zuidoost-Europa"),
        ("TEN-V", "dagen", "TEN-V-dagen"),  # acronym before the hyphen
        ("COVID", "19", "COVID-19"),  # digit after it
        ("geco", "ördineerd", "gecoördineerd"),
        ("co", "ordineren", "coördineren"),  # trema dropped at the break comes back
    ],
)
def test_dehyphenation_rules(left, right, expected):
    keep, right = dehyphenate(left, right)
    assert left + ("-" if keep else "") + right == expected


def test_document_evidence_decides_first():
    lines = ["tot de sociaal-economische ontwikkeling", "een regionale samenwerking voor de regio"]
    words = DocumentWords.from_lines(lines)
    assert keep_hyphen("sociaal", "economische", words)  # wordfreq alone would join it
    assert not keep_hyphen("samen", "werking", words)


def test_elided_compound_part_keeps_hyphen_and_space():
    extracted = read_text(
        "• Het Europees Grens-\nen kustwachtagentschap versterken in de hele regio van de EU\n"
        "• De samenwerking op het gebied van veiligheid verder verdiepen"
    )
    assert "Grens- en kustwachtagentschap" in extracted.text


# --------------------------------------------------------------------------------------------
# PDF, DOCX, HTML renderings of the gold
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pdf", "pdf-2col", "docx", "html"])
def test_renderings_give_the_gold_blocks(rendered, name):
    rendering = rendered[name]
    extracted = read(rendering.path)
    assert contents(extracted) == [squash(b.text) for b in rendering.blocks]
    assert [b.marker for b in extracted.blocks] == [b.marker for b in rendering.blocks]
    assert [b.role for b in extracted.blocks] == [b.role for b in rendering.blocks]
    assert [b.footnote_mark for b in extracted.blocks] == [
        b.footnote_mark for b in rendering.blocks
    ]
    assert_valid_offsets(extracted)


@pytest.mark.parametrize("name", ["pdf", "pdf-2col"])
def test_pdf_pages_of_every_block(rendered, name):
    rendering = rendered[name]
    extracted = read(rendering.path)
    assert extracted.n_pages == rendering.n_pages > 3
    got = [(b.page_start, b.page_end) for b in extracted.blocks]
    assert got == [(b.page_start, b.page_end) for b in rendering.blocks]
    for block in extracted.blocks:
        assert extracted.pages_of(block.start, block.end) == (block.page_start, block.page_end)
    note = extracted.blocks[-1]
    assert note.role == "footnote" and note.page_start == rendering.blocks[-1].page_start


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pdf", "pdf-2col"])
def test_pdf_text_agrees_with_gold_character_by_character(rendered, name):
    rendering = rendered[name]
    extracted = read(rendering.path)
    ratio = difflib.SequenceMatcher(None, rendering.text, extracted.text, autojunk=False).ratio()
    print(f"{name}: character agreement with the gold text {ratio:.5f}")
    assert ratio >= 0.995


def test_pdf_page_furniture_is_removed(rendered):
    extracted = read(rendered["pdf"].path)
    assert RUNNING_HEADER not in extracted.text
    assert not any(is_page_number(line) for line in extracted.text.split("\n"))
    assert extracted.title_hint == "Verklaring"


@pytest.mark.parametrize(
    "options", [{"font_size": 12, "columns": 2}, {"paragraph_spacing": 0}, {"font_size": 9}]
)
def test_pdf_layout_variants(seed_gold, tmp_path, options):
    """Other font sizes, no space between paragraphs, two columns with a short last column."""
    rendering = render_pdf(seed_gold, tmp_path / "variant.pdf", **options)
    extracted = read(rendering.path)
    assert contents(extracted) == [squash(b.text) for b in rendering.blocks]
    assert [(b.page_start, b.page_end) for b in extracted.blocks] == [
        (b.page_start, b.page_end) for b in rendering.blocks
    ]


def test_html_leaves_the_web_page_out(rendered):
    extracted = read(rendered["html"].path)
    for noise in ("cookies", "Home", "Privacy", "Gerelateerde inhoud", "analytics", "Wetstraat"):
        assert noise not in extracted.text
    assert extracted.title_hint.startswith("Verklaring van Sofia")


# --------------------------------------------------------------------------------------------
# Bad input: one clear line
# --------------------------------------------------------------------------------------------


def _bad_files(folder, rendered):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = rendered["pdf"].path.read_bytes()
    files = {
        "empty file": ("empty.txt", b""),
        "empty file (only whitespace)": ("blank.txt", b" \n\n\t\n"),
        "binary file, not text": ("binary.txt", bytes(range(256)) * 8),
        "not a PDF": ("text.pdf", b"Dit is geen PDF."),
        "truncated PDF": ("truncated.pdf", pdf[: len(pdf) // 2]),
        "unsupported file type": ("sofia.odt", b"PK\x03\x04"),
        "not a DOCX": ("fake.docx", b"plain text"),
        "file not found": ("missing.txt", None),
    }
    for _reason, (name, data) in files.items():
        if data is not None:
            (folder / name).write_bytes(data)
    secret = canvas.Canvas(str(folder / "encrypted.pdf"), pagesize=A4, encrypt="geheim")
    secret.drawString(72, 780, "Verklaring van Sofia")
    secret.save()
    scan = canvas.Canvas(str(folder / "scan.pdf"), pagesize=A4)
    scan.rect(72, 700, 400, 80, fill=1)
    scan.save()
    files["encrypted PDF"] = ("encrypted.pdf", None)
    files["no text layer; needs OCR (--ocr)"] = ("scan.pdf", None)
    return {reason: folder / name for reason, (name, _) in files.items()}


def test_bad_inputs_raise_input_error_with_one_line_reason(tmp_path, rendered):
    for reason, path in _bad_files(tmp_path, rendered).items():
        with pytest.raises(InputError) as caught:
            read(path)
        error = caught.value
        assert error.stage == "extract" and error.path == str(path)
        assert reason in error.reason, (path.name, error.reason)
        assert "\n" not in str(error)


def test_encrypted_pdf_opens_with_its_password(tmp_path, rendered):
    path = _bad_files(tmp_path, rendered)["encrypted PDF"]
    assert "Verklaring van Sofia" in read(path, password="geheim").text
    with pytest.raises(InputError, match="wrong password"):
        read(path, password="fout")


# --------------------------------------------------------------------------------------------
# Markers, and PDFs built by hand for the cases the renderings do not cover
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, marker, kind",
    [
        ("1. De EU", "1.", "number"),
        ("12) De EU", "12)", "number"),
        ("(3) De EU", "(3)", "number"),
        ("a) de EU", "a)", "letter"),
        ("(b) de EU", "(b)", "letter"),
        ("(iv) de EU", "(iv)", "roman"),
        ("IV. Uitbreiding", "IV.", "roman"),
        ("• De steun", "•", "bullet"),
        ("– De steun", "–", "bullet"),
        ("o Een item", "o", "bullet"),
        ("2018 is een jaar", None, None),
        ("A. Merkel sprak", None, None),
        ("o zo mooi", None, None),
    ],
)
def test_split_marker(line, marker, kind):
    assert split_marker(line)[:2] == (marker, kind)


def test_a_dash_that_starts_a_wrapped_line_is_no_bullet():
    text = (
        "4. De EU juicht toe dat de partners van de Westelijke Balkan gehecht zijn aan\n"
        "het primaat van de democratie en de rechtsstaat, aan de eerbiediging van de\n"
        "mensenrechten en de rechten van personen die tot minderheden behoren, en de rechtsstaat\n"
        "– met name de strijd tegen corruptie en georganiseerde criminaliteit –, en goed\n"
        "bestuur.\n"
        "5. De EU steunt de toezegging van de partners van de regio.\n"
    )
    extracted = read_text(text)
    assert [b.marker for b in extracted.blocks] == ["4.", "5."]
    assert "rechtsstaat – met name" in extracted.text


def _hand_made_pdf(path, body: list[str], note: str | None, page_number: str | None):
    """One A4 page: body lines at 11 pt, a superscript "1" after "lidstaten", a note at 8 pt at
    the foot without a rule, an optional page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 760
    for line in body:
        pdf.setFont("Helvetica", 11)
        if "lidstaten" in line:
            head, tail = line.split("lidstaten", 1)
            pdf.drawString(72, y, head + "lidstaten")
            x = 72 + pdf.stringWidth(head + "lidstaten", "Helvetica", 11)
            pdf.setFont("Helvetica", 7)
            pdf.drawString(x, y + 4, "1")
            pdf.setFont("Helvetica", 11)
            pdf.drawString(x + pdf.stringWidth("1", "Helvetica", 7), y, tail)
        else:
            pdf.drawString(72, y, line)
        y -= 15
    if note:
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, 90, note)
    if page_number:
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(297, 40, page_number)
    pdf.save()
    return path


def test_pdf_superscript_number_note_and_lone_page_number(tmp_path):
    body = [
        "Verklaring van de top",
        "1. De EU bevestigt haar steun aan de lidstaten en de partners.",
        "2. De Raad verwelkomt het verslag van de Commissie.",
    ]
    path = _hand_made_pdf(
        tmp_path / "note.pdf", body, "1 Zie de conclusies van de Raad van 2017.", "1"
    )
    extracted = read(path)
    assert contents(extracted) == [
        "Verklaring van de top",
        "De EU bevestigt haar steun aan de lidstaten en de partners.",
        "De Raad verwelkomt het verslag van de Commissie.",
        "Zie de conclusies van de Raad van 2017.",
    ]
    note = extracted.blocks[-1]
    assert (note.role, note.footnote_mark, note.page_start) == ("footnote", "1", 1)
    assert_valid_offsets(extracted)


def test_pdf_superscript_without_its_note_is_removed_with_a_warning(tmp_path):
    body = ["1. De EU bevestigt haar steun aan de lidstaten en de partners in de hele regio."]
    extracted = read(_hand_made_pdf(tmp_path / "no-note.pdf", body, None, None))
    assert contents(extracted) == [
        "De EU bevestigt haar steun aan de lidstaten en de partners in de hele regio."
    ]
    assert extracted.warnings == ["superscript note mark(s) without a note: 1"]


def test_html_lists_line_breaks_and_linked_notes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>Conclusies</title></head><body><nav><a href="/">Home</a></nav><main>'
        "<h1>Conclusies</h1><p>Bijlage bij de verklaring<br>Prioriteitenagenda</p>"
        '<ol start="3"><li><p>De Raad steunt de partners.</p></li><li>De Raad verwelkomt dit'
        "<ul><li>onderdeel een</li></ul></li></ol>"
        '<ol type="a"><li>eerste</li><li>tweede</li></ol>'
        '<p>De EU zal de samenwerking versterken<sup><a href="#fn1" id="r1">1</a></sup>.</p>'
        '<section class="footnotes"><ol><li id="fn1">Zie de conclusies van 2017. '
        '<a href="#r1">↩</a></li></ol></section></main><footer>Contact</footer></body></html>',
        encoding="utf-8",
    )
    extracted = read(page)
    assert [(b.marker, extracted.text[b.start : b.end]) for b in extracted.blocks] == [
        (None, "Conclusies"),
        (None, "Bijlage bij de verklaring"),
        (None, "Prioriteitenagenda"),
        ("3.", "3. De Raad steunt de partners."),
        ("4.", "4. De Raad verwelkomt dit"),
        ("•", "onderdeel een"),
        ("a)", "a) eerste"),
        ("b)", "b) tweede"),
        (None, "De EU zal de samenwerking versterken."),
        (None, "Zie de conclusies van 2017."),
    ]
    assert (extracted.blocks[-1].role, extracted.blocks[-1].footnote_mark) == ("footnote", "1")
    assert extracted.title_hint == "Conclusies"


def _add_word_footnote(path, anchor: str, note: str) -> None:
    """Give a python-docx file a real Word footnote after ``anchor`` (python-docx cannot)."""
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {w}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}'
        "</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    ref = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    body = parts["word/document.xml"].decode("utf-8")
    at = body.index(anchor) + len(anchor)
    at = body.index("</w:r>", at) + len("</w:r>")
    parts["word/document.xml"] = (body[:at] + ref + body[at:]).encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        (
            '<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
        ),
    ).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        (
            '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.footnotes+xml"/></Types>'
        ),
    ).encode("utf-8")
    parts["word/footnotes.xml"] = notes.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_docx_numbering_and_word_footnotes(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Verklaring", style="Title")
    document.add_paragraph("De Raad is ingenomen met de vooruitgang", style="List Number")
    document.add_paragraph("De Raad steunt de partners", style="List Number")
    document.add_paragraph("Een actiepunt", style="List Bullet")
    path = tmp_path / "notes.docx"
    document.save(str(path))
    _add_word_footnote(path, "vooruitgang", "Zie de conclusies van 2017.")
    extracted = read(path)
    assert [(b.marker, b.role, extracted.text[b.start : b.end]) for b in extracted.blocks] == [
        (None, "body", "Verklaring"),
        ("1.", "body", "1. De Raad is ingenomen met de vooruitgang"),
        ("2.", "body", "2. De Raad steunt de partners"),
        ("•", "body", "Een actiepunt"),
        (None, "footnote", "Zie de conclusies van 2017."),
    ]
    assert extracted.blocks[-1].footnote_mark == "1"


# --------------------------------------------------------------------------------------------
# Declarations the readers were not tuned on: the team-written annotated documents
# --------------------------------------------------------------------------------------------

# finished documents: a gold file with its text beside it; never the blind held-out ones,
# which are scored once, at the end (python -m pipeline.layouts --docs blind)
ANNOTATED = [
    p
    for p in documents("train") + documents("heldout")
    if p.parent.name == "annotated" and p.with_name(p.name.replace(".gold.json", ".txt")).exists()
]


@pytest.mark.slow
@pytest.mark.skipif(not ANNOTATED, reason="no team-written annotated documents")
@pytest.mark.parametrize("columns", [1, 2])
def test_pdf_renderings_of_other_declarations(tmp_path, columns):
    """Every annotated declaration as a PDF: the same blocks (markers, roles, pages) and the
    clean text character for character, up to the few real hyphens that fall at a line end in
    words no lexicon knows ("non-refoulement")."""
    from pipeline.gold import load_gold

    for gold_path in ANNOTATED:
        rendering = render_pdf(
            load_gold(gold_path), tmp_path / f"{gold_path.stem}.pdf", columns=columns
        )
        extracted = read(rendering.path)
        assert [(b.marker, b.role, b.page_start, b.page_end) for b in extracted.blocks] == [
            (b.marker, b.role, b.page_start, b.page_end) for b in rendering.blocks
        ], gold_path.name
        ratio = difflib.SequenceMatcher(
            None, rendering.text, extracted.text, autojunk=False
        ).ratio()
        assert ratio >= 0.999, (gold_path.name, ratio)
