"""The structure failures of issue 14, each on a short text or page made here.

Each was seen on a real layout of an unseen declaration; the texts below rebuild the layout in
a few lines, so the test says what the segmenter must do with it.
"""

from __future__ import annotations

import pytest

from pipeline.extract import read
from pipeline.extract.text import read_text
from pipeline.nlp import blank_nlp
from pipeline.segment import segment


@pytest.fixture(scope="module")
def nlp():
    return blank_nlp()


def segments(doc) -> list[tuple[str, str]]:
    return [(s._.segment_id, " ".join(s.text.split())) for s in doc.spans["segments"]]


POINTS = """1. De Raad herhaalt zijn steun voor de hervormingen in de regio en verzoekt de Commissie
verslag uit te brengen over de voortgang die sinds de vorige top is geboekt.
2. De partners hebben toegezegd de strijd tegen corruptie en georganiseerde misdaad op te
voeren en de onafhankelijkheid van de rechterlijke macht te waarborgen.
3. De Unie zal haar bijstand voor de energietransitie verhogen, met bijzondere aandacht voor
de sociale gevolgen in de mijnbouwgebieden van de regio.
4. Wij zijn ingenomen met de vorderingen bij de regionale markt en roepen op tot de snelle
uitvoering van de overeenkomsten over het vrije verkeer van personen."""


def test_page_break_between_an_annex_bullet_and_the_next_heading(nlp):
    """Page number, running header, then the heading, with no blank line after the bullet's
    last word: the heading and its bullets stay a heading and bullets."""
    text = (
        "Conclusies van de Raad over de regio, 3 maart 2025\n"
        f"{POINTS}\n"
        "Bijlage\n"
        "Energie en klimaat\n"
        "• Een regionale markt voor elektriciteit tot stand brengen\n"
        "• De steun voor hernieuwbare energie in de hele regio\n"
        "verdubbelen\n"
        "1\n"
        "Raad van de Europese Unie\n"
        "Vervoer en connectiviteit\n"
        "• De spoorlijn tussen de hoofdsteden moderniseren\n"
        "• De grensovergangen sneller maken\n"
        "• Het vliegverkeer tussen de hoofdsteden uitbreiden\n"
        "• Een gezamenlijk plan voor de wegen in de grensgebieden opstellen\n"
        "• De havens van de regio aansluiten op het trans-Europese net\n"
        "• De digitale douaneprocedures invoeren\n"
        "2\n"
        "Raad van de Europese Unie\n"
        "Het actieplan wordt jaarlijks geëvalueerd.\n"
    )
    got = dict(segments(segment(read_text(text), nlp, "annex-break")))
    assert got["h1.b2"] == "De steun voor hernieuwbare energie in de hele regio verdubbelen"
    assert got["h2"] == "Vervoer en connectiviteit"
    assert got["h2.b1"] == "De spoorlijn tussen de hoofdsteden moderniseren"
    assert got["h2.b2"] == "De grensovergangen sneller maken"
    assert not any("Raad van de Europese Unie" in t for t in got.values())


def test_a_bullet_going_on_across_a_page_break_keeps_the_later_bullets_in_place(nlp):
    text = (
        "Verklaring van Tirana, 6 december 2022\n\n"
        f"{POINTS}\n\n"
        "Bijlage\n\n"
        "Jongeren en onderwijs\n\n"
        "• Het aantal uitwisselingen van studenten tussen de regio en de Unie tegen 2027\n"
        "\fVerklaring van Tirana\n\n"
        "verdubbelen\n\n"
        "• Een regionaal jongerenfonds opzetten\n\n"
        "• Beroepsopleidingen voor de groene economie bevorderen\n\n- 2 -\n"
    )
    got = segments(segment(read_text(text), nlp, "bullet-break"))
    assert got[-3:] == [
        (
            "h1.b1",
            "Het aantal uitwisselingen van studenten tussen de regio en de Unie tegen 2027 "
            "verdubbelen",
        ),
        ("h1.b2", "Een regionaal jongerenfonds opzetten"),
        ("h1.b3", "Beroepsopleidingen voor de groene economie bevorderen"),
    ]


