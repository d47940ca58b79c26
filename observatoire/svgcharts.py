"""Charts drawn as SVG on the server: line charts, bars over time and sorted or stacked horizontal bars.

The browser receives a finished picture: no charting library to download and start (Vega-Lite cost a first visit of
Lauréats or Aides Covid about 0.3 s on the benchmark machine), and the same SVG goes into the offline territory
profile. Every point and bar carries its exact value, in French, as the tooltip of a box laid over the picture; the
pages show a table of the same numbers beside each chart (accessibility)."""

from __future__ import annotations

import html
import math

import pandas as pd

from observatoire import fmt

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]  # Okabe-Ito
WIDTH = 480  # drawing width of a chart in a half-page column: it shrinks to narrower ones and never grows (text stays 11 px)
WIDE = 900  # a chart across the page
CHAR_PX = 6.2  # average width of an 11 px sans-serif character, to reserve room for labels
CSS = """<style>
.obs-chart{margin:0 0 1rem 0;color:#161616}
.obs-chart .t{font-weight:600;font-size:.95rem;margin:0 0 .2rem 0}
.obs-chart .c{position:relative}
.obs-chart .c img{display:block;width:100%;height:auto}
.obs-chart .c span{position:absolute;border-radius:2px}
.obs-chart .c span:hover{outline:2px solid #161616}
.obs-chart .lg{display:flex;flex-wrap:wrap;gap:.15rem 1rem;font-size:.8rem;margin-top:.2rem}
.obs-chart .lg i{display:inline-block;width:.75rem;height:.75rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
</style>"""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(n, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start, stop = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 12) for i in range(start, stop + 1)]


def tick_label(v: float, step: float, largest: float | None = None) -> str:
    """Axis labels in French, in one unit for the whole axis, set by its largest tick: 0,2 Md … 1,0 Md, or 250 k;
    below 10 000, plain numbers with the decimals the step needs."""
    top = abs(largest if largest is not None else v)
    # (the axis' largest tick from which the unit is used, what the unit is worth, its name)
    for threshold, worth, unit in ((1e9, 1e9, "Md"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if top >= threshold:
            return f"{fmt.number(v / worth, _decimals(step / worth))}{fmt.NBSP}{unit}" if v else "0"
    return fmt.number(v, _decimals(step))


def _decimals(step: float) -> int:
    """Decimals that write every multiple of the step exactly: 2.5 -> 1, 0.25 -> 2, 200 -> 0."""
    return next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * max(1.0, step * 10**d)), 6)


def _figure(title: str, drawing: str = "", legend: list[tuple[str, str]] = ()) -> str:
    items = "".join(f"<span><i style='background:{c}'></i>{esc(name)}</span>" for name, c in legend)
    return (
        f"<figure class='obs-chart'><div class='t'>{esc(title)}</div>{drawing}"
        + (f"<div class='lg'>{items}</div>" if items else "")
        + "</figure>"
    )


def _drawing(width: float, height: float, title: str, body: list[str], spots: list[tuple], inline: bool = False) -> str:
    """The SVG as an image (a data: URL: nothing is fetched), under transparent boxes placed in percent of its size,
    one per point or bar, whose title is the tooltip with the exact value. A picture keeps the page light: the
    browser draws it once (Streamlit's HTML sanitiser also drops inline SVG). `inline`: the SVG element itself, the
    boxes inside it with a <title> each, for a standalone document (the offline territory profile)."""
    head = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' width='{width:.0f}' height='{height:.0f}' "
        f"font-family='Source Sans Pro,Segoe UI,Arial,sans-serif' font-size='11' fill='#31333f'"
    )
    if inline:
        boxes = "".join(
            f"<rect x='{x0:.1f}' y='{y0:.1f}' width='{x1 - x0:.1f}' height='{y1 - y0:.1f}' fill='transparent'>"
            f"<title>{esc(text)}</title></rect>"
            for x0, y0, x1, y1, text in spots
        )
        return f"{head} role='img' aria-label='{esc(title)}' style='max-width:100%;height:auto'>{''.join(body)}{boxes}</svg>"
    svg = f"{head}>{''.join(body)}</svg>"
    boxes = "".join(
        f"<span style='left:{100 * x0 / width:.2f}%;top:{100 * y0 / height:.2f}%;width:{100 * (x1 - x0) / width:.2f}%;"
        f"height:{100 * (y1 - y0) / height:.2f}%' title='{esc(text)}'></span>"
        for x0, y0, x1, y1, text in spots
    )
    src = "data:image/svg+xml," + _url_text(svg)
    return f"<div class='c' style='max-width:{width:.0f}px'><img alt='{esc(title)}' src=\"{src}\">{boxes}</div>"


