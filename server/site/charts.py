"""Server-side SVG charts (no JavaScript, no external service)."""

from __future__ import annotations

from markupsafe import Markup, escape

from .rules import STATUS as STATUS_WORDS


def bars(items: list[tuple[str, int]], title: str, width: int = 0, bar: int = 22) -> Markup:
    """A horizontal bar chart as inline SVG, labels escaped; as wide as its labels need and at
    most 360 px, so that a phone shows it at its size (text at 12 px)."""
    if not items:
        return Markup("")
    top = max(n for _, n in items) or 1
    # room for the longest label: CJK characters about 12 px wide at this size, others about 7
    longest = max(sum(12 if ord(c) > 0x2E80 else 7 for c in label) for label, _ in items)
    label_w, gap = max(60, min(170, longest + 14)), 6
    width = width or label_w + 190
    height = 28 + len(items) * (bar + gap)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
           f'<title>{escape(title)}</title>',
           f'<text x="0" y="16" font-size="13" fill="#1d2330">{escape(title)}</text>']
    for i, (label, n) in enumerate(items):
        y = 28 + i * (bar + gap)
        w = max(2, int((width - label_w - 50) * n / top))
        out.append(f'<text x="{label_w - 8}" y="{y + bar * 0.7:.0f}" font-size="12" text-anchor="end" '
                   f'fill="#333">{escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#2952a3" rx="2"/>')
        out.append(f'<text x="{label_w + w + 6}" y="{y + bar * 0.7:.0f}" font-size="12" fill="#333">{n}</text>')
    out.append("</svg>")
    return Markup("".join(out))


STATUS_COLOUR = {"met": "#1a7f37", "missed": "#c0392b", "undetermined": "#8a6d00", "notReported": "#667",
                 "onTrack": "#1a7f37", "lagging": "#c05a00", "targetAchieved": "#1a7f37", "moderateProgress": "#8a6d00",
                 "limitedProgress": "#c05a00", "deterioration": "#c0392b"}
STATUS_MARK = {"met": "✓", "missed": "✗", "undetermined": "?", "notReported": "○", "onTrack": "↗", "lagging": "↘",
               "targetAchieved": "✓", "moderateProgress": "→", "limitedProgress": "↘", "deterioration": "↓"}
LEGEND = STATUS_WORDS                   # what the marks mean, for the legend under a chart (zh, en)


PROGRESS_COLOUR = {"onTrack": "#1a7f37", "targetAchieved": "#1a7f37", "moderateProgress": "#b26b00",
                   "limitedProgress": "#c0392b", "deterioration": "#7b1f1f", "undetermined": "#667"}


