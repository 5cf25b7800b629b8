"""Segmentation: blocks of clean text -> segments and sentences with stable ids."""

import textwrap
from pathlib import Path

import pytest

from pipeline.extract import read
from pipeline.extract.text import read_text
from pipeline.gold import load_gold
from pipeline.layouts.evaluate import documents
from pipeline.nlp import blank_nlp
from pipeline.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"
from pipeline.gold import SEED_GOLD  # noqa: E402


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


@pytest.fixture(scope="module")
def seed_doc(nlp):
    return segment(read(SEED), nlp, "sofia-2018-nl")


@pytest.fixture(scope="module")
def gold():
    return load_gold(SEED_GOLD)


def test_seed_segments_match_the_gold_structure(seed_doc, gold):
    predicted = [
        (s._.segment_id, s._.kind, s._.number, s._.heading_id, squash(s.text))
        for s in seed_doc.spans["segments"]
    ]
    expected = [(g.id, g.kind, g.number, g.heading, squash(g.text)) for g in gold.segments]
    assert predicted == expected
    kinds = [s._.kind for s in seed_doc.spans["segments"]]
    assert (kinds.count("point"), kinds.count("heading"), kinds.count("bullet")) == (17, 6, 38)
    assert kinds.count("annex_title") == kinds.count("closing") == kinds.count("footnote") == 1


def test_seed_sentences_match_the_gold_sentences(seed_doc, gold):
    predicted = [(s._.sentence_id, squash(s.text)) for s in seed_doc.spans["sentences"]]
    expected = [
        (f"{seg.id}.s{i}", squash(sent.text))
        for seg in gold.segments
        for i, sent in enumerate(seg.sentences, start=1)
    ]
    assert predicted == expected
    # doc.sents agrees with the sentence spans, up to a point's number and trailing newlines
    sents = list(seed_doc.sents)
    assert len(sents) == len(seed_doc.spans["sentences"])
    for sent, span in zip(sents, seed_doc.spans["sentences"]):
        assert sent.start <= span.start and sent.text.strip().endswith(span.text)


def test_offsets_cut_every_segment_and_sentence_out_of_the_clean_text(seed_doc):
    text = seed_doc.text
    for span in list(seed_doc.spans["segments"]) + list(seed_doc.spans["sentences"]):
        assert text[span.start_char : span.end_char] == span.text


def test_dutch_abbreviations_and_years_at_the_end_of_a_sentence(nlp):
    doc = segment(
        read_text(
            "Conclusies van de Raad\n\n"
            "1. De Raad verwijst o.a. naar art. 49 VEU, d.w.z. de toetredingsbepaling, resp. "
            "de criteria van blz. 4 enz. De top vond plaats in 2003. Daarna volgde nr. 2 m.b.t. "
            "de regio vs. de Unie.\n"
        ),
        nlp,
        "abbrev",
    )
    sentences = [s.text for s in doc.spans["sentences"] if s._.segment_id == "p1"]
    assert sentences == [
        "De Raad verwijst o.a. naar art. 49 VEU, d.w.z. de toetredingsbepaling, resp. de "
        "criteria van blz. 4 enz.",
        "De top vond plaats in 2003.",
        "Daarna volgde nr. 2 m.b.t. de regio vs. de Unie.",
    ]


def test_numbered_points_headings_and_lettered_lists(nlp):
    doc = segment(
        read_text(
            "Conclusies van de Raad over uitbreiding\n\n"
            "I. Uitbreiding\n\n"
            "1) De Raad neemt nota van het verslag.\n\n"
            "2) De Raad verzoekt de Commissie:\n\n"
            "a) een routekaart op te stellen;\n\n"
            "b) verslag uit te brengen.\n\n"
            "II. Rechtsstaat\n\n"
            "(3) De Raad herhaalt zijn steun.\n"
        ),
        nlp,
        "lists",
    )
    rows = [(s._.segment_id, s._.kind, s._.number, s._.heading_id) for s in doc.spans["segments"]]
    assert rows == [
        ("title", "title", None, None),
        ("h1", "heading", "I", None),
        ("p1", "point", "1", "h1"),
        ("p2", "point", "2", "h1"),
        ("p2.b1", "bullet", "a", "h1"),
        ("p2.b2", "bullet", "b", "h1"),
        ("h2", "heading", "II", None),
        ("p3", "point", "3", "h2"),
    ]


@pytest.mark.parametrize(
    "gold_path",
    # the blind held-out documents are scored once, at the end, by python -m pipeline.layouts
    documents("train") + documents("heldout"),
    ids=lambda p: p.name.split(".")[0],
)
def test_every_annotated_document_segments_into_its_gold_structure(nlp, gold_path):
    gold = load_gold(gold_path)
    source = gold_path.with_name(f"{gold.doc_id}.txt")
    doc = segment(read(source if source.exists() else SEED), nlp, gold.doc_id)
    assert [
        (s._.segment_id, s._.kind, s._.heading_id, squash(s.text)) for s in doc.spans["segments"]
    ] == [(g.id, g.kind, g.heading, squash(g.text)) for g in gold.segments]
    assert [squash(s.text) for s in doc.spans["sentences"]] == [
        squash(s.text) for g in gold.segments for s in g.sentences
    ]