def _url_text(svg: str) -> str:
    """The SVG as the text of a data: URL, in double quotes: non-ASCII as XML character references, then the few
    characters a URL or the attribute would misread escaped (urllib's quote, character by character, was slower
    than drawing the chart)."""
    text = svg.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return (
        text.replace("%", "%25")
        .replace("#", "%23")
        .replace("<", "%3C")
        .replace(">", "%3E")
        .replace('"', "%22")
        .replace("\n", "%0A")
    )


class _X:
    """Positions along x: dates on a time scale ('T'), or evenly spaced categories ('O'), with their tick labels."""

    def __init__(self, values, kind: str, left: float, right: float, band: bool = False, x_format: str = "day"):
        self.kind, self.left, self.right, self.x_format = kind, left, right, x_format
        if kind == "T":
            self.values = sorted({pd.Timestamp(v) for v in pd.to_datetime(pd.Series(list(values))).dropna()})
            lo, hi = self.values[0], self.values[-1]
            gap = min((b - a for a, b in zip(self.values, self.values[1:])), default=pd.Timedelta(days=30))
            self.lo, self.hi = (
                (lo - gap / 2, hi + gap / 2) if band else (lo, hi if hi > lo else lo + pd.Timedelta(days=1))
            )
            self.band = (right - left) * (gap / (self.hi - self.lo)) if band else 0
        else:
            self.values = list(dict.fromkeys(values))
            self.index = {v: i for i, v in enumerate(self.values)}
            self.band = (right - left) / max(len(self.values), 1) if band else 0

    def __call__(self, v) -> float:
        if self.kind == "T":
            return self.left + (self.right - self.left) * ((pd.Timestamp(v) - self.lo) / (self.hi - self.lo))
        i = self.index[v]
        if self.band:
            return self.left + self.band * (i + 0.5)
        return self.left + (self.right - self.left) * (i / max(len(self.values) - 1, 1))

    def place(self, column: pd.Series) -> tuple[list[float], list[str]]:
        """Positions and tooltip labels of a whole column at once (a chart has hundreds of points)."""
        if self.kind == "T":
            t = pd.to_datetime(column)
            share = (t - self.lo) / (self.hi - self.lo)
            if self.x_format == "quarter":
                labels = [fmt.quarter(v) for v in t]
            elif self.x_format == "month":
                labels = [fmt.month(v) for v in t]
            else:
                labels = t.dt.strftime("%d/%m/%Y").tolist()
            return (self.left + (self.right - self.left) * share).tolist(), labels
        return [self(v) for v in column], [str(v) for v in column]

    def ticks(self, max_ticks: int = 7) -> list[tuple[float, str]]:
        if self.kind != "T":
            k = math.ceil(len(self.values) / max_ticks)
            return [(self(v), str(v)) for i, v in enumerate(self.values) if i % k == 0]
        lo, hi = self.values[0], self.values[-1]
        years = hi.year - lo.year
        if years >= 3:  # 1 January of every k-th year
            k = math.ceil((years + 1) / max_ticks)
            stamps = [
                pd.Timestamp(y, 1, 1) for y in range(lo.year + (lo.month > 1 or lo.day > 1), hi.year + 1) if y % k == 0
            ]
            return [(self(t), str(t.year)) for t in stamps]
        months = (hi.year - lo.year) * 12 + hi.month - lo.month
        k = next((m for m in (1, 2, 3, 6) if months / m <= max_ticks), 12)  # every month, 2, quarter, half-year, year
        stamps = pd.date_range(
            pd.Timestamp(lo.year, lo.month, 1) + pd.offsets.MonthBegin(1 if lo.day > 1 else 0), hi, freq="MS"
        )
        return [(self(t), f"{t.month:02d}/{t.year}") for t in stamps if (t.month - 1) % k == 0]


def _y_axis(ticks: list[float], y, left: float, right: float, title: str) -> list[str]:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    largest = max(ticks, key=abs)
    out = []
    for t in ticks:
        out.append(
            f"<line x1='{left:.1f}' x2='{right:.1f}' y1='{y(t):.1f}' y2='{y(t):.1f}' stroke='{'#8a8d99' if t == 0 else '#e6e6ef'}'/>"
            f"<text class='y' x='{left - 5:.1f}' y='{y(t) + 4:.1f}' text-anchor='end'>{esc(tick_label(t, step, largest))}</text>"
        )
    mid = (y(ticks[0]) + y(ticks[-1])) / 2
    if title:
        out.append(
            f"<text x='11' y='{mid:.1f}' transform='rotate(-90 11 {mid:.1f})' text-anchor='middle'>{esc(title)}</text>"
        )
    return out


