"""Real local receivers for notifier tests: an HTTP server and a minimal SMTP server, in threads."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class HttpReceiver:
    """Records every POST; answers with `statuses` in turn (then the last one), after `delay` seconds."""

    statuses: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                with lock:
                    receiver.calls.append(Call(self.path, dict(self.headers), json.loads(raw or b"null")))
                    status = receiver.statuses[min(len(receiver.calls) - 1, len(receiver.statuses) - 1)]
                if receiver.delay:
                    time.sleep(receiver.delay)
                body = b'{"ok": true}' if status < 400 else b'{"error": "nope"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self) -> "HttpReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class SmtpReceiver:
    """Just enough SMTP (RFC 5321) to accept messages: HELO/EHLO, MAIL, RCPT, DATA, QUIT."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        receiver = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self) -> None:
                self.reply("220 test ESMTP")
                sender, rcpts = "", []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb in ("HELO", "EHLO"):
                        self.reply("250 test")
                    elif verb == "MAIL":
                        sender, rcpts = command.split(":", 1)[1].strip(" <>"), []
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        rcpts.append(command.split(":", 1)[1].strip(" <>"))
                        self.reply("250 ok")
                    elif verb == "DATA":
                        self.reply("354 go ahead")
                        data = b""
                        while True:
                            chunk = self.rfile.readline()
                            if chunk in (b".\r\n", b".\n", b""):
                                break
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        receiver.messages.append(message_from_bytes(data, policy=policy.default))
                        receiver.envelopes.append((sender, rcpts))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "SmtpReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