def test_bullets_without_full_stop_are_one_sentence_each(seed_doc):
    bullets = [s for s in seed_doc.spans["segments"] if s._.kind == "bullet"]
    sentences_per_bullet = {
        b._.segment_id: sum(
            1 for s in seed_doc.spans["sentences"] if s._.segment_id == b._.segment_id
        )
        for b in bullets
    }
    assert set(sentences_per_bullet.values()) == {1}


def test_text_without_structure_still_yields_segments_and_sentences(nlp):
    doc = segment(read_text("Een korte notitie zonder nummers. Nog een zin.\n"), nlp, "plain")
    assert len(doc.spans["sentences"]) >= 2
    assert all(s._.segment_id for s in doc.spans["sentences"])


def test_segment_ids_are_unique_even_when_a_kind_comes_again(tmp_path):
    # unnumbered text before and after a heading in a text without numbered points: the
    # segment id is the tables' key, so the second stretch is numbered on, never repeated
    from pipeline.extract import read
    from pipeline.segment import structure

    text = (
        "Verklaring van de leiders\n\n"
        "Wij, de leiders, zijn vandaag bijeengekomen.\n\n"
        "Handel\n\n"
        "• Wij zullen de handel bevorderen.\n\n"
        "Wij danken het gastland voor de gastvrijheid.\n"
    )
    (tmp_path / "leiders.txt").write_text(text, encoding="utf-8")
    ids = [seg.segment_id for seg in structure(read(tmp_path / "leiders.txt"))]
    assert len(ids) == len(set(ids)), ids


# --------------------------------------------------------------------------------------------
# Layouts of the seen (earlier rounds' blind) documents, rebuilt in a few lines
# --------------------------------------------------------------------------------------------


def rows(doc) -> list[tuple[str, str | None, str]]:
    return [(s._.segment_id, s._.heading_id, squash(s.text)[:30]) for s in doc.spans["segments"]]


def test_unnumbered_paragraphs_under_plain_headings_are_paragraphs_of_their_heading(nlp):
    # a communiqué without numbered points: plain headings, each over paragraphs (and a list)
    text = (
        "Communiqué van de leiders, Kyoto, 12 juni 2027\n\n"
        "Wij, de leiders, zijn in Kyoto bijeengekomen en verklaren het volgende:\n\n"
        "Oekraïne\n\n"
        "Wij veroordelen de aanvalsoorlog. Wij zullen onze steun voortzetten.\n\n"
        "Wereldeconomie\n\n"
        "Daartoe lanceren wij een initiatief, waarmee wij:\n\n"
        "• partnerschappen voor grondstoffen sluiten;\n\n"
        "• de uitwisseling van informatie verbeteren.\n\n"
        "Wij roepen alle partners op de afspraken na te leven.\n"
    )
    assert rows(segment(read_text(text), nlp, "g7")) == [
        ("title", None, "Communiqué van de leiders, Kyo"),
        ("preamble", None, "Wij, de leiders, zijn in Kyoto"),
        ("h1", None, "Oekraïne"),
        ("par1", "h1", "Wij veroordelen de aanvalsoorl"),
        ("h2", None, "Wereldeconomie"),
        ("par2", "h2", "Daartoe lanceren wij een initi"),
        ("h2.b1", "h2", "partnerschappen voor grondstof"),
        ("h2.b2", "h2", "de uitwisseling van informatie"),
        ("par3", "h2", "Wij roepen alle partners op de"),
    ]


def test_a_web_page_keeps_its_title_and_notes_beside_a_body_of_br_paragraphs(nlp, tmp_path):
    # the page's <h1>, a posting stamp, then one <div> of <br><br> paragraphs and the notes in
    # a <div> of their own: the body <div> holds nearly all the text, but not the title
    page = tmp_path / "benelux.html"
    page.write_text(
        "<html><body><div id='main'><h1>Verklaring van Luxemburg, 6 november 2028</h1>"
        "<div class='submitted'>Geplaatst op 6 november 2028 – 17:45 door het secretariaat</div>"
        "<div class='body'>"
        + "Wij zijn bijeengekomen in Luxemburg voor de top. " * 8
        + "<br><br>"
        + "De Noordzee moet de grootste bron van energie worden. " * 8
        + "<sup id='r1'><a href='#fn-1'>1</a></sup><br><br>Wij danken het voorzitterschap.</div>"
        "<div class='footnotes'><ol><li id='fn-1'>Kaderovereenkomst over telewerk. "
        "<a href='#r1'>↩</a></li></ol></div></div></body></html>",
        encoding="utf-8",
    )
    assert [r[0] for r in rows(segment(read(page), nlp, "benelux"))] == [
        "title",
        "par1",
        "par2",
        "par3",
        "fn1",
    ]
    assert rows(segment(read(page), nlp, "benelux"))[0][2] == "Verklaring van Luxemburg, 6 no"


