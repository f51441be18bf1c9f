"""gov.charts.grouped_bars: the horizontal bars of the accountability pages."""

from __future__ import annotations

import re

from gov import charts


def test_grouped_bars_escape_their_text_link_each_bar_and_say_each_value() -> None:
    svg = charts.grouped_bars(
        chart_id="c<1>",
        title="Kết quả <b>",
        desc="Mô tả & chú thích",
        groups=[
            ("Mường Kim", [("Hòa giải", 4, "bar-settled", "/a?x=1&y=2"), ("Lên đơn", 2, "c", "")]),
            ("Tân <Phong>", [("Hòa giải", 0, "bar-settled", "")]),
        ],
    )
    assert "<b>" not in svg and "Tân &lt;Phong&gt;" in svg and "Mô tả &amp; chú thích" in svg
    assert 'aria-labelledby="c&lt;1&gt;-title c&lt;1&gt;-desc"' in svg
    assert '<a href="/a?x=1&amp;y=2">' in svg and svg.count("<a ") == 1
    assert 'role="group"' in svg  # a bar is a link: assistive technology must reach it
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert titles == [
        "Mường Kim · Hòa giải: 4",
        "Mường Kim · Lên đơn: 2",
        "Tân &lt;Phong&gt; · Hòa giải: 0",
    ]
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths == [360, 180, 0]  # the largest value fills the bar's length


def test_grouped_bars_without_links_are_one_picture() -> None:
    svg = charts.grouped_bars(
        chart_id="c", title="t", desc="d", groups=[("A", [("A", 1, "x", "")])]
    )
    assert 'role="img"' in svg and "<a " not in svg and "<title>A: 1</title>" in svg
