"""Server-side SVG charts (no JavaScript, no external service)."""

from __future__ import annotations

from markupsafe import Markup, escape


def bars(items: list[tuple[str, int]], title: str, width: int = 560, bar: int = 22) -> Markup:
    """A horizontal bar chart as inline SVG, labels escaped."""
    if not items:
        return Markup("")
    top = max(n for _, n in items) or 1
    label_w, gap = 110, 6
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
