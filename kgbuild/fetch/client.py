"""A polite HTTP client: the only module that imports httpx (and protego, for robots.txt).

Per request: robots.txt of the host obeyed (fetched once per host; a 4xx robots.txt allows all,
one that cannot be fetched or answers 5xx disallows all, as RFC 9309 says); a delay between two
requests to one host (the larger of --delay and the host's Crawl-delay); retries with exponential
backoff on 429 and 5xx and on connection errors, honouring Retry-After; conditional requests
(If-None-Match, If-Modified-Since) from what the last run stored; a size cap enforced while the
body streams in; a User-Agent naming the project and its URL.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx
from protego import Protego

from .. import __version__

USER_AGENT = f"kgbuild/{__version__} (Policy Targets KG; +https://w3id.org/ptkg)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class Answer:
    url: str                       # asked for
    final_url: str                 # after redirects
    status: int                    # 200, or 304 when unchanged
    content_type: str              # the media type, lower case, parameters aside
    charset: str | None
    data: bytes
    etag: str | None
    last_modified: str | None
    started: datetime
    ended: datetime


class FetchFailed(Exception):
    """One URL could not be fetched; the message says why."""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if email.utils.parsedate_tz(value) else None
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds()) if when else None


class Client:
    def __init__(self, delay: float = 1.0, retries: int = 3, max_bytes: int = 50 * 1024 * 1024,
                 timeout: float = 30.0, user_agent: str = USER_AGENT):
        self.delay, self.retries, self.max_bytes, self.user_agent = delay, retries, max_bytes, user_agent
        self.http = httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": user_agent},
                                 max_redirects=10)
        self.robots: dict[str, Protego | None] = {}
        self.last: dict[str, float] = {}

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _host(self, url: str) -> str:
        u = urlsplit(url)
        return f"{u.scheme}://{u.netloc}"

    def _wait(self, host: str) -> None:
        rp = self.robots.get(host)
        delay = max(self.delay, float((rp.crawl_delay(self.user_agent) if rp else None) or 0))
        pause = self.last.get(host, -1e9) + delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        host = self._host(url)
        if host not in self.robots:
            self._wait(host)
            try:
                r = self.http.get(host + "/robots.txt")
                self.robots[host] = Protego.parse(r.text) if r.status_code == 200 else \
                    Protego.parse("") if 400 <= r.status_code < 500 else None
            except httpx.HTTPError:
                self.robots[host] = None
        rp = self.robots[host]
        if rp is None:
            raise FetchFailed("its robots.txt cannot be fetched (the site is unreachable or answers 5xx), "
                              "so nothing is fetched from it")
        return rp.can_fetch(url, self.user_agent)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Answer:
        """GET URL politely; FetchFailed with the reason when it cannot be had."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchFailed("not an http(s) URL")
        if not self.allowed(url):
            raise FetchFailed("robots.txt disallows it for this user agent")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self.retries + 1):
            self._wait(self._host(url))
            started = datetime.now(timezone.utc)
            try:
                return self._once(url, headers, started)
            except _Retry as e:
                if attempt == self.retries:
                    raise FetchFailed(f"{e.reason} (after {self.retries + 1} attempts)") from None
                time.sleep(min(MAX_RETRY_AFTER, e.after if e.after is not None else self.delay * 2 ** attempt))
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict, started: datetime) -> Answer:
        try:
            with self.http.stream("GET", url, headers=headers) as r:
                if r.status_code in RETRY_STATUS:
                    raise _Retry(f"HTTP {r.status_code} {r.reason_phrase}", _retry_after(r.headers.get("Retry-After")))
                if r.status_code not in (200, 304):
                    raise FetchFailed(f"HTTP {r.status_code} {r.reason_phrase}")
                size = int(r.headers.get("Content-Length") or 0)
                if size > self.max_bytes:
                    raise FetchFailed(f"it is {size} bytes; the limit is {self.max_bytes}")
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchFailed(f"it is over {self.max_bytes} bytes, the limit")
                ctype = r.headers.get("Content-Type", "")
                params = dict(p.strip().split("=", 1) for p in ctype.split(";")[1:] if "=" in p)
                return Answer(url=url, final_url=str(r.url), status=r.status_code,
                              content_type=ctype.split(";")[0].strip().lower(),
                              charset=params.get("charset", "").strip('"') or None, data=bytes(body),
                              etag=r.headers.get("ETag"), last_modified=r.headers.get("Last-Modified"),
                              started=started, ended=datetime.now(timezone.utc))
        except httpx.TooManyRedirects:
            raise FetchFailed("too many redirects") from None
        except (httpx.TransportError, httpx.DecodingError) as e:
            raise _Retry(f"{e.__class__.__name__}: {e or 'no answer'}", None) from None


class _Retry(Exception):
    def __init__(self, reason: str, after: float | None):
        self.reason, self.after = reason, after