def test_a_name_going_on_over_a_full_line_does_not_end_the_point(nlp):
    # "Kinderen" is written in lower case elsewhere, but it would not have fitted on the line
    text = (
        "Gezamenlijke verklaring van de top\n\n"
        "Wij zijn vandaag bijeengekomen en verklaren het volgende:\n\n"
        "1. Wij komen overeen de volgende top in 2029 te houden, in Brussel bij de Raad.\n\n"
        "2. Wij steunen Oekraïne. De Coalitie voor de Terugkeer van de Oekraïense\n"
        "Kinderen, waarvan Canada covoorzitter is, heeft sinds 2023 veel kinderen met hun\n"
        "families herenigd.\n\n"
        "Wij danken de gastheren voor hun gastvrijheid.\n"
    )
    segs = rows(segment(read_text(text), nlp, "ottawa"))
    assert [r[0] for r in segs] == ["title", "preamble", "p1", "p2", "closing1"]
    assert segs[-1][2] == "Wij danken de gastheren voor h"


ACTORS = [
    "De Raad",
    "De Commissie",
    "De lidstaten",
    "Het voorzitterschap",
    "De Unie",
    "De partners in de regio",
    "Het Europees Parlement",
    "De Hoge Vertegenwoordiger",
    "De Europese Rekenkamer",
]


def points(numbers) -> str:
    """Numbered points wrapped at 78 characters, no two lines alike (a line repeated a page
    apart is furniture)."""
    return "".join(
        textwrap.fill(
            f"{n}. {ACTORS[n - 1]} zal de uitvoering van deze conclusies over de kritieke "
            f"grondstoffen voor het jaar {2020 + n} volgen en daarover verslag uitbrengen.",
            78,
        )
        + "\n"
        for n in numbers
    )


def test_a_page_number_between_dashes_on_a_short_last_page_is_furniture(nlp):
    # "- 3 -" stands only a few lines after "- 2 -": the dashes say it numbers a page
    pages = ["Conclusies van de Raad\n" + points(range(1, 5)), points(range(5, 9)), points([9])]
    text = "".join(page + f"{' ' * 30}- {k} -\n" for k, page in enumerate(pages, start=1))
    segs = rows(segment(read_text(text), nlp, "raw"))
    assert [r[0] for r in segs] == ["title"] + [f"p{n}" for n in range(1, 10)]
    assert not any("- 3 -" in r[2] for r in segs)


def test_a_year_range_broken_after_its_dash_is_joined_without_a_space(nlp):
    text = (
        "Verklaring van Budva\n\n"
        "Wij zijn bijeengekomen en verklaren het volgende:\n\n"
        + points([1, 2])
        + "3. Wij zullen het Regionaal Bureau voor Jongerensamenwerking voor de periode 2028-\n"
        "2034 meerjarig financieren en de uitwisseling van jongeren uit de regio steunen.\n"
    )
    doc = segment(read_text(text), nlp, "budva")
    assert "periode 2028-2034 meerjarig" in squash(doc.spans["segments"][-1].text)


def test_word_o_bullets_before_lower_case_items_are_bullets(nlp):
    # a list that goes on a sentence ("waarmee wij:") with Word's "o" glyph
    text = (
        "Verklaring van de top\n\n"
        "Wij zijn bijeengekomen en verklaren het volgende:\n\n"
        "1. Wij lanceren een initiatief voor veerkrachtige toeleveringsketens, waarmee wij:\n\n"
        "o partnerschappen voor kritieke grondstoffen sluiten;\n\n"
        "o een dialoog over de traceerbaarheid van grondstoffen opzetten;\n\n"
        "o de uitwisseling van informatie verbeteren.\n\n"
        "2. Wij zullen in 2028 de voortgang beoordelen.\n"
    )
    assert [r[0] for r in rows(segment(read_text(text), nlp, "o"))] == [
        "title",
        "preamble",
        "p1",
        "p1.b1",
        "p1.b2",
        "p1.b3",
        "p2",
    ]


def test_a_running_header_equal_to_the_title_on_later_pages_leaves_the_title(nlp):
    # printed at the top of every later page, not above the title on the first
    title = "Communiqué van de leiders, Kyoto, 12 juni 2027"
    pages = [
        title + "\nWij, de leiders, verklaren het volgende:\n" + points(range(1, 4)),
        title + "\n" + points(range(4, 7)),
        title + "\n" + points(range(7, 10)),
    ]
    text = "".join(page + f"{k}\n\f" for k, page in enumerate(pages, start=1))
    segs = rows(segment(read_text(text), nlp, "kyoto"))
    assert segs[0] == ("title", None, title[:30])
    assert [r[0] for r in segs[1:]] == ["preamble"] + [f"p{n}" for n in range(1, 10)]


