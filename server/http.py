"""The HTTP server: waitress, with request framing held to RFC 9112.

waitress reads a request that carries both Content-Length and Transfer-Encoding by its chunked
body (as RFC 9112 §6.1 allows) but keeps the connection open, so bytes a front proxy counted by
Content-Length can run here as a second, smuggled request. Such a request, and an HTTP/1.0
request with Transfer-Encoding (whose framing §6.1 calls faulty), are answered 400 and the
connection closed.
"""

from __future__ import annotations

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import create_server


class StrictParser(HTTPRequestParser):
    def parse_header(self, header_plus: bytes) -> None:
        te = any(line.split(b":", 1)[0].strip().lower() == b"transfer-encoding"
                 for line in header_plus.split(b"\r\n")[1:])
        super().parse_header(header_plus)
        if te and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("Content-Length together with Transfer-Encoding (RFC 9112 section 6.1)")
        if te and self.version == "1.0":
            raise ParsingError("Transfer-Encoding in an HTTP/1.0 request (RFC 9112 section 6.1)")


class StrictChannel(HTTPChannel):
    parser_class = StrictParser


def server(app, host: str, port: int, threads: int, connection_limit: int, channel_timeout: int):
    """A waitress server for APP with strict framing; raises OSError when it cannot listen."""
    s = create_server(app, host=host, port=port, threads=threads, ident="kgserve",
                      connection_limit=connection_limit, channel_timeout=channel_timeout)
    s.channel_class = StrictChannel
    return s
