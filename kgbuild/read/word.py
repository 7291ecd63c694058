"""Word documents → the lines of an article: the only module that imports python-docx.

.docx: the body's paragraphs and tables in document order (headers, footers and comments are
other parts of the file and stay out). A paragraph styled as a heading (Heading 1–9, Title, or
an outline level) is marked so, for the section rules; a line break inside a paragraph makes two
lines; a table row is one line, its cells (merged cells once) joined by spaces.

.doc (Word 97–2003) is converted first, by LibreOffice (`soffice --headless --convert-to docx`)
when it is installed, else by antiword (plain text); without either it is reported as unsupported
with the command that converts it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..errors import InputError

CONVERT_TIMEOUT = 120


@dataclass(frozen=True)
class WordText:
    title: str | None
    lines: tuple[tuple[str, bool], ...]     # (text, marked as a heading), in document order
    date: datetime | None


def _is_heading(p: Paragraph) -> bool:
    style = p.style
    while style is not None:
        name = (style.name or "").lower()
        if name.startswith("heading") or name in ("title", "subtitle") or name.startswith("标题"):
            return True
        style = style.base_style
    ppr = p._p.pPr
    return ppr is not None and ppr.find(qn("w:outlineLvl")) is not None


def _row(cells) -> str:
    seen, out = set(), []
    for c in cells:
        if id(c._tc) in seen:                   # a merged cell appears once per grid column it spans
            continue
        seen.add(id(c._tc))
        t = " ".join(x.strip() for x in c.text.split("\n") if x.strip())
        if t:
            out.append(t)
    return " ".join(out)


def _body(d: Document) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for item in d.iter_inner_content():
        if isinstance(item, Paragraph):
            heading = _is_heading(item)
            out.extend((t, heading) for t in item.text.split("\n") if t.strip())
        elif isinstance(item, Table):
            out.extend((r, False) for r in (_row(row.cells) for row in item.rows) if r)
    return out


def _docx(data: bytes, path: str) -> WordText:
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises zipfile, KeyError and lxml errors for damaged files
        raise InputError(path, f"not a readable .docx ({e.__class__.__name__}: {e})") from None
    lines = _body(d)
    cp = d.core_properties
    if not lines:
        raise InputError(path, "the .docx has no text in its body")
    title = (cp.title or "").strip() or None      # else the feed's title, else the first line (parse.py)
    return WordText(title=title, lines=tuple(lines), date=None)


def _convert_doc(data: bytes, path: str) -> WordText:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if not (soffice or antiword):
        raise InputError(path, "unsupported: a Word 97–2003 .doc file and no converter is installed; convert it "
                               f"with `soffice --headless --convert-to docx {Path(path).name}` (Debian: apt-get install "
                               "libreoffice-writer-nogui) or `antiword`, or save it as .docx")
    with tempfile.TemporaryDirectory(prefix="kgbuild-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        try:
            if soffice:
                subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                                "docx", "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
                return _docx((Path(tmp) / "in.docx").read_bytes(), path)
            text = subprocess.run([antiword, "-w", "0", "-m", "UTF-8.txt", str(src)], check=True, capture_output=True,
                                  timeout=CONVERT_TIMEOUT).stdout.decode("utf-8", "replace")
        except (subprocess.SubprocessError, OSError) as e:
            raise InputError(path, f"the .doc could not be converted ({e.__class__.__name__}: {e})") from None
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return WordText(title=lines[0] if lines else None, lines=tuple((x, False) for x in lines), date=None)


def read_word(data: bytes, path: str, fmt: str) -> WordText:
    return _docx(data, path) if fmt == "docx" else _convert_doc(data, path)