def test_a_footnote_cut_off_at_a_page_foot_goes_on_at_the_next_ones(nlp):
    # the note's first lines under the rule on page 1, its rest at the foot of page 2
    page1 = (
        "Verklaring van Luxemburg\n"
        "Wij zijn bijeengekomen en verklaren het volgende:\n"
        + points(range(1, 4)).replace("verslag uitbrengen.", "verslag uitbrengen.1", 1)
        + "\n____________________\n1 Kaderovereenkomst over de toepassing van artikel 16\n\n1\n"
    )
    page2 = (
        points(range(4, 7))
        + "\n(EG) nr. 883/2004 bij gewoonlijk grensoverschrijdend telewerk.\n\n2\n"
    )
    segs = rows(segment(read_text(page1 + "\f" + page2), nlp, "lux"))
    assert [r[0] for r in segs] == ["title", "preamble"] + [f"p{n}" for n in range(1, 7)] + ["fn1"]
    doc = segment(read_text(page1 + "\f" + page2), nlp, "lux")
    note = doc.spans["segments"][-1]
    assert squash(note.text).endswith(
        "artikel 16 (EG) nr. 883/2004 bij gewoonlijk grensoverschrijdend telewerk."
    )


def test_a_title_broken_after_its_spaced_dash_stays_one_title(nlp):
    # EUCO conclusions set in large type: "... (24 en 25 juni 2027) –" / "Conclusies"
    text = (
        "Bijeenkomst van de Europese Raad (24 en 25 juni 2027) –\n"
        "Conclusies\n\n"
        "I. OEKRAÏNE\n\n" + points(range(1, 4))
    )
    segs = rows(segment(read_text(text), nlp, "euco"))
    assert segs[0][0] == "title"
    doc = segment(read_text(text), nlp, "euco")
    assert squash(doc.spans["segments"][0].text).endswith("2027) – Conclusies")
    assert [r[0] for r in segs[1:]] == ["h1"] + [f"p{n}" for n in range(1, 4)]


def test_a_compound_broken_at_its_own_hyphen_across_a_page_break_keeps_it(nlp):
    # "sociaal-" at the foot of page 1, "economische" after the page number: the lexicon
    # writes "sociaal-economisch" with its hyphen, though wordfreq knows it joined too
    page1 = (
        "Conclusies van de Raad over kritieke grondstoffen\n\n"
        + points(range(1, 4))
        + "4. De Raad "
        "benadrukt dat hoge normen een voorwaarde zijn voor de sociaal-\n\n1\n"
    )
    page2 = "economische ontwikkeling van mijnbouwregio's.\n" + points(range(5, 8)) + "\n2\n"
    doc = segment(read_text(page1 + "\f" + page2), nlp, "raw")
    point = next(s for s in doc.spans["segments"] if s._.segment_id == "p4")
    assert "voor de sociaal-economische ontwikkeling" in squash(point.text)


def test_paragraphs_under_headings_are_reported_as_what_the_segmenter_made(nlp):
    # a communiqué without numbered points but with headings and a list says what it found,
    # not that it fell back to paragraphs only
    text = (
        "Communiqué van de leiders, Kyoto, 12 juni 2027\n\n"
        "Wij, de leiders, zijn in Kyoto bijeengekomen en verklaren het volgende:\n\n"
        "Oekraïne\n\n"
        "Wij veroordelen de aanhoudende agressie en blijven Oekraïne steunen zolang dat nodig is.\n\n"
        "Klimaat\n\n"
        "Wij zullen de uitstoot van broeikasgassen in deze tien jaar snel en diep verminderen.\n\n"
        "Wij zetten ons in voor een rechtvaardige energietransitie in alle partnerlanden.\n"
    )
    doc = segment(read_text(text), nlp, "kyoto")
    kinds = [s._.kind for s in doc.spans["segments"]]
    assert kinds.count("heading") == 2 and kinds.count("paragraph") == 3
    assert doc._.warnings == [
        "no numbered points found: segmented into 2 headings and 3 unnumbered paragraphs"
    ]
    plain = segment(read_text("Een titel\n\nEen alinea.\n\nNog een alinea.\n"), nlp, "plain")
    assert plain._.warnings == [
        "no numbered points, headings or lists found: segmented into paragraphs and "
        "sentences only (2 paragraphs)"
    ]


