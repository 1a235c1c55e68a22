"""A real HTTP proxy in front of Elasticsearch that answers `_bulk` like an overloaded or size-limited cluster.

noida-db never answers 429, 503 or 413; a cluster behind a load balancer does (node busy, rolling restart,
`client_max_body_size`). Everything else is forwarded unchanged to the real server.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Status line and `error.type` as Elasticsearch sends them.
ERRORS = {
    429: "es_rejected_execution_exception",
    503: "cluster_block_exception",
    413: "content_too_long_exception",
}


@dataclass
class Faults:
    refuse_first_bulks: list[int] = field(default_factory=list)  # statuses for the first bulk requests
    max_bulk_bytes: int | None = None  # larger bulk bodies get 413
    bulk_requests: int = 0
    bulk_bodies: list[int] = field(default_factory=list)  # sizes of the bulk bodies forwarded


@contextmanager
def faulty_proxy(upstream_url: str, faults: Faults) -> Iterator[str]:
    upstream = urlsplit(upstream_url)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.split("?")[0].endswith("/_bulk"):
                with lock:
                    faults.bulk_requests += 1
                    number = faults.bulk_requests
                if number <= len(faults.refuse_first_bulks):
                    return self._error(faults.refuse_first_bulks[number - 1])
                if faults.max_bulk_bytes is not None and len(body) > faults.max_bulk_bytes:
                    return self._error(413)
                with lock:
                    faults.bulk_bodies.append(len(body))
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            conn.request(self.command, self.path, body=body or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            conn.close()

        def _error(self, status: int) -> None:
            payload = json.dumps({"error": {"type": ERRORS[status], "reason": f"injected {status}"},
                                  "status": status}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
