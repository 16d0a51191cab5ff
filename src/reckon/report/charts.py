"""Small SVG chart builders: plain string building, no JavaScript, no network.

The report must open on an air-gapped laptop years from now and print the same,
so every chart is a self-contained ``<svg>`` element (with ``xmlns``, so the same
string is also a valid ``.svg`` file). Each builder takes plain Python data and
returns a :class:`Chart`; none of them reads the casebook.

Charts carry ``<title>`` elements (hover text and screen readers) and an
``aria-label``; colours come from one palette that stays legible in greyscale.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f5f8b", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30343f", "#c97c5d")
INK = "#222"
MUTED = "#777"
GRID = "#e3e3e3"
DOCUMENTED = "#30343f"
ESTIMATE = "#d1495b"
EXCESS = "#00798c"
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"

#: Marker colour per claimant kind (the claim model of issue 6).
KIND_COLOURS = {
    "self": "#1f5f8b",
    "adversary": "#c97c5d",
    "third_party_government": "#8d6a9f",
    "intelligence_leak": "#edae49",
    "independent_count": "#00798c",
    "statistical_estimate": "#66a182",
    "media": "#777777",
}


@dataclass(frozen=True)
class Chart:
    """One chart: a file-safe name, a human title and the SVG markup."""

    name: str
    title: str
    svg: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title}


@dataclass(frozen=True)
class SeriesPoint:
    """A value with its interval at a date (an excess series, weekly or cumulative)."""

    date: str
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class TimelinePoint:
    """A claim or an estimate placed on the time axis (``date`` is ISO, day optional)."""

    date: str
    value: float | None
    label: str
    kind: str = "media"
    low: float | None = None
    high: float | None = None
    bound: str = "exact"


# --------------------------------------------------------------------------- helpers


def fmt_int(value: float | int | None) -> str:
    """Whole number with thousands separators ("12,345"); a dash for nothing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{round(value):,}"


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A 1-2-5 step that cuts ``span`` into about ``target_ticks`` intervals."""
    if span <= 0:
        return 1.0
    raw = span / max(target_ticks, 1)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def nice_max(value: float, target_ticks: int = 5) -> tuple[float, float]:
    """Axis top and step for data whose maximum is ``value`` (at least 1)."""
    value = max(float(value), 1.0)
    step = max(nice_step(value, target_ticks), 1.0)
    return math.ceil(value / step) * step, step


def _ticks(vmax: float, step: float) -> Iterator[float]:
    """Axis values 0, step, 2*step, ... up to vmax (inclusive, despite float rounding)."""
    t = 0.0
    while t <= vmax + 1e-9:
        yield t
        t += step


def _y_grid(
    x0: float, x1: float, y_of: Callable[[float], float], vmax: float, step: float
) -> list[str]:
    """Horizontal grid lines from x0 to x1 with their value labelled left of x0."""
    out = []
    for t in _ticks(vmax, step):
        y = y_of(t)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(x0 - 6, y + 4, fmt_int(t), anchor="end", fill=MUTED, size=11))
    return out


def _svg_open(width: int, height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" '
        f'style="{FONT};font-size:12px;max-width:100%;height:auto">'
        f"<title>{escape(label)}</title>"
    )


def _text(
    x: float,
    y: float,
    s: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}"{extra}>{escape(s)}</text>'
    )


def _empty(name: str, title: str, message: str, width: int = 720, height: int = 120) -> Chart:
    """A chart frame saying why there is nothing to draw (never a blank box)."""
    body = (
        _svg_open(width, height, f"{title}: {message}")
        + f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#fafafa" stroke="{GRID}"/>'
        + _text(width / 2, height / 2 + 4, message, anchor="middle", fill=MUTED, size=14)
        + "</svg>"
    )
    return Chart(name, title, body)


def month_index(iso: str) -> float | None:
    """Months since year 0 for an ISO date prefix; a day moves it within the month."""
    try:
        parts = [int(p) for p in iso[:10].split("-")]
    except (ValueError, AttributeError):
        return None
    if not parts or parts[0] <= 0:
        return None
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 7  # a year-only date sits mid-year
    if not 1 <= month <= 12:
        return None
    idx = float(year * 12 + (month - 1))
    if len(parts) > 2:
        days = calendar.monthrange(year, month)[1]
        idx += (min(max(parts[2], 1), days) - 1) / days
    return float(idx)


def _month_label(idx: int, short: bool = False) -> str:
    year, month = divmod(idx, 12)
    return f"{calendar.month_abbr[month + 1]} {year}" if not short else f"{year}-{month + 1:02d}"


# --------------------------------------------------------------------------- bars


def bar_chart_horizontal(
    name: str,
    title: str,
    items: Sequence[tuple[str, int]],
    *,
    value_label: str = "people",
    colour: str = PALETTE[0],
    width: int = 720,
    muted: Sequence[str] = (),
) -> Chart:
    """Horizontal bars for categories (regions, sources): labels stay readable at any length.

    Labels in ``muted`` (an "other" or "not recorded" bar) are drawn grey so they
    do not read as one more category.
    """
    items = [(str(k), int(v)) for k, v in items if v is not None]
    if not items:
        return _empty(name, title, "No data to show")
    label_w = min(260, max(80, 7 * max(len(k) for k, _ in items) + 16))
    bar_h, gap, top, bottom = 20, 6, 28, 30
    height = top + len(items) * (bar_h + gap) + bottom
    plot_w = width - label_w - 70
    vmax, step = nice_max(max(v for _, v in items))
    parts = [_svg_open(width, height, title)]
    # grid and axis
    for t in _ticks(vmax, step):
        x = label_w + plot_w * t / vmax
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom}" stroke="{GRID}"/>'
        )
        parts.append(
            _text(x, height - bottom + 16, fmt_int(t), anchor="middle", fill=MUTED, size=11)
        )
    parts.append(_text(label_w + plot_w, 14, f"{value_label}", anchor="end", fill=MUTED, size=11))
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = plot_w * value / vmax
        shown = label if len(label) <= 36 else label[:35] + "…"
        parts.append(_text(label_w - 8, y + bar_h - 6, shown, anchor="end"))
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
            f'fill="{"#b5b5b5" if label in muted else colour}">'
            f"<title>{escape(label)}: {fmt_int(value)} {escape(value_label)}</title></rect>"
        )
        parts.append(_text(label_w + w + 4, y + bar_h - 6, fmt_int(value), fill=INK, size=11))
    parts.append("</svg>")
    return Chart(name, title, "".join(parts))


def bar_chart_months(
    name: str,
    title: str,
    months: Sequence[tuple[str, int]],
    *,
    value_label: str = "deaths",
    colour: str = DOCUMENTED,
    width: int = 960,
    height: int = 260,
) -> Chart:
    """Vertical bars per calendar month (``YYYY-MM`` keys); empty months are drawn as gaps."""
    data: dict[int, int] = {}
    for key, value in months:
        idx = month_index(str(key)[:7] + "-01")
        if idx is not None and value:
            data[int(idx)] = data.get(int(idx), 0) + int(value)
    if not data:
        return _empty(name, title, "No dated deaths to show")
    first, last = min(data), max(data)
    n = last - first + 1
    left, right, top, bottom = 56, 16, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax, step = nice_max(max(data.values()))
    slot = plot_w / n
    parts = [_svg_open(width, height, title)]
    parts += _y_grid(left, width - right, lambda t: top + plot_h * (1 - t / vmax), vmax, step)
    label_every = max(1, math.ceil(n / 12))
    for i in range(n):
        idx = first + i
        x = left + i * slot
        value = data.get(idx, 0)
        if value:
            h = plot_h * value / vmax
            parts.append(
                f'<rect class="bar" x="{x + slot * 0.1:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{max(slot * 0.8, 1):.1f}" height="{max(h, 0.5):.1f}" fill="{colour}">'
                f"<title>{_month_label(idx)}: {fmt_int(value)} {escape(value_label)}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                _text(
                    x + slot / 2,
                    height - bottom + 16,
                    _month_label(idx, short=True),
                    anchor="middle",
                    fill=MUTED,
                    size=11,
                )
            )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}"/>'
    )
    parts.append(_text(left, 12, value_label + " per month", fill=MUTED, size=11))
    parts.append("</svg>")
    return Chart(name, title, "".join(parts))


# --------------------------------------------------------------------------- timeline


def _marker(
    shape: str, x: float, y: float, colour: str, r: float = 5.5, hollow: bool = False
) -> str:
    fill = "#fff" if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="1.6"'
    if shape == "up":
        return f'<path d="M{x:.1f},{y - r:.1f} L{x + r:.1f},{y + r * 0.8:.1f} L{x - r:.1f},{y + r * 0.8:.1f} Z" {style}/>'
    if shape == "down":
        return f'<path d="M{x:.1f},{y + r:.1f} L{x + r:.1f},{y - r * 0.8:.1f} L{x - r:.1f},{y - r * 0.8:.1f} Z" {style}/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f},{y - r:.1f} L{x + r:.1f},{y:.1f} L{x:.1f},{y + r:.1f} L{x - r:.1f},{y:.1f} Z" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.85:.1f}" {style}/>'


def _placed(points: Sequence[TimelinePoint]) -> list[tuple[float, TimelinePoint]]:
    """The points whose date falls on the month axis, with their position."""
    placed = [(month_index(p.date), p) for p in points]
    return [(x, p) for x, p in placed if x is not None]


def timeline_chart(
    months: Sequence[tuple[str, int]],
    claims: Sequence[TimelinePoint] = (),
    estimates: Sequence[TimelinePoint] = (),
    *,
    excess: Sequence[SeriesPoint] = (),
    name: str = "timeline",
    title: str = "Timeline: documented deaths, claims and estimates",
    width: int = 960,
) -> Chart:
    """Two panels on one time axis.

    Top: running totals — the documented count (cumulative by month of death),
    public claims as stated (circle exact/approximate, up-triangle "at least",
    down-triangle "at most", a bar for a range), estimates as diamonds with
    their interval, and (when given) the cumulative excess deaths from registry
    counts as a line in a band (its interval). Bottom: documented deaths in each
    month. Totals and monthly counts differ by orders of magnitude, hence two y
    axes rather than one.
    """
    data: dict[int, int] = {}
    for key, value in months:
        idx = month_index(str(key)[:7] + "-01")
        if idx is not None and value:
            data[int(idx)] = data.get(int(idx), 0) + int(value)
    placed_claims = _placed(claims)
    placed_est = _placed(estimates)
    placed_excess = sorted(
        ((x, p) for x, p in ((month_index(p.date), p) for p in excess) if x is not None),
        key=lambda t: t[0],
    )
    xs: list[float] = list(data) + [x for x, _ in placed_claims] + [x for x, _ in placed_est]
    xs += [x for x, _ in placed_excess]
    if not xs:
        return _empty(
            name, title, "Nothing dated to draw yet: no dated deaths, claims or estimates"
        )
    x0 = math.floor(min(xs))
    x1 = math.ceil(max(xs)) + 1
    if x1 - x0 < 6:
        x0, x1 = x0 - 1, x0 + 6
    left, right = 70, 20
    top_y, top_h = (58 if placed_excess else 44), 230  # a second legend row for the excess
    gap = 30
    bot_y, bot_h = top_y + top_h + gap, 90
    height = bot_y + bot_h + 44
    plot_w = width - left - right

    def X(m: float) -> float:
        return left + plot_w * (m - x0) / (x1 - x0)

    # cumulative documented count at the end of each month
    cum: list[tuple[int, int]] = []
    running = 0
    for idx in range(int(x0), int(x1)):
        running += data.get(idx, 0)
        cum.append((idx, running))
    totals: list[float] = [running]
    for _, p in placed_claims:
        totals += [v for v in (p.value, p.high, p.low) if v is not None]
    for _, p in placed_est:
        totals += [v for v in (p.value, p.high) if v is not None]
    totals += [max(p.high, p.value) for _, p in placed_excess]
    tmax, tstep = nice_max(max(totals) * 1.05)
    mmax, mstep = nice_max(max(data.values()) if data else 1, 3)

    def Yt(v: float) -> float:
        return top_y + top_h * (1 - v / tmax)

    def Ym(v: float) -> float:
        return bot_y + bot_h * (1 - v / mmax)

    parts = [_svg_open(width, height, title)]
    # legend
    lx = left
    legend = [
        (
            f'<line x1="{lx}" y1="14" x2="{lx + 22}" y2="14" stroke="{DOCUMENTED}" stroke-width="2.5"/>',
            "documented (running total)",
        ),
        (_marker("circle", 0, 14, KIND_COLOURS["self"]), "claim: exact / approx."),
        (_marker("up", 0, 14, KIND_COLOURS["self"]), "at least"),
        (_marker("down", 0, 14, KIND_COLOURS["self"]), "at most"),
        (_marker("diamond", 0, 14, ESTIMATE), "estimate with 95% interval"),
    ]
    for mark, label in legend:
        if mark.startswith("<line"):
            parts.append(mark)
            lx += 28
        else:
            parts.append(f'<g transform="translate({lx + 6},0)">{mark}</g>')
            lx += 16
        parts.append(_text(lx, 18, label, size=11))
        lx += 7 * len(label) + 18
    if placed_excess:
        parts.append(
            f'<rect x="{left}" y="26" width="22" height="12" fill="{EXCESS}" opacity="0.18"/>'
            f'<line x1="{left}" y1="32" x2="{left + 22}" y2="32" stroke="{EXCESS}" stroke-width="2.5"/>'
        )
        parts.append(
            _text(
                left + 28,
                36,
                "excess deaths from registry counts (cumulative), with its 95% interval as a band",
                size=11,
            )
        )
    # top panel grid
    parts += _y_grid(left, width - right, Yt, tmax, tstep)
    parts.append(_text(left - 60, top_y - 8, "total", fill=MUTED, size=11))
    # bottom panel grid
    parts += _y_grid(left, width - right, Ym, mmax, mstep)
    parts.append(_text(left - 60, bot_y - 8, "per month", fill=MUTED, size=11))
    # shared x axis: month ticks, year labels
    n_months = int(x1 - x0)
    every = 1 if n_months <= 14 else 3 if n_months <= 40 else 6 if n_months <= 80 else 12
    for idx in range(int(x0), int(x1) + 1):
        year, month0 = divmod(idx, 12)
        if month0 % every:
            continue
        x = X(idx)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_y}" x2="{x:.1f}" y2="{bot_y + bot_h + 4}" stroke="{GRID}" stroke-dasharray="2,3"/>'
        )
        label = str(year) if month0 == 0 else calendar.month_abbr[month0 + 1]
        parts.append(
            _text(
                x,
                bot_y + bot_h + 18,
                label,
                anchor="middle",
                fill=INK if month0 == 0 else MUTED,
                size=11,
                weight="bold" if month0 == 0 else "normal",
            )
        )
    parts.append(
        f'<line x1="{left}" y1="{top_y + top_h}" x2="{width - right}" y2="{top_y + top_h}" stroke="{INK}"/>'
    )
    parts.append(
        f'<line x1="{left}" y1="{bot_y + bot_h}" x2="{width - right}" y2="{bot_y + bot_h}" stroke="{INK}"/>'
    )
    # monthly bars
    slot = plot_w / (x1 - x0)
    for idx, value in sorted(data.items()):
        y = Ym(value)
        parts.append(
            f'<rect class="bar" x="{X(idx) + slot * 0.12:.1f}" y="{y:.1f}" width="{max(slot * 0.76, 1):.1f}" '
            f'height="{max(bot_y + bot_h - y, 0.5):.1f}" fill="{DOCUMENTED}" opacity="0.85">'
            f"<title>{_month_label(idx)}: {fmt_int(value)} documented deaths</title></rect>"
        )
    # cumulative documented line (steps at month ends)
    if data:
        pts = [f"M{X(x0):.1f},{Yt(0):.1f}"]
        for idx, total in cum:
            pts.append(f"L{X(idx + 1):.1f},{Yt(total):.1f}")
        parts.append(
            f'<path class="documented" d="{" ".join(pts)}" fill="none" stroke="{DOCUMENTED}" stroke-width="2.5">'
            f"<title>Documented (running total): {fmt_int(running)} by the end of {_month_label(max(data))}</title></path>"
        )
    # cumulative excess deaths from registry counts: a band (the interval) and a line
    if placed_excess:
        ends = [x for x, _ in placed_excess]  # each point is dated at its period's last day
        ex_pts = [p for _, p in placed_excess]
        band = [f"{X(x):.1f},{Yt(max(p.high, 0)):.1f}" for x, p in zip(ends, ex_pts, strict=True)]
        band += [
            f"{X(x):.1f},{Yt(max(p.low, 0)):.1f}"
            for x, p in reversed(list(zip(ends, ex_pts, strict=True)))
        ]
        line = " L".join(
            f"{X(x):.1f},{Yt(max(p.value, 0)):.1f}" for x, p in zip(ends, ex_pts, strict=True)
        )
        last = ex_pts[-1]
        tip = (
            f"Excess deaths from registry counts, cumulative: {fmt_int(last.value)} by {last.date} "
            f"(95% interval {fmt_int(last.low)}–{fmt_int(last.high)})"
        )
        parts.append(
            f'<g class="excess"><polygon points="{" ".join(band)}" fill="{EXCESS}" opacity="0.18"/>'
            f'<path d="M{line}" fill="none" stroke="{EXCESS}" stroke-width="2.5"/>'
            f"<title>{escape(tip)}</title></g>"
        )
    # claims
    for x, p in placed_claims:
        colour = KIND_COLOURS.get(p.kind, MUTED)
        tip = f"<title>{escape(p.label)}</title>"
        cx = X(x)
        if p.value is None and p.low is not None and p.high is not None:
            parts.append(
                f'<g class="claim"><line x1="{cx:.1f}" y1="{Yt(p.low):.1f}" x2="{cx:.1f}" y2="{Yt(p.high):.1f}" '
                f'stroke="{colour}" stroke-width="5" stroke-linecap="round" opacity="0.8"/>{tip}</g>'
            )
            continue
        if p.value is None:  # a non-disclosure statement: a hollow mark on the baseline
            parts.append(
                f'<g class="claim">{_marker("circle", cx, Yt(0), colour, hollow=True)}{tip}</g>'
            )
            continue
        shape = {"at_least": "up", "at_most": "down"}.get(p.bound, "circle")
        parts.append(f'<g class="claim">{_marker(shape, cx, Yt(p.value), colour)}{tip}</g>')
    # estimates with intervals
    for x, p in placed_est:
        if p.value is None:
            continue
        cx = X(x)
        parts.append('<g class="estimate">')
        if p.low is not None and p.high is not None:
            y_lo, y_hi = Yt(p.low), Yt(p.high)
            parts.append(
                f'<line x1="{cx:.1f}" y1="{y_lo:.1f}" x2="{cx:.1f}" y2="{y_hi:.1f}" stroke="{ESTIMATE}" stroke-width="2"/>'
            )
            for yy in (y_lo, y_hi):
                parts.append(
                    f'<line x1="{cx - 6:.1f}" y1="{yy:.1f}" x2="{cx + 6:.1f}" y2="{yy:.1f}" stroke="{ESTIMATE}" stroke-width="2"/>'
                )
        parts.append(_marker("diamond", cx, Yt(p.value), ESTIMATE, r=7))
        parts.append(f"<title>{escape(p.label)}</title></g>")
    parts.append("</svg>")
    return Chart(name, title, "".join(parts))


# --------------------------------------------------------------------------- excess


def excess_chart(
    periods: Sequence[SeriesPoint],
    *,
    name: str = "excess",
    title: str = "Excess deaths by week, from registry counts",
    value_label: str = "excess deaths",
    width: int = 960,
    height: int = 300,
) -> Chart:
    """Bars of each period's excess (below the zero line when negative) with its interval as a
    band behind them; the ``date`` of each point is the period's first day."""
    placed = [(month_index(p.date), p) for p in periods]
    pts = sorted(((x, p) for x, p in placed if x is not None), key=lambda t: t[0])
    if not pts:
        return _empty(name, title, "No excess estimate: import registry counts (reckon excess)")
    left, right, top, bottom = 64, 16, 26, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    x0 = math.floor(pts[0][0])
    x1 = max(math.ceil(pts[-1][0] + 0.25), x0 + 3)
    hi = max(max(p.high, p.value) for _, p in pts)
    lo = min(min(p.low, p.value) for _, p in pts)
    step = nice_step(max(hi, 0.0) - min(lo, 0.0), 5)
    vmax = math.ceil(max(hi, 0.0) / step) * step
    vmin = math.floor(min(lo, 0.0) / step) * step
    if vmax == vmin:
        vmax = vmin + step

    def X(m: float) -> float:
        return left + plot_w * (m - x0) / (x1 - x0)

    def Y(v: float) -> float:
        return top + plot_h * (vmax - v) / (vmax - vmin)

    parts = [_svg_open(width, height, title)]
    t = vmin
    while t <= vmax + 1e-9:
        y = Y(t)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        label = fmt_int(t) if t >= 0 else "−" + fmt_int(-t)
        parts.append(_text(left - 6, y + 4, label, anchor="end", fill=MUTED, size=11))
        t += step
    n_months = x1 - x0
    every = 1 if n_months <= 14 else 3 if n_months <= 40 else 6 if n_months <= 80 else 12
    for idx in range(x0, x1 + 1):
        year, month0 = divmod(idx, 12)
        if month0 % every:
            continue
        x = X(idx)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h + 4}" '
            f'stroke="{GRID}" stroke-dasharray="2,3"/>'
        )
        parts.append(
            _text(
                x,
                top + plot_h + 18,
                str(year) if month0 == 0 else calendar.month_abbr[month0 + 1],
                anchor="middle",
                fill=INK if month0 == 0 else MUTED,
                size=11,
                weight="bold" if month0 == 0 else "normal",
            )
        )
    slot = min(plot_w / len(pts), X(pts[0][0] + 0.23) - X(pts[0][0]))
    band = [f"{X(x) + slot / 2:.1f},{Y(p.high):.1f}" for x, p in pts]
    band += [f"{X(x) + slot / 2:.1f},{Y(p.low):.1f}" for x, p in reversed(pts)]
    parts.append(
        f'<polygon class="band" points="{" ".join(band)}" fill="{EXCESS}" opacity="0.18">'
        "<title>95% interval of each period's excess</title></polygon>"
    )
    zero = Y(0)
    for x, p in pts:
        y = Y(p.value)
        parts.append(
            f'<rect class="bar" x="{X(x) + slot * 0.1:.1f}" y="{min(y, zero):.1f}" '
            f'width="{max(slot * 0.8, 0.8):.1f}" height="{max(abs(zero - y), 0.5):.1f}" '
            f'fill="{EXCESS}"><title>{escape(p.date)}: {fmt_int(p.value)} '
            f"{escape(value_label)} (95% interval {fmt_int(p.low)} to {fmt_int(p.high)})</title></rect>"
        )
    parts.append(
        f'<line x1="{left}" y1="{zero:.1f}" x2="{width - right}" y2="{zero:.1f}" stroke="{INK}"/>'
    )
    parts.append(
        _text(left, 14, value_label + " per period; band: 95% interval", fill=MUTED, size=11)
    )
    parts.append("</svg>")
    return Chart(name, title, "".join(parts))