def test_a_pdf_header_repeating_a_two_line_title_on_its_one_later_page_is_furniture(nlp, tmp_path):
    # two pages: the title in large type over two lines ("... 6 november" / "2028"), the
    # same title as a small running header on page 2 only
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    title = "Verklaring van Luxemburg van de Beneluxtop, 6 november 2028"
    body = [points([n]).splitlines() for n in range(1, 7)]
    path = tmp_path / "lux.pdf"
    pdf, (_, height) = Canvas(str(path), pagesize=A4), A4
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(70, height - 60, title[:-5])
    pdf.drawString(70, height - 80, "2028")
    for page, paragraphs in enumerate((body[:3], body[3:])):
        if page:
            pdf.showPage()
            pdf.setFont("Helvetica", 8)
            pdf.drawString(70, height - 35, title)
        y = height - (140 if page == 0 else 90)
        pdf.setFont("Helvetica", 10)
        for paragraph in paragraphs:
            for line in paragraph:
                pdf.drawString(70, y, line)
                y -= 13
            y -= 13
    pdf.save()
    segs = rows(segment(read(path), nlp, "lux"))
    assert [r[0] for r in segs] == ["title"] + [f"p{n}" for n in range(1, 7)]
    doc = segment(read(path), nlp, "lux")
    assert squash(doc.spans["segments"][0].text) == title


def test_an_elided_compound_part_before_a_hyphenated_compound_keeps_its_hyphen(nlp):
    # "West-" / "en Oost-Afrika": the joined form "westen" is a word, the elision is not
    text = (
        "Verklaring van Lusaka\n\n"
        "Wij zijn bijeengekomen en verklaren het volgende:\n\n"
        "1. Wij zullen bijdragen aan de ontwikkeling van de regionale elektriciteitsmarkten in West-\n"
        "en Oost-Afrika en aan de aanleg van de verbindingen tussen de netten van de regio.\n"
        "2. Wij zullen in 2029 de voortgang van dit actieprogramma beoordelen en verslag doen.\n"
    )
    doc = segment(read_text(text), nlp, "lusaka")
    assert "in West- en Oost-Afrika en" in squash(doc.spans["segments"][2].text)


def test_a_declaration_sent_as_an_e_mail_keeps_only_the_declaration(nlp):
    # the message's header, greeting and covering note before it; the closing phrase, the
    # signature and the disclaimer after it
    text = (
        "Van: Sanne Hoekstra <s.hoekstra@example.nl>\n"
        "Verzonden: donderdag 5 april 2029 17:42\n"
        "Aan: Coördinatoren Noordzeeoverleg\n"
        "Onderwerp: Definitieve tekst verklaring\n\n"
        "Beste collega's,\n\n"
        "Hierbij de definitieve tekst van de verklaring, zoals die vanmiddag is aangenomen.\n\n"
        "Verklaring over de garnalenvisserij\n"
        "Harlingen, 5 april 2029\n"
        "Wij, de ministers, verklaren het volgende:\n" + points(range(1, 4)) + "\n"
        "Met vriendelijke groet,\n\n"
        "Sanne Hoekstra\n"
        "Directie Visserij en Zee\n\n"
        "-----------------------------------------------------------------------\n"
        "Dit bericht is uitsluitend bestemd voor de geadresseerde(n).\n"
    )
    doc = segment(read_text(text), nlp, "harlingen")
    ids = [s._.segment_id for s in doc.spans["segments"]]
    assert ids == ["title", "preamble", "p1", "p2", "p3"]
    assert squash(doc.spans["segments"][0].text) == (
        "Verklaring over de garnalenvisserij Harlingen, 5 april 2029"
    )
    assert squash(doc.spans["segments"][-1].text).endswith("verslag uitbrengen.")


def test_a_letter_without_a_message_header_keeps_its_greeting_and_closing(nlp):
    # a greeting and "Met vriendelijke groet" alone do not make an e-mail: without the
    # header fields nothing is cut
    text = "Beste collega's,\n\nWij verklaren het volgende:\n" + points(range(1, 3))
    text += "\nMet vriendelijke groet,\n"
    doc = segment(read_text(text), nlp, "letter")
    assert "Met vriendelijke groet" in doc.text


def test_pdf_items_without_a_glyph_are_bullets_by_their_hanging_indent(nlp, tmp_path):
    # a point's lead-in ends in a colon; its items carry no glyph: each item's first line
    # at the margin, its other lines indented; a one-line item after an item ending in ";"
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "bare.pdf"
    pdf, (_, height) = Canvas(str(path), pagesize=A4), A4
    y = height - 60

    def line(x: float, text: str) -> None:
        nonlocal y
        pdf.drawString(x, y, text)
        y -= 13

    pdf.setFont("Helvetica-Bold", 14)
    line(70, "Verklaring van de ministers")
    y -= 13
    pdf.setFont("Helvetica", 10)
    line(70, "Wij, de ministers, verklaren het volgende:")
    line(70, "1.")
    y += 13
    line(90, "Wij hebben de toestand van de visserij besproken en zullen daarom:")
    line(70, "uiterlijk in juni 2029 een gemeenschappelijk systeem voor de registratie")
    line(86, "van vangsten invoeren;")
    line(70, "de gezamenlijke opslag van CO2 regelen;")
    line(70, "de ombouw van ten minste honderdvijftig kotters naar elektrische aandrijving")
    line(86, "financieren.")
    line(70, "2.")
    y += 13
    line(90, "Het volgende overleg vindt in het najaar van 2030 in Esbjerg plaats.")
    pdf.save()
    doc = segment(read(path), nlp, "bare")
    got = [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]
    assert [i for i, _ in got] == ["title", "preamble", "p1", "p1.b1", "p1.b2", "p1.b3", "p2"]
    assert got[3][1] == (
        "uiterlijk in juni 2029 een gemeenschappelijk systeem voor de registratie van vangsten "
        "invoeren;"
    )
    assert got[4][1] == "de gezamenlijke opslag van CO2 regelen;"


