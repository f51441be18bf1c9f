"""Server-rendered SVG charts, the portal's one chart module: small pure functions that return
SVG markup, so no page needs JavaScript or a chart library, and each prints as it shows.

- ``bar_chart`` and ``line_chart``: a value per month (the overview's trends);
- ``grouped_bars``: horizontal bars, one row per label and one bar per series, each bar
  optionally a link to the list it counts (promises by status, mediation per commune).

Every text put into the markup (titles, labels, values) is escaped here; only numbers that
this module formats itself go in unescaped. That is what makes the one ``mark_safe`` sound.

Accessibility: the chart is ``role="img"`` named by its ``<title>`` and described by a
``<desc>`` that lists every value (what a screen reader reads); each bar and point has its own
``<title>`` (what a mouse shows); both axes have a title; values are printed as text next to
their mark, so nothing depends on colour alone; and the colours contrast with the white
background by more than 3:1 (WCAG 1.4.11), the text by more than 4.5:1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 24, 60
INK = "#1b1b1b"  # text and axes: 17:1 on white
GRID = "#c9c9c9"  # decorative grid lines only
BAR = "#0b4f9c"  # 8.6:1 on white
LINE = "#a4161a"  # 7.9:1 on white
FONT = 'font-family="system-ui, sans-serif"'


def _n(value: float) -> str:
    """A coordinate: at most one decimal, never a locale's comma."""
    return f"{value:.1f}".removesuffix(".0")


def nice_max(value: float) -> int:
    """The top of the value axis: the smallest 1, 2 or 5 × 10ⁿ, times 4 ticks, that holds
    ``value``, so the ticks fall on round numbers."""
    if value <= 0:
        return 4
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude * 4 >= value:
                return step * magnitude * 4
        magnitude *= 10


def _describe(desc: str, labels: Sequence[str], texts: Sequence[str]) -> str:
    listing = "; ".join(f"{label}: {text}" for label, text in zip(labels, texts, strict=True))
    return f"{desc} {listing}." if desc else f"{listing}."


