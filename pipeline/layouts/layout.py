"""What a rendering looks like: one :class:`Layout` per rendering, drawn from a seed.

A layout names every choice a renderer makes (bullet glyph, heading style, blank lines, page
breaks, running headers, footers, where footnotes stand, columns, measure, hyphenation, line
ends, web page chrome, Word numbering and footnotes).  ``Layout.features`` lists the choices
as ``name=value`` strings, so the evaluation reports accuracy per feature.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FORMATS = ("txt", "pdf", "docx", "html")

# "none": no glyph, the item stands out by a hanging indent only
BULLETS = ("•", "–", "-", "▪", "o", "*", "none")
# how an unnumbered heading is printed; "number" only in an annex, where points are not
# numbered; "bold" and "large" only where type has weight and size (PDF, DOCX)
HEADINGS = ("plain", "caps", "letter", "roman", "number", "bold", "large")
BLANK_LINES = ("none", "paragraphs", "every-line")
PAGE_BREAKS = ("sentence", "word", "bullet-heading", "heading-bullet", "footnote")
HEADERS = ("none", "title", "title-start", "other")
FOOTERS = ("none", "number", "pagina-x-van-y", "x/y", "dash", "code")
FOOTNOTES = ("page-foot", "end", "after-footer")
MEASURES = ("narrow", "wide")
WEB_CHROME = ("nav", "cookies", "breadcrumbs", "date", "download", "share", "footer", "backlink")
WEB_MARKUP = ("semantic", "classes", "plain")  # how the chrome is marked up


@dataclass
class Layout:
    """Every choice one rendering makes.  Not every field applies to every format."""

    format: str
    seed: int
    bullet: str = "•"
    heading: str = "plain"
    blank_lines: str = "paragraphs"
    page_breaks: tuple[str, ...] = ()
    header: str = "none"
    header_on_first_page: bool = True
    footer: str = "number"
    footnotes: str = "page-foot"
    columns: int = 1
    measure: str = "wide"
    hyphenation: bool = True
    crlf: bool = False
    form_feeds: bool = True
    web_chrome: tuple[str, ...] = ()
    web_markup: str = "semantic"
    auto_numbering: bool = True  # DOCX/HTML: points and bullets numbered by the list, not typed
    real_footnotes: bool = True  # DOCX: footnotes.xml; HTML: linked notes
    realised: set[str] = field(default_factory=set)  # features the renderer really produced

    def features(self) -> list[str]:
        """The layout's features as "name=value" strings (what the report is broken down by)."""
        f = [f"format={self.format}", f"bullet={self.bullet}", f"heading={self.heading}"]
        if self.format in ("txt", "pdf", "docx"):
            f.append(f"blank-lines={self.blank_lines}")
        if self.format in ("txt", "pdf"):
            f += [f"header={self.header}", f"footer={self.footer}"]
            f += [f"footnotes={self.footnotes}", f"columns={self.columns}"]
            f += [f"measure={self.measure}", f"hyphenation={'yes' if self.hyphenation else 'no'}"]
        if self.format == "txt":
            f.append(f"line-ends={'crlf' if self.crlf else 'lf'}")
            f.append(f"form-feeds={'yes' if self.form_feeds else 'no'}")
        if self.format == "docx":
            f.append(f"numbering={'automatic' if self.auto_numbering else 'typed'}")
            f.append(f"footnotes={'real' if self.real_footnotes else 'typed'}")
        if self.format == "html":
            f.append(f"lists={'automatic' if self.auto_numbering else 'typed'}")
            f.append(f"footnotes={'linked' if self.real_footnotes else 'typed'}")
            f.append(f"web-markup={self.web_markup}")
            f += [f"web={c}" for c in self.web_chrome]
        f += sorted(self.realised)
        return f


def draw_layout(fmt: str, seed: int) -> Layout:
    """A random layout for one format, the same for the same seed."""
    rng = random.Random(seed)
    headings = [h for h in HEADINGS if fmt in ("pdf", "docx") or h not in ("bold", "large")]
    layout = Layout(
        format=fmt,
        seed=seed,
        bullet=rng.choice(BULLETS),
        heading=rng.choice(headings),
        blank_lines=rng.choice(BLANK_LINES if fmt != "docx" else ("none", "paragraphs")),
        page_breaks=tuple(p for p in PAGE_BREAKS if rng.random() < 0.5),
        header=rng.choice(HEADERS),
        header_on_first_page=rng.random() < 0.5,
        footer=rng.choice(FOOTERS),
        footnotes=rng.choice(FOOTNOTES),
        columns=rng.choice((1, 1, 2)),
        measure=rng.choice(MEASURES),
        hyphenation=rng.random() < 0.7,
        crlf=rng.random() < 0.3,
        form_feeds=rng.random() < 0.6,
        web_chrome=tuple(c for c in WEB_CHROME if rng.random() < 0.6),
        web_markup=rng.choice(WEB_MARKUP),
        auto_numbering=rng.random() < 0.6,
        real_footnotes=rng.random() < 0.6,
    )
    return layout


def breaks_between_items(body, layout: Layout, rng: random.Random) -> set[int]:
    """Indexes of the items a page break goes before, for the layout's breaks between kinds
    of item ("bullet-heading": after a bullet, before the next heading; "heading-bullet":
    after a heading, before its first bullet or point), one place each, drawn by ``rng``;
    the breaks that found a place are recorded in ``layout.realised``. Word and PDF share it."""
    breaks_before: set[int] = set()
    for kind in layout.page_breaks:
        pairs = [
            i + 1
            for i in range(len(body) - 1)
            if (
                kind == "bullet-heading"
                and body[i].kind == "bullet"
                and body[i + 1].kind == "heading"
            )
            or (
                kind == "heading-bullet"
                and body[i].kind == "heading"
                and body[i + 1].kind in ("bullet", "point")
            )
        ]
        if pairs:
            breaks_before.add(rng.choice(pairs))
            layout.realised.add(f"break={kind}")
    return breaks_before
