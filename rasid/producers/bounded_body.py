"""Read a response body with a hard cap on the *decompressed* size, so a gzip bomb stops early.

httpx would inflate each network chunk completely (a 64 KiB chunk of a bomb is ~64 MiB); here
zlib is asked for at most the bytes still allowed, and the read ends as soon as the cap is passed.
"""

from __future__ import annotations

import zlib

from rasid.producers.feed_errors import FeedError, FeedErrorKind

ACCEPTED_ENCODINGS = "gzip, deflate"


class BoundedBody:
    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._parts: list[bytes] = []
        self._size = 0
        encoding = (content_encoding or "identity").strip().lower()
        if encoding in ("identity", ""):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, auto-detected
            self._raw_deflate_fallback = True
        else:
            raise FeedError(FeedErrorKind.UNSUPPORTED_ENCODING, f"Content-Encoding {encoding!r} was not asked for")
        self._encoding = encoding

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            what = "decompressed body" if self._inflater is not None else "body"
            raise FeedError(FeedErrorKind.TOO_LARGE, f"{what} is over the {self.max_bytes} byte cap; stopped reading")
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._inflater is None:
            self._keep(chunk)
            return
        data = chunk
        try:
            while data:
                out = self._inflater.decompress(data, self.max_bytes - self._size + 1)
                self._keep(out)
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            if self._encoding == "deflate" and self._size == 0 and getattr(self, "_raw_deflate_fallback", False):
                # Some servers send raw deflate without the zlib header.
                self._raw_deflate_fallback = False
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self.feed(chunk)
                return
            raise FeedError(FeedErrorKind.UNSUPPORTED_ENCODING, f"corrupt {self._encoding} body: {exc}") from exc

    def finish(self) -> bytes:
        if self._inflater is not None:
            self._keep(self._inflater.flush())
        return b"".join(self._parts)

    @property
    def size(self) -> int:
        return self._size