def test_a_points_text_after_its_lower_case_list_is_its_continuation(nlp):
    # the last item's line is nearly full, so "Daarnaast" would not have fitted on it: the
    # full stop after an item that opened in lower case ends the list all the same
    text = (
        "Conclusies van de Raad over defensie\n\n"
        "1. De Raad neemt nota van het verslag van de Commissie.\n\n"
        "2. De Europese Raad komt overeen:\n"
        "a) de uitvoering van het Europees Defensiefonds te versnellen;\n"
        "b) binnen twaalf maanden een Europees centrum voor ruimtegebonden\n"
        "dreigingen op te richten, zodra de lidstaten deskundigen stellen.\n"
        "Daarnaast zal de Europese Raad in december een strategisch debat\n"
        "voeren over de verdeling van de lasten binnen de NAVO.\n\n"
        "3. De Europese Raad zal in juni op deze kwestie terugkomen.\n"
    )
    segs = rows(segment(read_text(text), nlp, "defence"))
    assert [r[0] for r in segs] == ["title", "p1", "p2", "p2.b1", "p2.b2", "p2.c1", "p3"]
    assert segs[5][2] == "Daarnaast zal de Europese Raad"


def test_lettered_headings_that_start_again_in_each_part_are_headings(nlp):
    # "I." A. B. "II." A. B.: the letters count up again under each part, and the title's
    # second line ("Conclusies") is no preamble when a numbered heading follows it
    text = (
        "Europese Raad, 19 en 20 maart 2029\n\nConclusies\n\n"
        "I.  CONCURRENTIEVERMOGEN\n\nA.  Spaar- en investeringsunie\n\n"
        "1.  De Europese Raad stelt vast dat jaarlijks veel spaargeld buiten de Unie gaat.\n\n"
        "B.  Defensie-industrie\n\n"
        "2.  De lidstaten zullen hun defensieaankopen vaker gezamenlijk plaatsen.\n\n"
        "II.  EXTERNE BETREKKINGEN\n\nA.  Zuidelijk nabuurschap\n\n"
        "3.  De Europese Raad is ingenomen met het partnerschap met Tunesië.\n\n"
        "B.  Arctisch gebied\n\n"
        "4.  De Europese Raad besluit een speciale vertegenwoordiger te benoemen.\n"
    )
    doc = segment(read_text(text), nlp, "euco")
    got = [(s._.segment_id, s._.number, squash(s.text)) for s in doc.spans["segments"]]
    assert got[0] == ("title", None, "Europese Raad, 19 en 20 maart 2029 Conclusies")
    assert [g for g in got if g[0].startswith("h")] == [
        ("h1", "I", "CONCURRENTIEVERMOGEN"),
        ("h2", "A", "Spaar- en investeringsunie"),
        ("h3", "B", "Defensie-industrie"),
        ("h4", "II", "EXTERNE BETREKKINGEN"),
        ("h5", "A", "Zuidelijk nabuurschap"),
        ("h6", "B", "Arctisch gebied"),
    ]


def test_items_of_a_list_nested_in_a_bullet_are_words_of_that_bullet(nlp):
    # a dump that keeps the indents: "o" items set deeper than the "▪" item they hang from
    text = (
        "Verklaring van Esbjerg\n"
        "De ministers verklaren het volgende:\n"
        "1. Om die achterstand in te halen, komen de ministers overeen:\n"
        "   ▪ vóór eind 2030 de volgende interconnectoren gezamenlijk aan te\n"
        "     besteden:\n"
        "       o tussen Esbjerg en de Eemshaven;\n"
        "       o tussen Zeebrugge en het windpark Doggersbank-Zuid;\n"
        "   ▪ binnen twee jaar één gezamenlijk loket voor de vergunningen in te\n"
        "     richten;\n"
        "   ▪ de opleiding van technici te bevorderen via:\n"
        "       o het Noordzee-Vakcollege in Den Helder;\n"
        "       o uitwisselingen tussen de maritieme hogescholen.\n"
        "2. De volgende bijeenkomst wordt in 2031 in Stavanger gehouden.\n"
    )
    doc = segment(read_text(text), nlp, "esbjerg")
    got = [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]
    assert [i for i, _ in got] == ["title", "preamble", "p1", "p1.b1", "p1.b2", "p1.b3", "p2"]
    assert got[3][1] == (
        "vóór eind 2030 de volgende interconnectoren gezamenlijk aan te besteden: tussen "
        "Esbjerg en de Eemshaven; tussen Zeebrugge en het windpark Doggersbank-Zuid;"
    )
    assert got[5][1].endswith(
        "via: het Noordzee-Vakcollege in Den Helder; uitwisselingen "
        "tussen de maritieme hogescholen."
    )