def _frame(
    *,
    chart_id: str,
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    labels: Sequence[str],
    ticks: Sequence[tuple[float, str]],
    body: Sequence[str],
) -> SafeString:
    """The chart around ``body``: title, description, grid, axes, tick and month labels."""
    cid = escape(chart_id)
    plot_bottom = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" class="svg-chart" {FONT}>',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        '<g aria-hidden="true">',
    ]
    for y, text in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_n(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(text)}</text>'
        )
    for i, label in enumerate(labels):
        x = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{_n(x)}" y="{plot_bottom + 18}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    parts += [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{plot_bottom}" y2="{plot_bottom}" '
        f'stroke="{INK}" stroke-width="1.5"/>',
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{plot_bottom}" stroke="{INK}" '
        'stroke-width="1.5"/>',
        f'<text x="{_n(LEFT + (WIDTH - LEFT - RIGHT) / 2)}" y="{HEIGHT - 10}" '
        f'text-anchor="middle" font-size="13" font-weight="600" fill="{INK}">'
        f"{escape(x_label)}</text>",
        f'<text transform="translate(16 {_n(TOP + (plot_bottom - TOP) / 2)}) rotate(-90)" '
        f'text-anchor="middle" font-size="13" font-weight="600" fill="{INK}">'
        f"{escape(y_label)}</text>",
        "</g>",
        *body,
        "</svg>",
    ]
    # Everything above is either escaped text or numbers formatted here.
    return mark_safe("".join(parts))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[int],
    x_label: str,
    y_label: str,
) -> SafeString:
    """A vertical bar per label (a month), its value printed above it."""
    top = nice_max(max(values, default=0))
    plot_bottom, plot_height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    ticks = [(plot_bottom - plot_height * k / 4, str(top * k // 4)) for k in range(5)]
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        x = LEFT + slot * i + slot * 0.2
        y = plot_bottom - height
        body.append(
            f"<g><title>{escape(label)}: {int(value)}</title>"
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(slot * 0.6)}" height="{_n(height)}" '
            f'fill="{BAR}"/>'
            f'<text x="{_n(x + slot * 0.3)}" y="{_n(y - 5)}" text-anchor="middle" '
            f'font-size="12" fill="{INK}" aria-hidden="true">{int(value)}</text></g>'
        )
    return _frame(
        chart_id=chart_id,
        title=title,
        desc=_describe(desc, labels, [str(int(v)) for v in values]),
        x_label=x_label,
        y_label=y_label,
        labels=labels,
        ticks=ticks,
        body=body,
    )


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    x_label: str,
    y_label: str,
    empty_text: str = "—",
    value_text: Callable[[float], str] = percent,
) -> SafeString:
    """A line through the shares (0 to 1) of each label; ``None`` (nothing to measure that
    month) breaks the line and is said in words, never drawn as 0."""
    plot_bottom, plot_height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    ticks = [(plot_bottom - plot_height * k / 4, value_text(k / 4)) for k in range(5)]
    points: list[tuple[float, float] | None] = [
        None
        if value is None
        else (LEFT + slot * (i + 0.5), plot_bottom - plot_height * min(max(value, 0), 1))
        for i, value in enumerate(values)
    ]
    body, run = [], []
    for point in [*points, None]:  # a run of known values is one polyline
        if point is not None:
            run.append(point)
            continue
        if len(run) > 1:
            coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="2.5" '
                'stroke-linejoin="round"/>'
            )
        run = []
    for label, value, point in zip(labels, values, points, strict=True):
        if point is None:
            continue
        x, y = point
        text = escape(value_text(value))
        body.append(
            f"<g><title>{escape(label)}: {text}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{LINE}"/>'
            f'<text x="{_n(x)}" y="{_n(y - 9)}" text-anchor="middle" font-size="12" '
            f'fill="{INK}" aria-hidden="true">{text}</text></g>'
        )
    texts = [empty_text if v is None else value_text(v) for v in values]
    return _frame(
        chart_id=chart_id,
        title=title,
        desc=_describe(desc, labels, texts),
        x_label=x_label,
        y_label=y_label,
        labels=labels,
        ticks=ticks,
        body=body,
    )


def grouped_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    groups: Sequence[tuple[str, Sequence[tuple[str, int, str, str]]]],
    label_width: int = 170,
    bar_max: int = 360,
    bar_height: int = 20,
) -> SafeString:
    """Horizontal bars: one row per ``(label, bars)``, one bar per ``(name, value, css_class,
    url)``. Each bar says its row, its series and its value in its ``<title>`` and as text
    beside it; a bar with a ``url`` is a link (the chart is then a ``group`` whose links
    assistive technology reaches, else an ``img``)."""
    top = max((bar[1] for _label, bars in groups for bar in bars), default=0) or 1
    body, y = [], 8
    for label, bars in groups:
        first, drawn = y, []
        for name, value, css, url in bars:
            width = round(value / top * bar_max)
            named = label if name == label else f"{label} · {name}"
            bar = (
                f'<g class="chart-bar"><title>{escape(named)}: {int(value)}</title>'
                f'<rect x="{label_width}" y="{y}" width="{width}" height="{bar_height}" '
                f'class="{escape(css)}"/>'
                f'<text x="{label_width + width + 6}" y="{y + bar_height - 5}" '
                f'class="chart-value">{int(value)}</text></g>'
            )
            drawn.append(f'<a href="{escape(url)}">{bar}</a>' if url else bar)
            y += bar_height + 2
        body.append(
            f'<text x="{label_width - 8}" y="{(first + y) // 2 + 3}" text-anchor="end" '
            f'class="chart-label">{escape(label)}</text>'
        )
        body += drawn
        y += 10
    linked = any(url for _label, bars in groups for *_rest, url in bars)
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_width + bar_max + 60} {y}" '
        f'role="{"group" if linked else "img"}" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    # Everything above is either escaped text or numbers formatted here.
    return mark_safe("".join(parts))