# --------------------------------------------------------------------------- overlap


def upset_chart(
    set_sizes: Sequence[tuple[str, int]],
    intersections: Sequence[tuple[Sequence[str], int]],
    *,
    name: str = "overlap",
    title: str = "Overlap of the sources (people documented by each combination)",
    max_columns: int = 24,
    width: int = 960,
) -> Chart:
    """An UpSet plot (Lex et al. 2014): one column per exact combination of sources.

    Venn diagrams stop being readable beyond three sets; a matrix of dots with
    bars above (people in exactly that combination) and bars to the left (people
    in each source) works for any number of sources, which is what capture–
    recapture needs to be checked by eye.
    """
    sets = [(str(s), int(n)) for s, n in set_sizes]
    inter = sorted(
        ((tuple(str(x) for x in combo), int(n)) for combo, n in intersections if n),
        key=lambda t: (-t[1], len(t[0]), t[0]),
    )
    if not sets or not inter:
        return _empty(
            name, title, "No linked people yet: run `reckon link` to see how the sources overlap"
        )
    hidden = inter[max_columns:]
    inter = inter[:max_columns]
    names = [s for s, _ in sets]
    label_w = min(220, max(90, 7 * max(len(s) for s in names) + 20))
    size_w = 130
    row_h = 22
    bars_h = 170
    top = 40
    matrix_y = top + bars_h + 10
    height = matrix_y + row_h * len(names) + 28
    col_x0 = label_w + size_w + 40
    col_w = min(44.0, (width - col_x0 - 10) / max(len(inter), 1))
    width = int(max(560, col_x0 + col_w * len(inter) + 20))
    imax, istep = nice_max(max(n for _, n in inter), 4)
    smax, _ = nice_max(max(n for _, n in sets), 2)
    parts = [_svg_open(width, height, title)]
    # intersection bars
    parts += _y_grid(
        col_x0, col_x0 + col_w * len(inter), lambda t: top + bars_h * (1 - t / imax), imax, istep
    )
    parts.append(
        _text(col_x0, 16, "people in exactly this combination of sources", fill=MUTED, size=11)
    )
    for j, (combo, n) in enumerate(inter):
        cx = col_x0 + col_w * (j + 0.5)
        h = bars_h * n / imax
        colour = PALETTE[0] if len(combo) > 1 else PALETTE[6]
        parts.append(
            f'<rect class="bar" x="{cx - col_w * 0.35:.1f}" y="{top + bars_h - h:.1f}" width="{col_w * 0.7:.1f}" '
            f'height="{max(h, 0.5):.1f}" fill="{colour}"><title>{escape(" + ".join(combo))} only: '
            f"{fmt_int(n)} people</title></rect>"
        )
        if col_w >= 26 or n == inter[0][1]:
            parts.append(_text(cx, top + bars_h - h - 3, fmt_int(n), anchor="middle", size=10))
    # matrix rows
    for i, (sname, size) in enumerate(sets):
        y = matrix_y + row_h * i + row_h / 2
        if i % 2 == 0:
            parts.append(
                f'<rect x="0" y="{y - row_h / 2:.1f}" width="{col_x0 + col_w * len(inter):.1f}" height="{row_h}" fill="#f4f4f4"/>'
            )
        shown = sname if len(sname) <= 28 else sname[:27] + "…"
        parts.append(_text(label_w - 6, y + 4, shown, anchor="end"))
        w = (size_w - 10) * size / smax
        parts.append(
            f'<rect class="bar" x="{label_w + size_w - w:.1f}" y="{y - 7:.1f}" width="{max(w, 1):.1f}" height="14" '
            f'fill="{PALETTE[3]}"><title>{escape(sname)}: {fmt_int(size)} people</title></rect>'
        )
        parts.append(
            _text(label_w + size_w - w - 4, y + 4, fmt_int(size), anchor="end", fill=MUTED, size=10)
        )
    for j, (combo, _) in enumerate(inter):
        cx = col_x0 + col_w * (j + 0.5)
        ys = []
        for i, sname in enumerate(names):
            y = matrix_y + row_h * i + row_h / 2
            on = sname in combo
            if on:
                ys.append(y)
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="{min(6.0, col_w / 4):.1f}" fill="{INK if on else "#d0d0d0"}"/>'
            )
        if len(ys) > 1:
            parts.append(
                f'<line x1="{cx:.1f}" y1="{min(ys):.1f}" x2="{cx:.1f}" y2="{max(ys):.1f}" stroke="{INK}" stroke-width="2.5"/>'
            )
    parts.append(
        _text(
            label_w + size_w - 5, height - 8, "people per source", anchor="end", fill=MUTED, size=11
        )
    )
    if hidden:
        parts.append(
            _text(
                col_x0,
                height - 8,
                f"{len(hidden)} rarer combinations ({fmt_int(sum(n for _, n in hidden))} people) not drawn",
                fill=MUTED,
                size=11,
            )
        )
    parts.append("</svg>")
    return Chart(name, title, "".join(parts))