def test_a_pdf_line_parted_only_by_a_word_space_at_the_gutter_spans_both_columns(nlp, tmp_path):
    # a two-column page under a title whose centred second line ("Santa Marta, | 15 juni
    # 2029") has its word space right on the gutter's middle: the line is the title's, not
    # two column lines (the date once landed inside point 2, in the right column)
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "celac.pdf"
    pdf, (width, height) = Canvas(str(path), pagesize=A4), A4
    mid = width / 2
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(mid, height - 60, "Gezamenlijk communiqué van de top EU-CELAC")
    pdf.setFont("Helvetica", 12)
    pdf.drawRightString(mid - 2, height - 125, "Santa Marta,")
    pdf.drawString(mid + 2, height - 125, "15 juni 2029")
    pdf.setFont("Helvetica", 10)
    left = [
        "Wij, de staatshoofden en regeringsleiders,",
        "zijn in Santa Marta bijeengekomen en zijn",
        "het volgende overeengekomen:",
        "",
    ]
    left += textwrap.wrap(
        f"1. {ACTORS[0]} zal de uitvoering van deze conclusies volgen en daarover jaarlijks verslag uitbrengen aan de ministers.",
        40,
    )
    right = textwrap.wrap(
        f"2. {ACTORS[1]} zal voor eind 2030 ten minste EUR 2,4 miljard mobiliseren voor hernieuwbare energie en groene waterstof in beide regio's.",
        40,
    )
    right += [""] + textwrap.wrap(
        f"3. {ACTORS[2]} zal de vergunningsprocedures voor zulke projecten binnen achttien maanden vereenvoudigen.",
        40,
    )
    for x, column in ((64, left), (344, right)):  # the gutter centred on the page
        y = height - 165
        for line in column:
            if line:
                pdf.drawString(x, y, line)
            y -= 13
    pdf.save()
    doc = segment(read(path), nlp, "celac")
    got = [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]
    assert got[0] == (
        "title",
        "Gezamenlijk communiqué van de top EU-CELAC Santa Marta, 15 juni 2029",
    )
    assert [i for i, _ in got] == ["title", "preamble", "p1", "p2", "p3"]
    assert "15 juni" not in got[3][1]


def narrow_points(numbers, width: int = 40) -> list[str]:
    """Numbered points wrapped in a narrow column, no two lines alike."""
    return [
        line
        for n in numbers
        for line in textwrap.wrap(
            f"{n}. {ACTORS[n - 1]} zal de uitvoering van deze conclusies over de kritieke "
            f"grondstoffen voor het jaar {2020 + n} volgen en daarover verslag uitbrengen.",
            width,
        )
    ]


def test_a_header_printed_once_inside_a_broken_word_of_a_narrow_column_is_furniture(nlp):
    # "kun-" / page number / header / "nen": the header (25 characters) is nearly as long
    # as the column's lines, but the word it interrupts goes on after it
    lines = ["Verklaring van Ottawa", "", *narrow_points(range(1, 4))]
    lines += ["4. De procedures voor elektrische voertuigen kun-", "1", "Raad van de Europese Unie"]
    lines += ["nen worden vereenvoudigd.", *narrow_points(range(5, 8)), "2"]
    doc = segment(read_text("\n".join(lines) + "\n"), nlp, "ottawa")
    got = {s._.segment_id: squash(s.text) for s in doc.spans["segments"]}
    assert list(got) == ["title"] + [f"p{n}" for n in range(1, 8)]
    assert got["p4"] == "De procedures voor elektrische voertuigen kunnen worden vereenvoudigd."


def test_a_header_repeating_a_wrapped_title_is_furniture_wherever_it_stands(nlp):
    # no page numbers, no form feeds: the title's two printed lines, joined, come back as a
    # line of their own inside point 4
    title = "Gezamenlijke verklaring van de Nederlands-Duitse regeringsconsultaties"
    lines = ["Gezamenlijke verklaring van de Nederlands-Duitse rege-", "ringsconsultaties", ""]
    lines += [*narrow_points(range(1, 4), 60), "4. Beide regeringen storten elk EUR 75 miljoen"]
    lines += ["in het fonds, dat de warmtenetten", title, "van Kerkrade en Herzogenrath verbindt."]
    lines += narrow_points(range(5, 7), 60)
    doc = segment(read_text("\n".join(lines) + "\n"), nlp, "enschede")
    got = {s._.segment_id: squash(s.text) for s in doc.spans["segments"]}
    assert got["title"] == title
    assert got["p4"] == (
        "Beide regeringen storten elk EUR 75 miljoen in het fonds, dat de warmtenetten van "
        "Kerkrade en Herzogenrath verbindt."
    )


