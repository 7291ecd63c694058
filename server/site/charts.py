"""Server-side SVG charts (no JavaScript, no external service)."""

from __future__ import annotations

from markupsafe import Markup, escape


def bars(items: list[tuple[str, int]], title: str, width: int = 560, bar: int = 22) -> Markup:
    """A horizontal bar chart as inline SVG, labels escaped."""
    if not items:
        return Markup("")
    top = max(n for _, n in items) or 1
    # room for the longest label: CJK characters about 12 px wide at this size, others about 7
    longest = max(sum(12 if ord(c) > 0x2E80 else 7 for c in label) for label, _ in items)
    label_w, gap = max(60, min(240, longest + 14)), 6
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


STATUS_COLOUR = {"met": "#1a7f37", "missed": "#c0392b", "undetermined": "#8a6d00", "notReported": "#667"}
STATUS_MARK = {"met": "✓", "missed": "✗", "undetermined": "?", "notReported": "…"}


PROGRESS_COLOUR = {"onTrack": "#1a7f37", "targetAchieved": "#1a7f37", "moderateProgress": "#b26b00",
                   "limitedProgress": "#c0392b", "deterioration": "#7b1f1f", "undetermined": "#667"}


def tracker(series: list[dict], title: str, unit: str, width: int = 640, height: int = 300, path: dict | None = None) -> Markup:
    """Target against outcome, year by year, as inline SVG: a target is a point (a plain figure),
    a band (a range, or a tolerance for "about"), or a bar from the floor up (以上) or from the
    ceiling down (以内); the reported value is a dot; the verdict is marked above each year.

    series: [{"year": 2015, "lo": 7, "hi": 7, "shape": point|band|floor|ceiling,
              "outcome": 6.9 or None, "status": met|missed|undetermined|notReported}]"""
    if not series and not path:
        return Markup("")
    years = sorted({s["year"] for s in series} | (set(range(path["from"][0], path["to"][0] + 1)) if path else set()))
    values = [v for s in series for v in (s["lo"], s["hi"], s["outcome"]) if v is not None]
    if path:
        values += [path["from"][1], path["to"][1]] + [v for _, v, _ in path["points"]]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1
    lo, hi = lo - pad, hi + pad
    left, right, top, bottom = 64, 16, 40, 44
    pw, ph = width - left - right, height - top - bottom
    step = pw / max(1, len(years))
    x = lambda y: left + step * (years.index(y) + 0.5)              # noqa: E731
    yv = lambda v: top + ph * (1 - (v - lo) / (hi - lo))           # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tracker" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">', f"<title>{escape(title)}</title>",
           f'<text x="0" y="16" font-size="13" fill="#1d2330">{escape(title)}</text>']
    for i in range(5):                                              # value grid
        v = lo + (hi - lo) * i / 4
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{yv(v):.1f}" y2="{yv(v):.1f}" stroke="#e4e6ee"/>')
        out.append(f'<text x="{left - 6}" y="{yv(v) + 4:.1f}" font-size="11" text-anchor="end" fill="#667">'
                   f'{escape(_short(v))}{escape(unit)}</text>')
    bw = min(28, step * 0.5)
    for s in series:
        cx = x(s["year"])
        out.append(f'<text x="{cx:.1f}" y="{height - bottom + 18}" font-size="11" text-anchor="middle" fill="#333">{s["year"]}</text>')
        shape = s["shape"]
        if shape == "point":
            out.append(f'<line x1="{cx - bw / 2:.1f}" x2="{cx + bw / 2:.1f}" y1="{yv(s["lo"]):.1f}" y2="{yv(s["lo"]):.1f}" '
                       f'stroke="#2952a3" stroke-width="3"><title>目标 target {escape(_short(s["lo"]))}{escape(unit)}</title></line>')
        else:
            a = s["lo"] if shape in ("band", "floor") else lo
            b = s["hi"] if shape in ("band", "ceiling") else hi
            out.append(f'<rect class="target-band" x="{cx - bw / 2:.1f}" y="{yv(b):.1f}" width="{bw:.1f}" '
                       f'height="{max(2, yv(a) - yv(b)):.1f}" fill="#2952a3" fill-opacity="0.25" stroke="#2952a3">'
                       f'<title>目标 target {escape(s.get("label", ""))}</title></rect>')
        if s["outcome"] is not None:
            colour = STATUS_COLOUR.get(s["status"], "#333")
            out.append(f'<circle class="outcome" cx="{cx:.1f}" cy="{yv(s["outcome"]):.1f}" r="5" fill="{colour}">'
                       f'<title>实际 reported {escape(_short(s["outcome"]))}{escape(unit)}</title></circle>')
        mark = STATUS_MARK.get(s["status"], "")
        out.append(f'<text class="verdict" x="{cx:.1f}" y="{top - 8}" font-size="13" text-anchor="middle" '
                   f'fill="{STATUS_COLOUR.get(s["status"], "#333")}">{mark}<title>{escape(s["status"])}</title></text>')
    if path:                     # a multi-year target: the path from the baseline to the target, and the values so far
        (y0, v0), (y1, v1) = path["from"], path["to"]
        out.append(f'<line class="progress-path" x1="{x(y0):.1f}" y1="{yv(v0):.1f}" x2="{x(y1):.1f}" y2="{yv(v1):.1f}" '
                   f'stroke="#2952a3" stroke-dasharray="6 4" stroke-width="2"><title>路径 path {y0}–{y1}: '
                   f'{escape(_short(v0))} → {escape(_short(v1))}{escape(unit)}</title></line>')
        for y, v, st in path["points"]:
            out.append(f'<rect class="progress" x="{x(y) - 5:.1f}" y="{yv(v) - 5:.1f}" width="10" height="10" '
                       f'fill="{PROGRESS_COLOUR.get(st, "#333")}"><title>{y} {escape(_short(v))}{escape(unit)} · {escape(st)}</title></rect>')
    ly = height - 10
    out.append(f'<rect x="{left}" y="{ly - 9}" width="14" height="9" fill="#2952a3" fill-opacity="0.25" stroke="#2952a3"/>'
               f'<text x="{left + 18}" y="{ly}" font-size="11" fill="#333">目标 target</text>'
               f'<circle cx="{left + 110}" cy="{ly - 4}" r="5" fill="#1a7f37"/>'
               f'<text x="{left + 120}" y="{ly}" font-size="11" fill="#333">实际 reported (✓ 实现 met · ✗ 未实现 missed)</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _short(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")
