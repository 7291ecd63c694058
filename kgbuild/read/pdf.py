"""PDF → the lines of an article: the only module that imports pypdfium2.

Text comes in the order the page draws it (pdfium's text page), one line per printed line, with
its box. Then what is not the text is removed and what print broke is joined again:

* running headers and footers: lines in the top or bottom margin band that recur, digits aside,
  on at least half of the pages (two at least), and page numbers (3, - 3 -, — 3 —, 第3页, 3/10,
  第 3 页 共 10 页) in those bands;
* a paragraph's lines, across a line or a page break: a line that reaches the right margin goes
  on in the next line unless the next is indented (a Chinese paragraph opens with a two-character
  indent) or starts with a section number (二、 （三）) — short lines (headings, last lines, table
  rows) end where they end;
* tables: the cells of a row, printed on one line, come as one line with spaces between them.

Measured against pdfplumber on the same generated PDFs (bench/readers.py): pdfplumber read no
text at all from fpdf2's CJK PDFs, gave Kangxi radicals for common characters in Chromium's
(⼯ for 工, ⼒ for 力) and took about 10× as long; pypdfium2 read both exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pypdfium2 as pdfium

from ..errors import InputError

PAGE_NUMBER = re.compile(r"^[-—–－_·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_·\s]*$")
SECTION = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、．]|第[一二三四五六七八九十\d]+[章节条部分])")
MARGIN_BAND = 0.1            # the top and bottom tenth of a page: where running heads and feet are
JUNK_TITLES = re.compile(r"^(?:about:blank|untitled|无标题|microsoft word\b|wps\b|document\d*$|文档\d*$)|\.(?:docx?|pdf|wps)$", re.I)


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float               # from the top of the page, in points
    height: float            # the page's


@dataclass(frozen=True)
class PdfText:
    title: str | None        # from the document information, when it is a real title
    lines: tuple[str, ...]   # paragraphs, headings and table rows, in reading order
    date: datetime | None    # never taken from the file's creation date: that is not when it was published


def _lines(doc: pdfium.PdfDocument) -> list[Line]:
    out: list[Line] = []
    for n in range(len(doc)):
        page = doc[n]
        height = page.get_height()
        tp = page.get_textpage()
        text = tp.get_text_range()
        i = 0
        for raw in text.split("\r\n"):
            boxes = [tp.get_charbox(j) for j in range(i, i + len(raw)) if not raw[j - i].isspace()]
            i += len(raw) + 2
            if raw.strip() and boxes:
                out.append(Line(n, raw.strip(), min(b[0] for b in boxes), max(b[2] for b in boxes),
                                height - max(b[3] for b in boxes), height))
        tp.close()
        page.close()
    return out


def _furniture(lines: list[Line], pages: int) -> set[int]:
    """Indexes of running headers, footers and page numbers."""
    def in_band(x: Line) -> bool:
        return x.top < x.height * MARGIN_BAND or x.top > x.height * (1 - MARGIN_BAND)
    shape = Counter((re.sub(r"\d+", "#", x.text), round(x.top / 5)) for x in {(x.page, x.text): x for x in lines}.values()
                    if in_band(x))
    recurring = {s for s, c in shape.items() if pages >= 2 and c >= max(2, pages / 2)}
    return {i for i, x in enumerate(lines) if in_band(x) and
            (PAGE_NUMBER.match(x.text) or (re.sub(r"\d+", "#", x.text), round(x.top / 5)) in recurring)}


def _paragraphs(lines: list[Line]) -> list[str]:
    if not lines:
        return []
    widths = sorted((x.x1 - x.x0) / max(len(x.text), 1) for x in lines if len(x.text) >= 4)
    em = widths[len(widths) // 2] if widths else 10.0          # about one character
    left = min(x.x0 for x in lines)
    right = max(x.x1 for x in lines if len(x.text) >= 10) if any(len(x.text) >= 10 for x in lines) else max(x.x1 for x in lines)
    out: list[str] = []
    full = False
    for x in lines:
        indented = x.x0 > left + 1.2 * em
        if out and full and not indented and not SECTION.match(x.text):
            prev = out[-1]
            sep = " " if re.search(r"[A-Za-z,.;:]$", prev) and re.match(r"[A-Za-z0-9]", x.text) else ""   # 90|0家 → 900家
            out[-1] = prev + sep + x.text
        else:
            out.append(x.text)
        full = x.x1 >= right - 2.5 * em
    return out


def read_pdf(data: bytes, path: str) -> PdfText:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise InputError(path, f"not a readable PDF ({e})") from None
    try:
        meta = doc.get_metadata_dict(skip_empty=True)
        lines = _lines(doc)
        drop = _furniture(lines, len(doc))
    finally:
        doc.close()
    body = [x for i, x in enumerate(lines) if i not in drop]
    if not body:
        raise InputError(path, "the PDF has no text layer (a scan?): run OCR on it first, e.g. ocrmypdf -l chi_sim")
    title = (meta.get("Title") or "").strip()
    return PdfText(title=None if not title or JUNK_TITLES.search(title) else title,
                   lines=tuple(_paragraphs(body)), date=None)
