"""Web pages as councils and ministries publish declarations: the text inside page chrome
(navigation, cookie banner, breadcrumbs, publication date, download links, share buttons,
footer), marked up semantically (<nav>, <footer>), by class names, or with plain <div>s."""

from __future__ import annotations

import html
import random

from pipeline.layouts.items import Item
from pipeline.layouts.layout import Layout

esc = lambda s: html.escape(s, quote=False)  # noqa: E731

NAV_LINKS = ("Home", "Pers", "Vergaderingen", "Beleid", "Documenten", "Contact")


def _wrap(kind: str, inner: str, layout: Layout, classes: str) -> str:
    """One piece of chrome in the layout's markup: semantic tag, named class, or a bare div."""
    if layout.web_markup == "semantic" and kind:
        return f"<{kind}>{inner}</{kind}>"
    if layout.web_markup == "classes":
        return f'<div class="{classes}">{inner}</div>'
    return f"<div>{inner}</div>"


def _links(names, rng: random.Random) -> str:
    return "".join(f'<li><a href="/nl/{n.lower()}/">{n}</a></li>' for n in names)


def render_html(items: list[Item], layout: Layout, rng: random.Random) -> str:
    body = [it for it in items if it.role == "body"]
    notes = [it for it in items if it.role == "footnote"]
    chrome = set(layout.web_chrome)
    linked = layout.real_footnotes
    note_id = {n.mark: f"fn{i}" for i, n in enumerate(notes, start=1)}

    def mark(m: str) -> str:
        if linked:
            return f'<sup><a href="#{note_id[m]}" id="ref-{note_id[m]}">{esc(m)}</a></sup>'
        return f"<sup>{esc(m)}</sup>"

    out: list[str] = []
    open_list: str | None = None

    def close_list() -> None:
        nonlocal open_list
        if open_list:
            out.append("</ul>" if open_list == "bullets" else "</ol>")
            open_list = None

    date = "Persbericht | 17 mei 2018 | 14:05" if "date" in chrome else ""
    date_first = rng.random() < 0.5  # the publication date above the title, or below it
    title_done = False
    for item in body:
        text = esc(item.text)
        for word, m in item.refs:
            text = text.replace(esc(word), esc(word) + mark(m), 1)
        if item.kind == "point" and item.marker and layout.auto_numbering:
            if open_list != "points":
                close_list()
                out.append(f'<ol start="{(item.marker or "").rstrip(".")}">')
                open_list = "points"
            out.append(f"<li>{text}</li>")
            continue
        if item.kind == "bullet" and (layout.auto_numbering or item.marker is None):
            kind = "letters" if item.marker and item.marker.endswith(")") else "bullets"
            if open_list != kind:
                close_list()
                if kind == "letters":
                    out.append('<ol type="a">')
                else:
                    out.append(
                        '<ul style="list-style-type: none">' if item.marker is None else "<ul>"
                    )
                open_list = kind
            out.append(f"<li>\n  {text}\n</li>")
            continue
        close_list()
        if item.kind == "title":
            if not title_done and date and date_first:
                out.append(_wrap("", f"<time>{date}</time>", layout, "meta date"))
                date = ""
            tag = "h1" if not title_done else "p"
            out.append(f"<{tag}>{text}</{tag}>")
            title_done = True
            continue
        if date:
            out.append(_wrap("", f"<p>{date}</p>", layout, "meta date"))
            date = ""
        if item.kind == "preamble" and "download" in chrome:
            link = '<a href="/media/verklaring.pdf">Download de verklaring (pdf, 245 kB)</a>'
            out.append(_wrap("", f"<p>{link}</p>", layout, "download"))
        marker = f"{esc(item.marker)} " if item.marker else ""
        if item.kind == "heading":
            out.append(f"<h2>{marker}{text}</h2>")
        elif item.kind == "annex_title":
            out.append(f"<h2>{text}</h2>")
        else:
            out.append(f"<p>{marker}{text}</p>")
    close_list()
    if "download" in chrome:
        out.append(
            _wrap(
                "",
                '<ul><li><a href="/media/verklaring.pdf">Verklaring (PDF)</a></li>'
                '<li><a href="/media/annex.pdf">Bijlage (PDF)</a></li></ul>',
                layout,
                "downloads",
            )
        )
    if notes:
        if linked:
            back = "backlink" in chrome
            lis = "".join(
                f'<li id="{note_id[n.mark]}">{esc(n.text)}'
                + (f' <a href="#ref-{note_id[n.mark]}">↩</a>' if back else "")
                + "</li>"
                for n in notes
            )
            out.append(f'<section class="footnotes"><hr><ol>{lis}</ol></section>')
        else:
            out.append("<hr>")
            out += [f"<p><sup>{esc(n.mark)}</sup> {esc(n.text)}</p>" for n in notes]
    if "share" in chrome:
        out.append(
            _wrap(
                "",
                'Delen: <a href="https://x.com/share">X</a> <a href="https://facebook.com/share">'
                'Facebook</a> <a href="https://linkedin.com/share">LinkedIn</a> '
                "<button>Link kopiëren</button>",
                layout,
                "share-buttons",
            )
        )

    page: list[str] = [
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{esc(body[0].text)} - Consilium</title>",
        "<script>window.dataLayer = [];</script></head><body>",
    ]
    if "cookies" in chrome:
        page.append(
            _wrap(
                "",
                "Deze website maakt gebruik van cookies om uw ervaring te verbeteren. "
                "<button>Akkoord</button> <button>Weigeren</button>",
                layout,
                "cookie-banner",
            )
        )
    if "nav" in chrome:
        page.append(_wrap("nav", f"<ul>{_links(NAV_LINKS, rng)}</ul>", layout, "main-nav"))
    if "breadcrumbs" in chrome:
        page.append(
            _wrap(
                "",
                '<a href="/">Home</a> &gt; <a href="/nl/press/">Persberichten</a> &gt; Verklaring',
                layout,
                "breadcrumb",
            )
        )
    main_tag = "article" if layout.web_markup != "plain" else "div"
    page.append(f"<{main_tag}>\n" + "\n".join(out) + f"\n</{main_tag}>")
    if "footer" in chrome:
        page.append(
            _wrap(
                "footer",
                "<p>Raad van de Europese Unie, Wetstraat 175, Brussel</p>"
                f"<ul>{_links(('Privacy', 'Toegankelijkheid', 'Cookies'), rng)}</ul>",
                layout,
                "site-footer",
            )
        )
    page.append("</body></html>\n")
    return "\n".join(page)
