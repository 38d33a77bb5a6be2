"""Charts drawn on the server as inline SVG: no JavaScript library, nothing to download, and they
print. Every chart is an image for screen readers (role="img" with a title and a description), and
the page puts an accessible table with the same numbers beside it (``rows``: the source of truth).

The drawing works in a 400 × 260 viewBox that scales to the width of the page, so labels stay
readable on a 360 px phone (12 units ≈ 11 px there)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from schoolpoort.lib import dates

from .models import ALL_LEVELS, LEVELS, moment_order

WIDTH, HEIGHT = 400, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 34
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# Line colours with enough contrast on white and on the band shades, told apart by marker too.
LINE_COLOURS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e"]
MARKERS = ["circle", "square", "diamond", "triangle"]
# Shades of the level bands, best level first (green → red, light enough for the line on top).
BAND_SHADES = ["#cdebd3", "#e3f2c7", "#fbf0c0", "#fbdcc0", "#f8c9c9"]
_ids = count(1)


def _n(value) -> str:
    """A coordinate with one decimal: small SVG, stable output for tests."""
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


def _number(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    return number_format(value, 0 if value == value.to_integral() else 1)


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values from ``low`` to ``high`` (about ``target`` of them)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step * 0.001:
        ticks.append(round(value, 6))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 6))
    return ticks


def level_shade(level: str) -> str:
    scheme = ALL_LEVELS.get(level)
    if scheme is None:
        return "#e5e7eb"
    levels = LEVELS[scheme]
    position = levels.index(level) * (len(BAND_SHADES) - 1) // max(len(levels) - 1, 1)
    return BAND_SHADES[position]


@dataclass
class Chart:
    svg: SafeString
    title: str
    description: str
    columns: list[str] = field(default_factory=list)  # headers of the table beside the chart
    rows: list[list[str]] = field(default_factory=list)  # the same numbers as the chart, as text


@dataclass
class Point:
    moment: str
    score: Decimal | None
    level: str = ""
    school_year: str = ""


@dataclass
class Series:
    name: str
    points: list[Point]


def _marker(kind: str, x: float, y: float, colour: str, label: str) -> str:
    title = f"<title>{escape(label)}</title>"
    if kind == "square":
        return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{colour}">{title}</rect>'
    if kind == "diamond":
        points = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y)} {_n(x)},{_n(y + 5)} {_n(x - 5)},{_n(y)}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    if kind == "triangle":
        points = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y + 4)} {_n(x - 5)},{_n(y + 4)}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{colour}">{title}</circle>'


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg class="results-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="inherit" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _y_axis(ticks: list[float], y_of) -> list[str]:
    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y)}" y2="{_n(y)}" stroke="#9ca3af" '
            f'stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{_n(y + 4)}" text-anchor="end" fill="#374151">'
            f"{escape(_number(Decimal(str(tick))))}</text>"
        )
    return parts


def growth_chart(
    series: list[Series], bands: dict[str, list[tuple[str, Decimal]]] | None = None, title: str = ""
) -> Chart:
    """Ability score per moment, one line per test. ``bands`` maps a moment to its (level, lower
    bound) pairs for the test drawn (one test per chart when bands are given): each moment's column
    is shaded by level, so the line shows at a glance in which level the child was."""
    bands = bands or {}
    chart_id = f"chart-{next(_ids)}"
    moments = sorted({p.moment for s in series for p in s.points} | set(bands), key=moment_order)
    scores = [float(p.score) for s in series for p in s.points if p.score is not None]
    # The lowest band of a moment is open downwards: its lower bound does not stretch the scale.
    bounds = [float(bound) for pairs in bands.values() for _level, bound in sorted(pairs, key=lambda p: p[1])[1:]]
    title = title or _("Growth in ability score")
    if not moments or not scores:
        return Chart(_frame(chart_id, title, _("No results yet."), []), title, _("No results yet."))
    low, high = min(scores + bounds), max(scores + bounds)
    margin = max((high - low) * 0.1, 5)
    ticks = nice_ticks(low - margin, high + margin)
    y_min, y_max = ticks[0], ticks[-1]
    step = PLOT_W / len(moments)

    def x_of(moment: str) -> float:
        return LEFT + step * (moments.index(moment) + 0.5)

    def y_of(value: float) -> float:
        return TOP + PLOT_H * (1 - (float(value) - y_min) / (y_max - y_min))

    body = []
    # The level bands: per moment a column of shaded rectangles, one per level.
    for moment, pairs in bands.items():
        if moment not in moments:
            continue
        ordered = sorted(pairs, key=lambda pair: pair[1])
        x = LEFT + step * moments.index(moment)
        for index, (level, lower) in enumerate(ordered):
            upper = ordered[index + 1][1] if index + 1 < len(ordered) else y_max
            top, bottom = y_of(min(float(upper), y_max)), y_of(max(float(lower), y_min))
            if bottom - top <= 0:
                continue
            body.append(
                f'<rect class="band" x="{_n(x)}" y="{_n(top)}" width="{_n(step)}" '
                f'height="{_n(bottom - top)}" fill="{level_shade(level)}"><title>'
                f"{escape(moment)}: {escape(level)} ≥ {escape(_number(lower))}</title></rect>"
            )
            if moment == moments[-1] or moment == max(bands, key=moment_order):
                body.append(
                    f'<text x="{_n(x + step - 3)}" y="{_n(top + (bottom - top) / 2 + 4)}" '
                    f'text-anchor="end" fill="#4b5563" font-size="10">{escape(level)}</text>'
                )
    body += _y_axis(ticks, y_of)
    for moment in moments:
        body.append(
            f'<text x="{_n(x_of(moment))}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="#111827">{escape(moment)}</text>'
        )
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + PLOT_H}" y2="{TOP + PLOT_H}" stroke="#374151"/>')
    rows_by_moment: dict[str, dict[str, Point]] = {}
    for index, line in enumerate(series):
        colour, marker = LINE_COLOURS[index % len(LINE_COLOURS)], MARKERS[index % len(MARKERS)]
        points = sorted((p for p in line.points if p.score is not None), key=lambda p: moment_order(p.moment))
        if len(points) > 1:
            path = " ".join(f"{_n(x_of(p.moment))},{_n(y_of(p.score))}" for p in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>'
            )
        for p in points:
            label = f"{line.name} {p.moment}: {_number(p.score)}" + (f" ({p.level})" if p.level else "")
            body.append(_marker(marker, x_of(p.moment), y_of(p.score), colour, label))
        for p in line.points:
            rows_by_moment.setdefault(p.moment, {})[line.name] = p
    if len(series) > 1:  # a legend under the axis labels
        x = LEFT
        for index, line in enumerate(series):
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            body.append(
                f'<rect x="{_n(x)}" y="{HEIGHT - 11}" width="10" height="4" fill="{colour}"/>'
                f'<text x="{_n(x + 13)}" y="{HEIGHT - 6}" font-size="10">{escape(line.name)}</text>'
            )
            x += 20 + 6 * len(line.name)

    description = "; ".join(
        f"{line.name}: "
        + ", ".join(
            f"{p.moment} {_number(p.score)}" + (f" ({p.level})" if p.level else "")
            for p in sorted(line.points, key=lambda p: moment_order(p.moment))
            if p.score is not None
        )
        for line in series
    )
    columns = [_("Moment"), _("School year")]
    rows = []
    if len(series) == 1:
        columns += [_("Ability score"), _("Level")]
        for p in sorted(series[0].points, key=lambda p: moment_order(p.moment)):
            rows.append([p.moment, p.school_year, _number(p.score), p.level])
    else:
        columns += [line.name for line in series]
        for moment in sorted(rows_by_moment, key=moment_order):
            cells = rows_by_moment[moment]
            year = next((p.school_year for p in cells.values() if p.school_year), "")
            rows.append(
                [moment, year]
                + [
                    (
                        _number(cells[line.name].score)
                        + (f" ({cells[line.name].level})" if cells[line.name].level else "")
                    )
                    if line.name in cells
                    else "–"
                    for line in series
                ]
            )
    return Chart(_frame(chart_id, title, description, body), title, description, columns, rows)


@dataclass
class Bar:
    label: str  # under the bar: the block or chapter
    day: object  # a date
    score: Decimal
    norm: Decimal | None = None
    method: str = ""


def scores_chart(bars: list[Bar], maximum: int = 100, title: str = "") -> Chart:
    """Method test scores of one subject over time: a bar per test, in date order, with the norm
    of the block as a line over its bar. Bars at or above the norm are dark, below it striped."""
    chart_id = f"chart-{next(_ids)}"
    title = title or _("Method tests")
    bars = sorted(bars, key=lambda bar: bar.day)
    if not bars:
        return Chart(_frame(chart_id, title, _("No results yet."), []), title, _("No results yet."))
    ticks = nice_ticks(0, maximum, 5)
    y_max = ticks[-1]

    def y_of(value) -> float:
        return TOP + PLOT_H * (1 - float(value) / y_max)

    step = PLOT_W / len(bars)
    width = min(step * 0.7, 36)
    body = [
        f'<defs><pattern id="{chart_id}-below" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde68a"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#b45309" stroke-width="3"/></pattern></defs>'
    ]
    body += _y_axis(ticks, y_of)
    label_every = max(1, math.ceil(len(bars) / 8))  # no more than eight labels side by side
    for index, bar in enumerate(bars):
        x = LEFT + step * index + (step - width) / 2
        below = bar.norm is not None and bar.score < bar.norm
        fill = f"url(#{chart_id}-below)" if below else "#1d4ed8"
        tip = f"{bar.label} {dates.style(bar.day, 'day_month_short')}: {_number(bar.score)}"
        if bar.norm is not None:
            tip += " " + _("(norm %(norm)s)") % {"norm": _number(bar.norm)}
        body.append(
            f'<rect class="bar" x="{_n(x)}" y="{_n(y_of(bar.score))}" width="{_n(width)}" '
            f'height="{_n(y_of(0) - y_of(bar.score))}" fill="{fill}" stroke="#1e3a8a" stroke-width="0.5">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if bar.norm is not None:
            y = y_of(bar.norm)
            body.append(
                f'<line class="norm" x1="{_n(x - 3)}" x2="{_n(x + width + 3)}" y1="{_n(y)}" y2="{_n(y)}" '
                f'stroke="#111827" stroke-width="2"/>'
            )
        if index % label_every == 0:
            body.append(
                f'<text x="{_n(x + width / 2)}" y="{HEIGHT - BOTTOM + 15}" text-anchor="middle" '
                f'font-size="10">{escape(bar.label[:8])}</text>'
                f'<text x="{_n(x + width / 2)}" y="{HEIGHT - BOTTOM + 28}" text-anchor="middle" '
                f'font-size="9" fill="#4b5563">{escape(dates.style(bar.day, "day_month_numeric"))}</text>'
            )
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y_of(0))}" y2="{_n(y_of(0))}" stroke="#374151"/>')
    description = "; ".join(
        f"{bar.label} ({dates.style(bar.day, 'day')}): {_number(bar.score)}"
        + (" " + _("(norm %(norm)s)") % {"norm": _number(bar.norm)} if bar.norm is not None else "")
        for bar in bars
    )
    columns = [_("Date"), _("Method"), pgettext("method test period", "Block"), _("Score"), _("Norm")]
    rows = [
        [dates.style(bar.day, "numeric"), bar.method, bar.label, _number(bar.score), _number(bar.norm)]
        for bar in bars
    ]
    return Chart(_frame(chart_id, title, description, body), title, description, columns, rows)