def _x_labels(xs: _X, width: float, height: float) -> list[str]:
    """Tick labels under the x axis; one at the right edge ends there instead of being cut."""
    return [
        f"<text x='{px:.1f}' y='{height - 6}' text-anchor='{'end' if px > width - 16 else 'middle'}'>{esc(label)}</text>"
        for px, label in xs.ticks()
    ]


def _left_margin(ticks: list[float], title: str) -> float:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return (26 if title else 8) + CHAR_PX * max(len(tick_label(t, step, max(ticks, key=abs))) for t in ticks)


def _axes(
    x_values: pd.Series,
    x_kind: str,
    ticks: list[float],
    y_title: str,
    width: float,
    height: float,
    band: bool,
    x_format: str = "day",
):
    """The x positions, the y scale and the drawn axes shared by the line and bar charts over x. `x_format`: how a
    date reads in a tooltip, 'day' (31/12/2021), 'month' (mars 2020) or 'quarter' (T4 2006)."""
    left, top, bottom = _left_margin(ticks, y_title), 8, 22
    xs = _X(x_values, x_kind, left + (4 if band else 6), width - (6 if band else 10), band=band, x_format=x_format)

    def y(v):
        return top + (height - top - bottom) * (ticks[-1] - v) / (ticks[-1] - ticks[0])

    return xs, y, left, _y_axis(ticks, y, left, width - 4, y_title) + _x_labels(xs, width, height)


