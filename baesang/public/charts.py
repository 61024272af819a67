"""Charts drawn on the server as inline SVG: no JavaScript, no external file, readable by
screen readers (a ``<title>`` and a ``<desc>`` listing every value) and printable.

A chart has category labels on the x axis (months) and one or more series: lines or bars.
A value of ``None`` is a gap (a figure withheld, e.g. under the five-claim rule). The y axis
runs from zero to a rounded maximum (1, 2 or 5 × 10ⁿ) with four grid lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1b5e9b", "#c0392b", "#2e8b57", "#8e44ad", "#d35400")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | None]
    kind: str = "line"  # "line" or "bar"
    color: str = ""


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _points(values: Sequence[int | None], x: Callable[[int], float], y: Callable[[int], float]) -> list[str]:
    """Polyline point lists, one per run of values without a gap."""
    runs: list[str] = []
    current: list[str] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(" ".join(current))
            current = []
            continue
        current.append(f"{x(index):.1f},{y(value):.1f}")
    if current:
        runs.append(" ".join(current))
    return runs


def svg_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[int], str] = str,
    width: int = 720,
    height: int = 300,
) -> str:
    """An SVG chart as markup ready to embed in HTML (all text escaped)."""
    left, right, top, bottom = 96, 16, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(labels), 1)
    values = [v for s in series for v in s.values if v is not None]
    low = min([0, *values])
    high = nice_ceiling(max([1, *values]))
    span = high - low or 1

    def x(index: int) -> float:
        return left + plot_w * (index + 0.5) / count

    def y(value: int) -> float:
        return top + plot_h * (high - value) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    description = "; ".join(
        f"{s.name}: " + ", ".join(f"{label} {'–' if v is None else value_label(v)}" for label, v in zip(
            labels, s.values, strict=False))
        for s in series
    )
    parts.append(f"<desc>{escape(description)}</desc>")
    parts.append(f'<text x="{left}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
    for step in range(5):
        value = low + span * step // 4
        gy = y(value)
        parts.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" font-size="11" text-anchor="end">'
                     f"{escape(value_label(value))}</text>")
    label_every = max(1, (count + 11) // 12)
    for index, label in enumerate(labels):
        if index % label_every == 0 or index == count - 1:
            parts.append(f'<text x="{x(index):.1f}" y="{height - bottom + 16}" font-size="11" '
                         f'text-anchor="middle">{escape(label)}</text>')
    bars = [s for s in series if s.kind == "bar"]
    bar_w = plot_w / count * 0.8 / max(len(bars), 1)
    for number, item in enumerate(series):
        color = item.color or PALETTE[number % len(PALETTE)]
        if item.kind == "bar":
            offset = bars.index(item)
            for index, value in enumerate(item.values):
                if value is None:
                    continue
                bx = x(index) - plot_w / count * 0.4 + offset * bar_w
                y0, y1 = sorted((y(0), y(value)))
                parts.append(f'<rect x="{bx:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                             f'fill="{color}" opacity="0.75"><title>{escape(labels[index])}: '
                             f"{escape(value_label(value))}</title></rect>")
        else:
            for run in _points(item.values, x, y):
                parts.append(f'<polyline points="{run}" fill="none" stroke="{color}" stroke-width="2"/>')
            for index, value in enumerate(item.values):
                if value is not None:
                    parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="2.5" fill="{color}">'
                                 f"<title>{escape(labels[index])}: {escape(value_label(value))}</title></circle>")
    legend_y = height - 14
    legend_x = left
    for number, item in enumerate(series):
        color = item.color or PALETTE[number % len(PALETTE)]
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="10" fill="{color}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="{legend_y}" font-size="12">{escape(item.name)}</text>')
        legend_x += 28 + 8 * len(item.name) + (6 * len(item.name) if not item.name.isascii() else 0)
    parts.append("</svg>")
    return "".join(parts)