# --------------------------------------------------------------------------- intervals


def interval_chart(
    name: str,
    title: str,
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    reference: float | None = None,
    reference_label: str = "",
    width: int = 720,
) -> Chart:
    """Each row's estimate as a dot with its interval as a line, on one shared axis.

    ``rows`` are (label, estimate, lower, upper); an infinite or missing upper end is drawn to
    the axis' edge with an arrow. ``reference`` (e.g. the number documented) is a dashed line.
    """
    items = [(str(lab), e, lo, hi) for lab, e, lo, hi in rows if e is not None]
    if not items:
        return _empty(name, title, "No estimates to compare")
    ends = [v for _, e, lo, hi in items for v in (e, lo, hi) if v is not None and math.isfinite(v)]
    if reference is not None:
        ends.append(reference)
    lo_v, hi_v = min(ends), max(ends)
    pad = (hi_v - lo_v) * 0.08 or max(hi_v * 0.05, 1.0)
    vmin, vmax = max(0.0, lo_v - pad), hi_v + pad
    step = nice_step(vmax - vmin)
    vmin = math.floor(vmin / step) * step
    label_w = min(330, max(90, 7 * max(len(k) for k, *_ in items) + 16))
    row_h, top, bottom = 26, 30, 34
    height = top + len(items) * row_h + bottom
    plot_w = width - label_w - 30

    def X(v: float) -> float:
        return label_w + plot_w * (min(max(v, vmin), vmax) - vmin) / (vmax - vmin)

    parts = [_svg_open(width, height, title)]
    t = vmin
    while t <= vmax + 1e-9:
        x = X(t)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - bottom}" stroke="{GRID}"/>'
        )
        parts.append(
            _text(x, height - bottom + 16, fmt_int(t), anchor="middle", fill=MUTED, size=11)
        )
        t += step
    if reference is not None:
        x = X(reference)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - bottom}" '
            f'stroke="{MUTED}" stroke-dasharray="4 3"/>'
        )
        parts.append(_text(x + 3, top - 12, reference_label, fill=MUTED, size=11))
    for i, (label, est, lo, hi) in enumerate(items):
        y = top + i * row_h + row_h / 2
        shown = label if len(label) <= 46 else label[:45] + "…"
        parts.append(_text(label_w - 8, y + 4, shown, anchor="end"))
        tip = f"{label}: {fmt_int(est)} ({fmt_int(lo)} – {fmt_int(hi)})"
        if lo is not None:
            x_hi = X(hi) if hi is not None and math.isfinite(hi) else label_w + plot_w
            parts.append(
                f'<line class="interval" x1="{X(lo):.1f}" y1="{y:.1f}" x2="{x_hi:.1f}" y2="{y:.1f}" '
                f'stroke="{PALETTE[0]}" stroke-width="3"><title>{escape(tip)}</title></line>'
            )
        parts.append(
            f'<circle class="point" cx="{X(float(est)):.1f}" cy="{y:.1f}" r="5" fill="{INK}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.append("</svg>")
    return Chart(name, title, "".join(parts))
