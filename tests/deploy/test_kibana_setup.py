"""`rasid kibana setup` against a small real HTTP server standing in for Kibana's saved objects API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import typer
from typer.testing import CliRunner

from rasid.cli.kibana import kibana_app
from rasid.kibana.saved_objects import from_ndjson
from rasid.settings import Settings, get_settings

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Upload:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    filename: str | None
    content_type: str | None
    objects: list[dict[str, Any]]


@dataclass
class FakeKibana:
    """Records every import; answers like Kibana 8 (per-object errors for unresolved references)."""

    url: str = ""
    uploads: list[Upload] = field(default_factory=list)
    starting_answers: int = 0  # how many /api/status calls answer 503 before "available"
    status_calls: int = 0


def _handler(state: FakeKibana) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            if urlsplit(self.path).path != "/api/status":
                return self._json(404, {"statusCode": 404})
            state.status_calls += 1
            if state.status_calls <= state.starting_answers:
                return self._json(503, {"status": {"overall": {"level": "unavailable"}}})
            return self._json(200, {"status": {"overall": {"level": "available"}}})

        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            if not parts.path.endswith("/api/saved_objects/_import"):
                return self._json(404, {"statusCode": 404})
            if self.headers.get("kbn-xsrf") is None:
                return self._json(400, {"statusCode": 400, "message": "Request must contain a kbn-xsrf header."})
            body = self.rfile.read(int(self.headers["content-length"]))
            message = BytesParser(policy=HTTP).parsebytes(
                f"content-type: {self.headers['content-type']}\r\n\r\n".encode() + body)
            files = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition") == "file"]
            if len(files) != 1:
                return self._json(400, {"statusCode": 400, "message": "expected one 'file' part"})
            part = files[0]
            objects = from_ndjson(part.get_payload(decode=True).decode("utf-8"))
            state.uploads.append(Upload(parts.path, parse_qs(parts.query), dict(self.headers), part.get_filename(),
                                        part.get_content_type(), objects))
            known = {(o["type"], o["id"]) for o in objects}
            errors = []
            for obj in objects:
                missing = [r for r in obj.get("references", []) if (r["type"], r["id"]) not in known]
                if missing:
                    errors.append({"id": obj["id"], "type": obj["type"], "meta": {"title": obj["attributes"].get("title")},
                                   "error": {"type": "missing_references",
                                             "references": [{"type": r["type"], "id": r["id"]} for r in missing]}})
            self._json(200, {"success": not errors, "successCount": len(objects) - len(errors), "errors": errors})

    return Handler


@pytest.fixture
def kibana() -> Iterator[FakeKibana]:
    state = FakeKibana()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def run_cli(args: list[str], env: dict[str, str]):  # noqa: ANN201
    app = typer.Typer()
    app.add_typer(kibana_app, name="kibana")
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, ["kibana", *args], env=env)
    finally:
        get_settings.cache_clear()


def env_for(kibana: FakeKibana, **extra: str) -> dict[str, str]:
    return {"RASID_KIBANA_URL": kibana.url, **extra}


def test_setup_uploads_every_object_as_one_multipart_ndjson_with_overwrite(kibana: FakeKibana) -> None:
    result = run_cli(["setup"], env_for(kibana))
    assert result.exit_code == 0, result.output
    assert len(kibana.uploads) == 1
    upload = kibana.uploads[0]
    assert upload.path == "/api/saved_objects/_import"
    assert upload.query == {"overwrite": ["true"]}
    assert upload.filename.endswith(".ndjson")
    committed = from_ndjson((REPO / "deploy/kibana/rasid.ndjson").read_text(encoding="utf-8"))
    assert {(o["type"], o["id"]) for o in upload.objects} == {(o["type"], o["id"]) for o in committed}
    assert [o["type"] for o in upload.objects].count("index-pattern") == 3
    assert json.loads(result.stdout.strip().splitlines()[-1])["imported"] == len(committed)


def test_data_views_follow_the_configured_index_names(kibana: FakeKibana, tmp_path: Path) -> None:
    result = run_cli(["setup"], env_for(kibana, RASID_INDEX_ARTICLES="news-ar", RASID_INDEX_THREATS="news-threats",
                                        RASID_INDEX_ALERTS="news-alerts"))
    assert result.exit_code == 0, result.output
    titles = {o["id"]: o["attributes"]["title"] for o in kibana.uploads[0].objects if o["type"] == "index-pattern"}
    assert titles == {"rasid-articles": "news-ar", "rasid-threats": "news-threats", "rasid-alerts": "news-alerts"}


def test_setup_waits_for_a_starting_kibana(kibana: FakeKibana) -> None:
    kibana.starting_answers = 2
    result = run_cli(["setup", "--wait", "30"], env_for(kibana))
    assert result.exit_code == 0, result.output
    assert kibana.status_calls == 3 and len(kibana.uploads) == 1


def test_objects_kibana_cannot_resolve_are_reported_and_the_command_fails(kibana: FakeKibana, tmp_path: Path) -> None:
    lines = (REPO / "deploy/kibana/rasid.ndjson").read_text(encoding="utf-8").splitlines()
    without_threats_view = [line for line in lines if json.loads(line)["id"] != "rasid-threats"]
    broken = tmp_path / "broken.ndjson"
    broken.write_text("\n".join(without_threats_view) + "\n", encoding="utf-8")

    result = run_cli(["setup", "--file", str(broken)], env_for(kibana))
    assert result.exit_code == 3
    assert "missing references index-pattern:rasid-threats" in result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["success"] is False and summary["imported"] < summary["objects"]


def test_an_unreachable_kibana_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli(["setup"], {"RASID_KIBANA_URL": "http://127.0.0.1:9"})
    assert result.exit_code == 1
    assert "cannot reach Kibana at http://127.0.0.1:9" in result.output


def test_the_committed_ndjson_is_what_export_prints_for_the_default_indices() -> None:
    from rasid.kibana.saved_objects import saved_objects, to_ndjson

    committed = (REPO / "deploy/kibana/rasid.ndjson").read_text(encoding="utf-8")
    assert committed == to_ndjson(saved_objects(Settings(_env_file=None)))  # type: ignore[call-arg]
