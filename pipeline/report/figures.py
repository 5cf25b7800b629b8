"""The report's figures as small SVG written directly (inline in the page: no image file, no
plotting library in the hot path; a few kB each, text stays text, so it is searchable).

Colours and sizes are SVG presentation attributes, which a Content-Security-Policy without
'unsafe-inline' styles still allows.
"""

from __future__ import annotations

from html import escape

BAR_HEIGHT = 18
LABEL_WIDTH = 190
BAR_WIDTH = 360

# a sequential palette (ColorBrewer "Blues", light to dark): heatmap cells are interpolated
# between its ends over the observed range of scores
BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def shade(t: float, palette: tuple[str, ...] = BLUES) -> str:
    """The palette's colour at t in [0, 1], linearly between its stops."""
    t = min(max(t, 0.0), 1.0) * (len(palette) - 1)
    i = min(int(t), len(palette) - 2)
    f = t - i
    a, b = _hex(palette[i]), _hex(palette[i + 1])
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b))


def bar_chart(rows: list[tuple[str, float, str]], title: str, axis: str) -> str:
    """Horizontal bars, longest first: (label, value in [0, 1], text at the bar's end)."""
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    top = max((r[1] for r in rows), default=1.0) or 1.0
    height = BAR_HEIGHT * len(rows) + 26
    width = LABEL_WIDTH + BAR_WIDTH + 50
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'><title>{escape(title)}</title>"
    ]
    for i, (label, value, note) in enumerate(rows):
        y = i * BAR_HEIGHT
        w = max(value / top * BAR_WIDTH, 1.0)
        parts.append(
            f"<text x='{LABEL_WIDTH - 6}' y='{y + 13}' text-anchor='end' font-size='12' "
            f"fill='#222'>{escape(label)}</text>"
            f"<rect x='{LABEL_WIDTH}' y='{y + 2}' width='{w:.1f}' height='{BAR_HEIGHT - 4}' "
            f"fill='#4c72b0'><title>{escape(label)}: {value:.2f}</title></rect>"
            f"<text x='{LABEL_WIDTH + w + 4:.1f}' y='{y + 13}' font-size='11' "
            f"fill='#333'>{escape(note)}</text>"
        )
    parts.append(
        f"<text x='{LABEL_WIDTH}' y='{height - 6}' font-size='11' fill='#555'>"
        f"{escape(axis)}</text></svg>"
    )
    return "".join(parts)


def heatmap(
    labels: list[str],
    values: dict[tuple[int, int], float],
    title: str,
    links: dict[tuple[int, int], str] | None = None,
    show_values: bool = True,
) -> str:
    """A square matrix of scores; colours span the observed range (lowest to highest score off
    the diagonal), so near-duplicates scoring 0.97 to 0.99 are told apart, and each cell can
    show its value and link to the pair's page."""
    n = len(labels)
    links = links or {}
    scores = [v for (i, j), v in values.items() if i != j]
    low, high = (min(scores), max(scores)) if scores else (0.0, 1.0)
    span = (high - low) or 1.0
    cell = 44 if show_values else 14
    margin = min(12 + 7 * max((len(label) for label in labels), default=1), 260)
    size = margin + n * cell
    legend = 28
    width, height = size + 10, size + legend + 20
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'><title>{escape(title)}</title>"
    ]
    for i, label in enumerate(labels):
        c = margin + i * cell + cell / 2
        parts.append(
            f"<text x='{margin - 4}' y='{c + 4:.1f}' text-anchor='end' font-size='11'>"
            f"{escape(label)}</text>"
            f"<text transform='translate({c + 4:.1f},{margin - 4}) rotate(-60)' "
            f"font-size='11'>{escape(label)}</text>"
        )
    for (i, j), v in values.items():
        x, y = margin + j * cell, margin + i * cell
        if i == j:
            parts.append(f"<rect x='{x}' y='{y}' width='{cell}' height='{cell}' fill='#e6e6e6'/>")
            continue
        t = (v - low) / span
        rect = (
            f"<rect x='{x}' y='{y}' width='{cell}' height='{cell}' fill='{shade(t)}' "
            f"stroke='#fff'><title>{escape(labels[i])} / {escape(labels[j])}: {v:.3f}</title>"
            "</rect>"
        )
        if show_values:
            color = "#fff" if t > 0.55 else "#111"
            rect += (
                f"<text x='{x + cell / 2}' y='{y + cell / 2 + 4}' text-anchor='middle' "
                f"font-size='11' fill='{color}'>{v:.3f}</text>"
            )
        if (i, j) in links:
            rect = f"<a href='{escape(links[(i, j)], quote=True)}'>{rect}</a>"
        parts.append(rect)
    # the colour scale: its two ends are the lowest and the highest score
    y = size + 12
    steps = 20
    w = (size - margin) / steps
    for k in range(steps):
        parts.append(
            f"<rect x='{margin + k * w:.1f}' y='{y}' width='{w + 0.5:.1f}' height='10' "
            f"fill='{shade(k / (steps - 1))}'/>"
        )
    parts.append(
        f"<text x='{margin}' y='{y + 24}' font-size='11'>{low:.3f}</text>"
        f"<text x='{size}' y='{y + 24}' font-size='11' text-anchor='end'>{high:.3f}</text>"
        f"<text x='{margin - 4}' y='{y + 9}' font-size='11' text-anchor='end'>scale</text></svg>"
    )
    return "".join(parts)