def lines(
    df: pd.DataFrame,
    x: str,
    series: str,
    value: str,
    *,
    title: str,
    y_title: str,
    x_kind: str = "O",
    decimals: int = 0,
    zero: bool = True,
    order: list | None = None,
    colours: list[str] = PALETTE,
    width: float = WIDTH,
    height: float = 280,
    unit: str = "",
    inline: bool = False,
    x_format: str = "day",
) -> str:
    """One line per series (long form), points with their exact value; a missing value breaks the line."""
    d = df[[x, series, value]].dropna(subset=[x])
    known = d[value].dropna()
    if known.empty:
        return _figure(title, "<p>Aucune donnée publiée pour ce graphique.</p>")
    names = [s for s in (order or list(dict.fromkeys(d[series]))) if s in set(d[series])]
    lo, hi = float(known.min()), float(known.max())
    ticks = nice_ticks(min(lo, 0.0) if zero else lo, max(hi, 0.0) if zero else hi)
    xs, y, _, body = _axes(d[x], x_kind, ticks, y_title, width, height, band=False, x_format=x_format)
    suffix = f"{fmt.NBSP}{unit}" if unit else ""
    spots = []
    d = d.sort_values(x, kind="stable")
    px, labels = xs.place(d[x])  # once for the whole frame: per-series date handling cost more than the drawing
    points: dict = {name: [] for name in names}
    for name, cx, label, yv in zip(d[series].tolist(), px, labels, d[value].tolist()):
        if name in points:
            points[name].append((cx, label, yv))
    for i, name in enumerate(names):
        colour = colours[i % len(colours)]
        path, pen = [], "M"
        for cx, _, yv in points[name]:
            if pd.isna(yv):
                pen = "M"
                continue
            path.append(f"{pen}{cx:.1f},{y(yv):.1f}")
            pen = "L"
        body.append(f"<path d='{' '.join(path)}' fill='none' stroke='{colour}' stroke-width='2'/>")
        for cx, label, yv in points[name]:
            if pd.notna(yv):
                cy = y(yv)
                body.append(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='3' fill='{colour}'/>")
                spots.append((cx - 5, cy - 5, cx + 5, cy + 5, f"{name} · {label} : {fmt.number(yv, decimals)}{suffix}"))
    legend = [(n, colours[i % len(colours)]) for i, n in enumerate(names)] if len(names) > 1 else []
    return _figure(title, _drawing(width, height, title, body, spots, inline), legend)


def bars_over_time(
    df: pd.DataFrame,
    x: str,
    value: str,
    *,
    title: str,
    y_title: str,
    x_kind: str = "T",
    decimals: int = 0,
    colour: str = PALETTE[0],
    width: float = WIDTH,
    height: float = 220,
    unit: str = "",
    inline: bool = False,
    x_format: str = "day",
) -> str:
    """Vertical bars from zero (negative values below the line), one per date or period."""
    d = df[[x, value]].dropna()
    if d.empty:
        return _figure(title, "<p>Aucune donnée publiée pour ce graphique.</p>")
    ticks = nice_ticks(min(float(d[value].min()), 0.0), max(float(d[value].max()), 0.0))
    xs, y, left, body = _axes(d[x], x_kind, ticks, y_title, width, height, band=True, x_format=x_format)
    bar = max(1.0, xs.band * 0.8)
    suffix = f"{fmt.NBSP}{unit}" if unit else ""
    spots = []
    px, labels = xs.place(d[x])
    for cx, label, v in zip(px, labels, d[value].tolist()):
        y0, y1 = sorted((y(0.0), y(v)))
        x0 = cx - bar / 2
        body.append(
            f"<rect x='{x0:.1f}' y='{y0:.1f}' width='{bar:.1f}' height='{max(y1 - y0, 0.5):.1f}' fill='{colour}'/>"
        )
        spots.append(
            (x0, min(y0, y(0.0) - 6), x0 + bar, max(y1, y0 + 6), f"{label} : {fmt.number(v, decimals)}{suffix}")
        )
    body.append(f"<line x1='{left:.1f}' x2='{width - 4:.1f}' y1='{y(0.0):.1f}' y2='{y(0.0):.1f}' stroke='#8a8d99'/>")
    return _figure(title, _drawing(width, height, title, body, spots, inline))


def hbars(
    df: pd.DataFrame,
    label: str,
    value: str,
    *,
    title: str,
    value_title: str,
    stack: str | None = None,
    decimals: int = 0,
    colours: list[str] = PALETTE,
    width: float = WIDTH,
    unit: str = "",
    inline: bool = False,
) -> str:
    """Horizontal bars sorted by total, largest first; with `stack`, each bar is split by that column (legend below).
    The total is written at the end of each bar; every segment's value is in its tooltip."""
    d = df[[label, value] + ([stack] if stack else [])].dropna(subset=[label])
    d = d[d[value].notna()]
    if d.empty:
        return _figure(title, "<p>Aucune donnée publiée pour ce graphique.</p>")
    totals = d.groupby(label, sort=False)[value].sum().sort_values(ascending=False, kind="stable")
    stacks = list(dict.fromkeys(d[stack])) if stack else [None]
    parts = (
        d.groupby([label, stack], sort=False)[value].sum().to_dict()
        if stack
        else {(k, None): v for k, v in totals.items()}
    )
    colour = {s: colours[i % len(colours)] for i, s in enumerate(stacks)}
    suffix = f"{fmt.NBSP}{unit}" if unit else ""
    value_px = CHAR_PX * max(len(fmt.number(t, decimals)) for t in totals) + 10
    longest = max(len(str(v)) for v in totals.index)
    above = CHAR_PX * longest + 8 > width * 0.42  # long labels (NAF sections) go above their bar, in full
    left = 4 if above else CHAR_PX * longest + 8
    right, row = width - value_px, (34 if above else 22)
    hi = max(float(totals.max()), 0.0) or 1.0
    lo = min(float(d[value].min()), 0.0)

    def sx(v):
        return left + (right - left) * (v - lo) / (hi - lo)

    body, spots = [], []
    for i, (name, total) in enumerate(totals.items()):
        top = 4 + i * row
        bar_top = top + (14 if above else 3)
        if above:
            body.append(f"<text x='{left:.1f}' y='{top + 10}'>{esc(name)}</text>")
        else:
            body.append(f"<text x='{left - 6:.1f}' y='{top + 14}' text-anchor='end'>{esc(name)}</text>")
        start = 0.0
        for s in stacks:
            v = float(parts.get((name, s), 0.0))
            if not v:
                continue
            x0, x1 = sorted((sx(start), sx(start + v)))
            body.append(
                f"<rect x='{x0:.1f}' y='{bar_top}' width='{max(x1 - x0, 0.5):.1f}' height='16' fill='{colour[s]}'/>"
            )
            what = str(name) + (f" · {s}" if s is not None else "")
            spots.append((x0, bar_top, max(x1, x0 + 4), bar_top + 16, f"{what} : {fmt.number(v, decimals)}{suffix}"))
            start += v
        body.append(
            f"<text x='{sx(max(float(total), 0.0)) + 4:.1f}' y='{bar_top + 12}'>{esc(fmt.number(total, decimals))}</text>"
        )
    height = 8 + len(totals) * row + 18
    body.append(f"<line x1='{sx(0.0):.1f}' x2='{sx(0.0):.1f}' y1='2' y2='{height - 20}' stroke='#8a8d99'/>")
    body.append(f"<text x='{(left + right) / 2:.1f}' y='{height - 4}' text-anchor='middle'>{esc(value_title)}</text>")
    legend = [(s, colour[s]) for s in stacks] if stack else []
    return _figure(title, _drawing(width, height, title, body, spots, inline), legend)
