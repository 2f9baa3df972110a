"""Response bodies decoded (gzip; zlib deflate) without ever writing past a size cap.

deepphen.arxiv reads its responses raw and decodes them here, not through httpx: httpx
decodes a whole network read in one step, before any cap could look at the result.
"""

from __future__ import annotations

import zlib

import httpx

# Content codings read (zlib's wbits: a gzip header, a zlib header). At most two layers.
CODINGS = {"gzip": 31, "x-gzip": 31, "deflate": 15}
MAX_CODINGS = 2


class UnsupportedCoding(httpx.DecodingError):
    """A Content-Encoding deepphen does not read: the server sends it every time."""


class Decoder:
    """A body's content codings undone in turn, no layer ever writing more than ``limit``
    bytes at once: httpx decodes a whole network read in one step, and 64 KiB of gzip is
    64 MiB of zeros ("gzip, gzip": gigabytes) before any size cap could look at it."""

    def __init__(self, header: str, limit: int) -> None:
        names = [n.strip().lower() for n in header.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        unknown = [n for n in names if n not in CODINGS]
        if unknown or len(names) > MAX_CODINGS:
            raise UnsupportedCoding(f"unsupported Content-Encoding {header.strip()!r}")
        self.layers = [zlib.decompressobj(CODINGS[n]) for n in reversed(names)]
        self.limit = limit
        self.fed = False  # any byte came: an empty body (a 503's, say) is no stream cut short

    def decode(self, data: bytes | None) -> bytes:
        """The decoded bytes of the next raw ``data`` (None at the end of the body);
        OverflowError when a layer would write more than the limit, httpx.DecodingError
        when a layer's stream is not one or ends before its end."""
        end = data is None
        data = data or b""
        self.fed = self.fed or bool(data)
        for layer in self.layers:
            try:
                data = layer.decompress(data, self.limit + 1)
                if end and len(data) <= self.limit:  # all input taken: flush is its last bit
                    data += layer.flush()
            except zlib.error as exc:
                raise httpx.DecodingError(str(exc)) from exc
            if len(data) > self.limit:
                raise OverflowError(f"decoded body over {self.limit} bytes")
            if end and self.fed and not layer.eof:
                # The stream's own end never came: a body cut short (a connection dropped
                # where no length was announced) would otherwise read as a whole, shorter one.
                raise httpx.DecodingError("compressed body cut short")
        return data
