"""A real local news site for producer tests: the shared feeds over HTTP, article pages, hostile cases.

Feeds in ../shared/data/feeds are served with their links moved onto this server
(`/pages/<host>/<path>`), and each page is built from the article's full text in
ant-articles.jsonl (matched by URL), wrapped in navigation, aside, footer and scripts as real
article pages are. ETag and Last-Modified are honoured (304), and any path can be given a
status, headers, a delay or a redirect. Every request is logged for assertions.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SHARED_FEEDS = SHARED / "feeds"
SHARED_NEWS = SHARED / "news" / "ant-articles.jsonl"


@dataclass
class Resource:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # before the headers
    drip_s: float = 0.0  # between body chunks of 1 KiB (a slow-drip server)
    etag: bool = True
    last_modified: str | None = None
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int
    at: float  # when the server began reading it
    answering: float  # when the server began writing the response (a serial client waits for it)


def load_articles() -> dict[str, dict]:
    articles = {}
    with SHARED_NEWS.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles[record["url"]] = record
    return articles


def article_page(record: dict) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n") if p.strip())
    title = html.escape(record["title"])
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<script>window.dataLayer = [{{"page": "article"}}];</script><style>body {{ direction: rtl }}</style></head>
<body><header><nav><ul><li><a href="/">قائمة الأقسام الرئيسية للموقع</a></li><li><a href="/sport">رياضة</a></li>
<li><a href="/economy">اقتصاد</a></li><li><a href="/tech">تكنولوجيا</a></li></ul></nav></header>
<main><article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/x">اشترك في النشرة البريدية</a></li></ul></aside></main>
<footer><p>جميع الحقوق محفوظة لموقع الاختبار</p></footer>
<script>document.write("إعلان ممول من الراعي");</script></body></html>""".encode("utf-8")


class FeedSite:
    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.requests: list[Request] = []
        self.articles = load_articles()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- content -----------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base_url + path

    def local_link(self, original: str) -> str:
        parts = urlsplit(original)
        return f"{self.base_url}/pages/{parts.netloc}{parts.path}"

    def shared_feed(self, name: str) -> bytes:
        """A shared feed file with its links and guids moved onto this site."""
        text = (SHARED_FEEDS / name).read_text(encoding="utf-8")
        for original in set(_links(text)):
            text = text.replace(f">{original}<", f">{self.local_link(original)}<")
        return text.encode("utf-8")

    def serve_shared_feed(self, name: str, **options) -> str:  # noqa: ANN003
        path = f"/feeds/{name}"
        self.add(path, Resource(body=self.shared_feed(name), headers={"Content-Type": "application/rss+xml; charset=utf-8"},
                                **options))
        return self.url(path)

    def add(self, path: str, resource: Resource) -> str:
        self.resources[path] = resource
        return self.url(path)

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # -- server ------------------------------------------------------------------------------
    def start(self) -> FeedSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _page_for(self, path: str) -> Resource | None:
        if not path.startswith("/pages/"):
            return None
        rest = path[len("/pages/"):]
        for scheme in ("http://", "https://"):
            record = self.articles.get(scheme + rest)
            if record is not None:
                return Resource(body=article_page(record), headers={"Content-Type": "text/html; charset=utf-8"})
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
                return

            def do_GET(self) -> None:  # noqa: N802
                arrived = time.monotonic()
                path = unquote(urlsplit(self.path).path)
                resource = site.resources.get(path) or site._page_for(path)
                self.answering = arrived
                status = self._respond(resource)
                with site._lock:
                    site.requests.append(Request(path, dict(self.headers.items()), status, arrived, self.answering))

            def _respond(self, resource: Resource | None) -> int:
                if resource is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return 404
                if resource.delay_s:
                    time.sleep(resource.delay_s)
                if resource.handler is not None:
                    resource.handler(self)
                    return resource.status
                headers = dict(resource.headers)
                etag = f'"{hashlib.sha1(resource.body).hexdigest()[:16]}"' if resource.etag else None
                if etag:
                    headers["ETag"] = etag
                if resource.last_modified:
                    headers["Last-Modified"] = resource.last_modified
                if resource.status == 200 and (
                        (etag and self.headers.get("If-None-Match") == etag)
                        or (resource.last_modified and self.headers.get("If-Modified-Since") == resource.last_modified)):
                    self._send(304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b"")
                    return 304
                self._send(resource.status, headers, resource.body, resource.drip_s)
                return resource.status

            def _send(self, status: int, headers: dict[str, str], body: bytes, drip_s: float = 0.0) -> None:
                self.answering = time.monotonic()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if drip_s:
                        for start in range(0, len(body), 1024):
                            self.wfile.write(body[start:start + 1024])
                            self.wfile.flush()
                            time.sleep(drip_s)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def _links(text: str) -> list[str]:
    import re

    return re.findall(r"<(?:link|guid)[^>]*>(https?://[^<]+)</(?:link|guid)>", text)


def http_date(epoch: float) -> str:
    return formatdate(epoch, usegmt=True)