def test_a_running_header_that_begins_the_title_is_not_the_title(nlp):
    """ "Conclusies van de Raad" on every page, the first time right above the title, in a
    dump without form feeds: the pages show only by their numbers."""
    first, second = POINTS.split("\n3.")
    text = (
        "Conclusies van de Raad\nConclusies van de Raad over de Westelijke Balkan, "
        f"12 december 2023\nDe Raad heeft de volgende conclusies aangenomen:\n{first}\n"
        f"Pagina 1 van 2\nConclusies van de Raad\n3.{second}\nPagina 2 van 2\n"
    )
    got = segments(segment(read_text(text), nlp, "header-title"))
    assert got[0] == ("title", "Conclusies van de Raad over de Westelijke Balkan, 12 december 2023")
    assert got[1] == ("preamble", "De Raad heeft de volgende conclusies aangenomen:")
    assert [sid for sid, _ in got] == ["title", "preamble", "p1", "p2", "p3", "p4"]


def test_a_footnote_printed_after_the_last_page_number_is_a_footnote(nlp):
    first, second = POINTS.split("\n4.")
    text = (
        "Verklaring van Skopje, 4 juli 2023\n\n"
        "Wij, de leiders van de Unie en van Kosovo*, hebben het volgende besloten:\n\n"
        f"{first}\n\n1\n\f4.{second}\n\n2\n\n"
        "* Deze benaming laat de standpunten over de status onverlet en is in overeenstemming\n"
        "met Resolutie 1244/1999 van de VN-Veiligheidsraad en met het advies van het\n"
        "Internationaal Gerechtshof over de verklaring van onafhankelijkheid van Kosovo.\n"
    )
    got = segments(segment(read_text(text), nlp, "note-after-footer"))
    assert got[-1][0] == "fn1" and got[-1][1].startswith("Deze benaming laat")
    assert not any(sid.startswith("closing") for sid, _ in got)
    assert "Kosovo*" not in dict(got)["preamble"]


def test_web_page_date_download_link_and_back_link_are_no_segments(nlp, tmp_path):
    page = tmp_path / "verklaring.html"
    page.write_text(
        """<html><body>
<div><a href="/">Home</a> &gt; <a href="/pers">Pers</a></div>
<div>
<h1>Verklaring van Luanda, 25 november 2025</h1>
<p class="meta">Persbericht | 25 november 2025 | 16:30</p>
<p><a href="/media/verklaring.pdf">Download de verklaring (pdf, 180 kB)</a></p>
<p>Wij, de leiders van de Afrikaanse Unie en de Europese Unie<sup><a href="#fn1" id="r1">1</a></sup>,
hebben het volgende besloten:</p>
<ol><li>Wij zullen de samenwerking op het gebied van energie versterken.</li>
<li>Wij zullen de handel tussen beide continenten bevorderen.</li></ol>
<ol class="notes"><li id="fn1">De Unie telt 27 lidstaten. <a href="#r1">↩</a></li></ol>
<div>Delen: <a href="https://x.com/share">X</a> <a href="https://facebook.com/share">Facebook</a></div>
</div></body></html>""",
        encoding="utf-8",
    )
    got = segments(segment(read(page), nlp, "web"))
    assert got == [
        ("title", "Verklaring van Luanda, 25 november 2025"),
        (
            "preamble",
            "Wij, de leiders van de Afrikaanse Unie en de Europese Unie, hebben het "
            "volgende besloten:",
        ),
        ("p1", "Wij zullen de samenwerking op het gebied van energie versterken."),
        ("p2", "Wij zullen de handel tussen beide continenten bevorderen."),
        ("fn1", "De Unie telt 27 lidstaten."),
    ]