def tracker(series: list[dict], title: str, unit: str, height: int = 250, path: dict | None = None) -> Markup:
    """Target against outcome, year by year, as inline SVG drawn at the size it is read (no text
    under 12 px on a phone: a chart with many years scrolls inside its box rather than shrinking).
    A plain figure is a short line; a range, or a tolerance for "about", a band; a floor (以上) a line
    with shading and an arrow upwards, a ceiling (以内) the same downwards; the reported value a
    dot; the verdict's mark above each year. The title and the legend are the page's HTML.

    series: [{"year": 2015, "lo": 7, "hi": 7, "shape": point|band|floor|ceiling,
              "outcome": 6.9 or None, "status": met|missed|undetermined|notReported}]
    path: a multi-year target's path (tracker._paths): a dashed line from the baseline to the target,
    and a square per year's value so far, coloured by its progress status."""
    from .figures import nice_ticks, short, tick_label
    if not series and not path:
        return Markup("")
    years = sorted({s["year"] for s in series} | (set(range(path["from"][0], path["to"][0] + 1)) if path else set()))
    values = [v for s in series for v in (s["lo"], s["hi"], s["outcome"]) if v is not None]
    if path:
        values += [path["from"][1], path["to"][1]] + [v for _, v, _ in path["points"]]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 or abs(hi) * 0.1 or 1
    ticks = nice_ticks(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad)   # counts never go below 0
    lo, hi = ticks[0], ticks[-1]
    step_v = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    tick_unit = unit if unit in ("%", "‰") else ""                  # other units are named in the caption
    labels = [tick_label(v, step_v, unit) + tick_unit for v in ticks]
    left = max(44, 8 + max(sum(12 if ord(c) > 0x2E80 else 7.5 for c in t) for t in labels))
    right, top, bottom = 12, 30, 30
    width = int(left + right + 72 * len(years))
    pw, ph = width - left - right, height - top - bottom
    step = pw / max(1, len(years))
    x = lambda y: left + step * (years.index(y) + 0.5)              # noqa: E731
    yv = lambda v: top + ph * (1 - (v - lo) / (hi - lo))           # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tracker" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">', f"<title>{escape(title)}</title>",
           '<defs><linearGradient id="up" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="#2952a3" stop-opacity="0.35"/>'
           '<stop offset="1" stop-color="#2952a3" stop-opacity="0"/></linearGradient>'
           '<linearGradient id="down" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2952a3" stop-opacity="0.35"/>'
           '<stop offset="1" stop-color="#2952a3" stop-opacity="0"/></linearGradient></defs>']
    for v, text in zip(ticks, labels):                              # value grid at round steps
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{yv(v):.1f}" y2="{yv(v):.1f}" stroke="#e4e6ee"/>')
        out.append(f'<text x="{left - 6}" y="{yv(v) + 4:.1f}" font-size="12" text-anchor="end" fill="#555">{escape(text)}</text>')
    bw = min(36, step * 0.55)
    for s in series:
        cx = x(s["year"])
        out.append(f'<text x="{cx:.1f}" y="{height - bottom + 20}" font-size="12" text-anchor="middle" fill="#333">{s["year"]}</text>')
        shape = s["shape"]
        tip = escape(s.get("label", ""))
        if shape == "point":
            out.append(f'<line class="target-point" x1="{cx - bw / 2:.1f}" x2="{cx + bw / 2:.1f}" y1="{yv(s["lo"]):.1f}" '
                       f'y2="{yv(s["lo"]):.1f}" stroke="#2952a3" stroke-width="3"><title>目标 target {tip}</title></line>')
        elif shape == "band":
            out.append(f'<rect class="target-band" x="{cx - bw / 2:.1f}" y="{yv(s["hi"]):.1f}" width="{bw:.1f}" '
                       f'height="{max(3, yv(s["lo"]) - yv(s["hi"])):.1f}" fill="#2952a3" fill-opacity="0.25" stroke="#2952a3">'
                       f'<title>目标 target {tip}</title></rect>')
        else:                                                       # a floor or a ceiling: a line, shading, an arrow
            floor = shape == "floor"
            at = yv(s["lo"] if floor else s["hi"])
            depth = min(28, (at - top) if floor else (top + ph - at))
            y0 = at - depth if floor else at
            ay = at - 14 if floor else at + 14
            tri = (f"{cx - 5:.1f},{ay + 5:.1f} {cx + 5:.1f},{ay + 5:.1f} {cx:.1f},{ay - 4:.1f}" if floor else
                   f"{cx - 5:.1f},{ay - 5:.1f} {cx + 5:.1f},{ay - 5:.1f} {cx:.1f},{ay + 4:.1f}")
            out.append(f'<g class="target-{shape}"><title>目标 target {tip}</title>'
                       f'<rect x="{cx - bw / 2:.1f}" y="{y0:.1f}" width="{bw:.1f}" height="{max(0, depth):.1f}" '
                       f'fill="url(#{"up" if floor else "down"})"/>'
                       f'<line x1="{cx - bw / 2:.1f}" x2="{cx + bw / 2:.1f}" y1="{at:.1f}" y2="{at:.1f}" stroke="#2952a3" stroke-width="3"/>'
                       f'<polygon points="{tri}" fill="#2952a3"/></g>')
        if s["outcome"] is not None:
            colour = STATUS_COLOUR.get(s["status"], "#333")
            out.append(f'<circle class="outcome" cx="{cx:.1f}" cy="{yv(s["outcome"]):.1f}" r="5.5" fill="{colour}" stroke="#fff">'
                       f'<title>实际 reported {escape(short(s["outcome"], unit))}{escape(unit)}</title></circle>')
        mark = STATUS_MARK.get(s["status"], "")
        zh, en = LEGEND.get(s["status"], (s["status"], s["status"]))
        out.append(f'<text class="verdict" x="{cx:.1f}" y="{top - 10}" font-size="14" text-anchor="middle" '
                   f'fill="{STATUS_COLOUR.get(s["status"], "#333")}">{mark}<title>{escape(zh)} {escape(en)}</title></text>')
    if path:                     # a multi-year target: the path from the baseline to the target, and the values so far
        (y0, v0), (y1, v1) = path["from"], path["to"]
        for y in sorted(set(years) - {s["year"] for s in series}):     # the years only the path spans
            out.append(f'<text x="{x(y):.1f}" y="{height - bottom + 20}" font-size="12" text-anchor="middle" fill="#333">{y}</text>')
        out.append(f'<line class="progress-path" x1="{x(y0):.1f}" y1="{yv(v0):.1f}" x2="{x(y1):.1f}" y2="{yv(v1):.1f}" '
                   f'stroke="#2952a3" stroke-dasharray="6 4" stroke-width="2"><title>路径 path {y0}–{y1}: '
                   f'{escape(short(v0, unit))} → {escape(short(v1, unit))}{escape(unit)}</title></line>')
        for y, v, st in path["points"]:
            out.append(f'<rect class="progress" x="{x(y) - 5:.1f}" y="{yv(v) - 5:.1f}" width="10" height="10" '
                       f'fill="{PROGRESS_COLOUR.get(st, "#333")}"><title>{y} {escape(short(v, unit))}{escape(unit)} · {escape(st)}</title></rect>')
    out.append("</svg>")
    return Markup("".join(out))


def legend(statuses: set[str], shapes: set[str]) -> Markup:
    """The chart's key in HTML, both languages: the target shapes drawn and the verdict marks used."""
    keys = []
    if "point" in shapes:
        keys.append("━ 目标值 <span class=\"en\">target figure</span>")
    if "band" in shapes:
        keys.append("▮ 目标区间 <span class=\"en\">target range or “about”</span>")
    if "floor" in shapes:
        keys.append("▲ 下限（以上）<span class=\"en\">floor: at least</span>")
    if "ceiling" in shapes:
        keys.append("▼ 上限（以内）<span class=\"en\">ceiling: at most</span>")
    keys.append("● 实际 <span class=\"en\">reported</span>")
    for code in LEGEND:
        if code in statuses and code in STATUS_MARK:
            zh, en = LEGEND[code]
            keys.append(f'<b style="color:{STATUS_COLOUR[code]}">{STATUS_MARK[code]}</b> {zh} <span class="en">{en}</span>')
    return Markup("".join(f'<span class="key">{k}</span>' for k in keys))