def test_a_header_above_a_title_printed_with_a_note_mark_is_furniture(nlp):
    # the first page's header equals the title, which is wrapped and carries a note's mark
    # ("Raad1"): the header is the furniture, the title is the title, once
    header = "Bijeenkomst van de Europese Raad (24 en 25 juni 2027) – Conclusies"
    lines = [
        header,
        "",
        "Bijeenkomst van de Europese Raad1 (24 en 25 juni 2027)",
        "– Conclusies",
        "",
    ]
    lines += ["I. OEKRAÏNE", "", *narrow_points(range(1, 5), 55), "", header, ""]
    lines += narrow_points(range(5, 9), 55)
    lines += ["", "1 De Europese Raad komt in Brussel bijeen."]
    doc = segment(read_text("\n".join(lines) + "\n"), nlp, "euco")
    got = [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]
    assert got[0] == ("title", header)
    assert [i for i, _ in got] == ["title", "h1"] + [f"p{n}" for n in range(1, 9)] + ["fn1"]


def test_a_pdf_bullets_short_first_line_is_not_taken_for_a_centred_line(nlp, tmp_path):
    # "• de mogelijkheden te verkennen" stands as far from the right margin as its glyph
    # from the left one (the next word is long): it looked centred, and its item ended there
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from pipeline.layouts.pdf import fonts  # a TrueType font keeps "•" on extraction

    path = tmp_path / "bullet.pdf"
    pdf, (_, height) = Canvas(str(path), pagesize=A4), A4
    y, measure, font = height - 120, 360.0, ""

    def line(x: float, text: str, width: float | None = None) -> None:
        nonlocal y
        pdf.setFont(font, 10)
        words = text.split()
        sizes = [stringWidth(w, font, 10) for w in words]
        gap = stringWidth(" ", font, 10)
        if width is not None:  # set to this width, as a justified line is
            gap = (width - sum(sizes)) / (len(words) - 1)
        for word, size in zip(words, sizes):
            pdf.drawString(x, y, word)
            x += size + gap
        y -= 14

    font = fonts()["bold"]
    line(70, "Gezamenlijk communiqué van Santa Marta")
    y -= 14
    font = fonts()["regular"]
    line(70, "Wij, de staatshoofden en regeringsleiders van beide regio's,", measure)
    line(70, "zijn het volgende overeengekomen:")
    line(70, "1. Om de digitale kloof tussen en binnen onze regio's te verkleinen,", measure)
    line(86, "komen wij overeen:")
    line(82, "• samen te werken aan gemeenschappelijke beginselen voor", measure - 12)
    line(92, "betrouwbare kunstmatige intelligentie;")
    line(82, "• de mogelijkheden te verkennen", measure - 24)  # 12 points off either margin
    line(92, "voor een gezamenlijk centrum voor cyberweerbaarheid in Santo", measure - 22)
    line(92, "Domingo.")
    line(70, "2. Wij danken de regering van Colombia voor haar gastvrijheid en zien", measure)
    line(86, "uit naar de volgende top, die in 2031 in Europa zal plaatsvinden.")
    pdf.save()
    doc = segment(read(path), nlp, "celac")
    got = [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]
    assert [i for i, _ in got] == ["title", "preamble", "p1", "p1.b1", "p1.b2", "p2"]
    assert got[4][1] == (
        "de mogelijkheden te verkennen voor een gezamenlijk centrum voor cyberweerbaarheid "
        "in Santo Domingo."
    )


def test_a_footnote_cut_inside_a_name_goes_on_with_a_capital_at_the_next_page_foot(nlp):
    # "... van het Europees" / page break / "Parlement en de Raad ...": the rest of the note
    # opens with a capital because the name it was cut in goes on
    page1 = (
        "Verklaring van Luxemburg\n"
        "Wij zijn bijeengekomen en verklaren het volgende:\n"
        + points(range(1, 4)).replace("verslag uitbrengen.", "verslag uitbrengen.1", 1)
        + "\n____________________\n1 Verordening (EU) 2024/792 van het Europees\n\n1\n"
    )
    page2 = points(range(4, 7)) + "\nParlement en de Raad van 29 februari 2024.\n\n2\n"
    doc = segment(read_text(page1 + "\f" + page2), nlp, "lux")
    got = [(s._.segment_id, squash(s.text)) for s in doc.spans["segments"]]
    assert [i for i, _ in got] == ["title", "preamble"] + [f"p{n}" for n in range(1, 7)] + ["fn1"]
    assert got[-1][1] == (
        "Verordening (EU) 2024/792 van het Europees Parlement en de Raad van 29 februari 2024."
    )
