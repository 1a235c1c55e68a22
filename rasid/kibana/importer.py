"""Import saved objects through Kibana's API: `POST /api/saved_objects/_import?overwrite=true` (multipart)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from rasid.settings import Settings



class KibanaError(Exception):
    """Kibana could not be reached, or refused the import as a whole."""


@dataclass
class ImportResult:
    success: bool
    success_count: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error_lines(self) -> list[str]:
        lines = []
        for error in self.errors:
            detail = error.get("error", {})
            what = detail.get("type", "error")
            if what == "missing_references":
                refs = ", ".join(f"{r.get('type')}:{r.get('id')}" for r in detail.get("references", []))
                what = f"missing references {refs}"
            lines.append(f"{error.get('type')} {error.get('id')} ({error.get('meta', {}).get('title', '')}): {what}")
        return lines


def kibana_url(settings: Settings) -> str:
    return settings.kibana_url.rstrip("/")


def kibana_client(settings: Settings, timeout_s: float = 30.0) -> httpx.Client:
    auth = None
    if settings.elasticsearch_username:
        # Kibana accepts the same Elasticsearch user (basic auth) when security is on.
        auth = httpx.BasicAuth(settings.elasticsearch_username, settings.elasticsearch_password or "")
    # kbn-xsrf: Kibana refuses state-changing API calls without it.
    return httpx.Client(base_url=kibana_url(settings), auth=auth, timeout=timeout_s, headers={"kbn-xsrf": "rasid"})


def _space_prefix(space: str | None) -> str:
    return f"/s/{space}" if space and space != "default" else ""


def wait_until_available(client: httpx.Client, wait_s: float, poll_s: float = 1.0) -> None:
    """Wait until `GET /api/status` says Kibana is available (it answers 503 while it starts)."""
    deadline = time.monotonic() + wait_s
    last = "no answer"
    while True:
        try:
            response = client.get("/api/status")
            if response.status_code == 200:
                level = response.json().get("status", {}).get("overall", {}).get("level")
                if level in (None, "available"):
                    return
                last = f"status {level}"
            else:
                last = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            raise KibanaError(f"Kibana at {client.base_url} is not available after {wait_s:.0f}s ({last})")
        time.sleep(poll_s)


def import_saved_objects(client: httpx.Client, ndjson: bytes, overwrite: bool = True,
                         space: str | None = None) -> ImportResult:
    """Send one NDJSON file; Kibana answers per object (a missing reference fails that object only)."""
    try:
        response = client.post(
            f"{_space_prefix(space)}/api/saved_objects/_import",
            params={"overwrite": "true" if overwrite else "false"},
            files={"file": ("rasid.ndjson", ndjson, "application/ndjson")},
        )
    except httpx.TransportError as exc:
        raise KibanaError(f"cannot reach Kibana at {client.base_url}: {exc}") from exc
    if response.status_code != 200:
        raise KibanaError(f"Kibana refused the import (HTTP {response.status_code}): {response.text[:500]}")
    body = response.json()
    return ImportResult(bool(body.get("success")), int(body.get("successCount", 0)), list(body.get("errors", [])))
