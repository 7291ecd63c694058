"""Measure the readers `kgbuild fetch` and `kgbuild build` rely on, on made-up documents (tests/madeup.py):

1. Web pages: the HTML reader with trafilatura's main text (what kgbuild uses) against the same reader
   without it (selectolax alone, the reader before), on a government page (div soup), a news page
   (semantic tags, counters inside <article>) and an old table-layout page. Per page: the plan's lines
   recovered (of 11 with the title), furniture lines kept, targets found (of the plan's 9), and targets or
   reported values taken from the furniture (must be 0).
2. PDF: pypdfium2 (what kgbuild uses) against pdfplumber (pip install pdfplumber to compare) on the plan
   printed by fpdf2 and by Chromium (print to PDF, when Debian's chromium and Playwright are there):
   characters of the plan found in order (difflib), Kangxi radicals instead of ideographs, time.

    .venv/bin/python bench/readers.py
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import madeup  # noqa: E402
from kgbuild.extract import extract, lexicon  # noqa: E402
from kgbuild.read import parse as parse_mod  # noqa: E402
from kgbuild.read.load import load_file  # noqa: E402

BODY = [madeup.TITLE] + [t for _, t in madeup.LINES]


def _html(tmp: Path, name: str, html: str, trafilatura: bool):
    f = tmp / f"{name}.html"
    f.write_text(html, encoding="utf-8")
    saved = parse_mod.main_text
    if not trafilatura:
        parse_mod.main_text = lambda _: None
    try:
        a = parse_mod.parse(load_file(f))
    finally:
        parse_mod.main_text = saved
    x = extract(a, lexicon.load())
    lines = a.text.split("\n")
    body_spans = []
    pos = 0
    for line in lines:
        if line in BODY:
            body_spans.append((pos, pos + len(line)))
        pos += len(line) + 1

    def in_body(b: int) -> bool:
        return any(s <= b < e for s, e in body_spans)
    furniture = [t for t in x.targets if not all(in_body(m.begin) for m in t.mentions)]
    furniture += [o for o in x.observations if not in_body(o.mention.begin)]
    found = {(str(t.value) if t.value is not None else f"{t.min}-{t.max}", t.unit) for t in x.targets
             if all(in_body(m.begin) for m in t.mentions)}
    return (sum(1 for b in BODY if b in lines), sum(1 for line in lines if line not in BODY),
            len(found & madeup.TARGETS), len(furniture))


def pages() -> None:
    print("Web pages: lines of the plan recovered (of 11) · furniture lines kept · plan targets found (of 9) · "
          "targets/values from furniture")
    print(f"{'page':8} {'reader':24} {'plan':>5} {'furn.':>6} {'targets':>8} {'from furn.':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, html in madeup.pages().items():
            for label, on in (("selectolax alone", False), ("selectolax + trafilatura", True)):
                r = _html(Path(tmp), name, html, on)
                print(f"{name:8} {label:24} {r[0]:>5} {r[1]:>6} {r[2]:>8} {r[3]:>11}")


def _chromium_pdf(path: Path) -> bool:
    exe = shutil.which("chromium")
    if not exe:
        return False
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return False
    paras = "".join(f"<p><b>{t}</b></p>" if h else f'<p style="text-indent:2em">{t}</p>' for h, t in madeup.LINES)
    html = f"<html><head><title>{madeup.TITLE}</title></head><body style='font-family:Noto Serif CJK SC'><h1>{madeup.TITLE}</h1>{paras}</body></html>"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe)
        page = b.new_page()
        page.set_content(html)
        page.pdf(path=str(path), format="A5")
        b.close()
    return True


def _score(text: str, seconds: float) -> str:
    want = "".join(BODY)
    got = re.sub(r"\s+", "", text)
    kangxi = sum(1 for c in got if 0x2F00 <= ord(c) <= 0x2FDF or 0x2E80 <= ord(c) <= 0x2EFF)
    ratio = difflib.SequenceMatcher(None, want, got, autojunk=False).ratio()
    nfkc = difflib.SequenceMatcher(None, unicodedata.normalize("NFKC", want), unicodedata.normalize("NFKC", got),
                                   autojunk=False).ratio()
    return f"{ratio:>8.3f} {nfkc:>10.3f} {kangxi:>7} {seconds * 1000:>8.1f}"


def pdfs() -> None:
    import pypdfium2 as pdfium
    try:
        import pdfplumber
    except ImportError:
        pdfplumber = None

    def with_pdfium(f: Path) -> str:
        d = pdfium.PdfDocument(f)
        out = "".join(d[i].get_textpage().get_text_range() for i in range(len(d)))
        d.close()
        return out

    def with_plumber(f: Path) -> str:
        with pdfplumber.open(f) as d:
            return "".join(p.extract_text() or "" for p in d.pages)

    print("\nPDF: similarity of the text to the plan (difflib ratio; headers and page numbers count against it), "
          "after NFKC, Kangxi radicals, ms per document")
    print(f"{'pdf':10} {'library':12} {'ratio':>8} {'NFKC ratio':>10} {'radicals':>7} {'ms':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        docs = {"fpdf2": Path(tmp) / "fpdf2.pdf"}
        docs["fpdf2"].write_bytes(madeup.pdf())
        if _chromium_pdf(Path(tmp) / "chromium.pdf"):
            docs["chromium"] = Path(tmp) / "chromium.pdf"
        for name, f in docs.items():
            for label, fn in (("pypdfium2", with_pdfium), ("pdfplumber", with_plumber if pdfplumber else None)):
                if fn is None:
                    print(f"{name:10} {label:12} (not installed)")
                    continue
                fn(f)
                t = time.perf_counter()
                for _ in range(5):
                    text = fn(f)
                print(f"{name:10} {label:12} {_score(text, (time.perf_counter() - t) / 5)}")


if __name__ == "__main__":
    pages()
    pdfs()
