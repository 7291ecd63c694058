"""`kgbuild fetch`: URLs → article files in OUT that `kgbuild build` reads.

Each document is saved as it came (a PDF or Word file byte for byte; a page as UTF-8 HTML, decoded
with the charset the server or the page declares), named after its final URL, with its retrieval
record beside it (NAME.EXT.retrieval.json: the URL asked for, the final URL, when, the content
type, the SHA-256 of the file and of the bytes received, and the title, date and publisher read
from the document). OUT/.fetch-state.json keeps each URL's ETag and Last-Modified, so the next run
asks conditionally and an unchanged document is not downloaded again. A URL that fails is named
with the reason and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from ..errors import InputError
from .client import Answer, Client, FetchFailed
from .sources import Wanted

TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
         "application/msword": ".doc", "text/plain": ".txt"}
SNIFF = {b"%PDF": ".pdf", b"PK\x03\x04": ".docx", b"\xd0\xcf\x11\xe0": ".doc"}
STATE = ".fetch-state.json"


@dataclass(frozen=True)
class Outcome:
    url: str
    status: str                   # fetched | unchanged | failed
    file: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class FetchReport:
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    @property
    def exit_code(self) -> int:
        """0 every URL arrived (fetched or unchanged), 3 some did, 4 none did."""
        if not self.failed:
            return 0
        return 3 if len(self.failed) < len(self.outcomes) else 4


def file_name(url: str, ext: str) -> str:
    """A file name from a URL: host and path as a slug (≤ 80 characters), a hash when it was cut or
    the URL has a query: www.example.gov.cn/art/2025/2/10/art_1.html → www-example-gov-cn-art-2025-2-10-art-1.html,
    …/plan.pdf → …-plan-pdf.pdf"""
    u = urlsplit(url)
    path = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", unquote(u.path), flags=re.I)   # plan.pdf and plan.docx stay two keys
    stem = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", f"{u.hostname or ''}{path}").strip("-").lower() or "document"
    if u.query or len(stem) > 80:
        stem = f"{stem[:70].rstrip('-')}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"
    return stem + ext


def _ext(a: Answer) -> str:
    ext = TYPES.get(a.content_type)
    if ext is None and a.content_type in ("application/octet-stream", "binary/octet-stream", "application/x-download", ""):
        ext = next((e for magic, e in SNIFF.items() if a.data.startswith(magic)), None)
    if ext is None:
        raise FetchFailed(f"its content type {a.content_type or '(none)'!r} is not a web page, PDF or Word document")
    return ext


def _html_text(a: Answer) -> bytes:
    """A page as UTF-8: the charset of the Content-Type, else of a <meta>, else UTF-8, else GB18030."""
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", a.data[:4096], re.I)
    for cs in (a.charset, m.group(1).decode("ascii") if m else None, "utf-8", "gb18030"):
        if not cs:
            continue
        try:
            return a.data.decode("gb18030" if cs.lower() in ("gb2312", "gbk") else cs).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            continue
    raise FetchFailed("the page's text is in no encoding it declares")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _describe(path: Path) -> dict:
    """Title, date and publisher as `kgbuild build` will read them; the document must be readable."""
    from ..read.load import load_file
    from ..read.parse import parse
    try:
        a = parse(load_file(path))
    except InputError as e:
        raise FetchFailed(f"it arrived but cannot be read as an article: {e.problem}") from None
    return {"title": a.title, "date": a.date.isoformat() if a.date else None, "publisher": a.publisher}


def _save(w: Wanted, a: Answer, out: Path) -> str:
    ext = _ext(a)
    data = _html_text(a) if ext == ".html" else a.data
    path = out / file_name(a.final_url, ext)
    record = {"url": w.url, "final_url": a.final_url, "retrieved": a.started.isoformat(),
              "completed": a.ended.isoformat(), "content_type": a.content_type,
              "sha256": hashlib.sha256(data).hexdigest(), "received_sha256": hashlib.sha256(a.data).hexdigest(),
              "bytes": len(a.data), "etag": a.etag, "last_modified": a.last_modified,
              "title": w.title, "date": w.date.isoformat() if w.date else None, "publisher": None}
    rec_path = path.with_name(path.name + ".retrieval.json")
    _write(path, data)
    _write(rec_path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    try:
        described = _describe(path)
    except FetchFailed:
        path.unlink(missing_ok=True)
        rec_path.unlink(missing_ok=True)
        raise
    record.update({k: v for k, v in described.items() if v})
    _write(rec_path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return path.name


def fetch(wanted: list[Wanted], out: Path, client: Client,
          progress: Callable[[Outcome], None] | None = None) -> FetchReport:
    out.mkdir(parents=True, exist_ok=True)
    state_path = out / STATE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    except ValueError:
        state = {}
    outcomes: list[Outcome] = []
    for w in dict((x.url, x) for x in wanted).values():
        known = state.get(w.url, {})
        have = known.get("file") and (out / known["file"]).is_file()
        try:
            a = client.get(w.url, known.get("etag") if have else None, known.get("last_modified") if have else None)
            if a.status == 304:
                o = Outcome(w.url, "unchanged", known["file"])
            else:
                name = _save(w, a, out)
                state[w.url] = {"file": name, "etag": a.etag, "last_modified": a.last_modified}
                o = Outcome(w.url, "fetched", name)
        except FetchFailed as e:
            o = Outcome(w.url, "failed", reason=str(e))
        outcomes.append(o)
        _write(state_path, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
        if progress:
            progress(o)
    return FetchReport(tuple(outcomes))

