#!/usr/bin/env python3
"""Container health check for Rasid's stages: can this container reach what its stage needs?

    rasid-healthcheck kafka                 # producer, processor
    rasid-healthcheck kafka elasticsearch   # sink

Exit 0 when every named dependency answers, 1 otherwise (the reason on stderr). Standard library only, so it
runs in any image; reads the same RASID_* variables as Rasid. If the stage itself dies, the container exits
and `restart: unless-stopped` brings it back; this check catches a stage cut off from its servers.
"""

from __future__ import annotations

import base64
import os
import socket
import sys
import urllib.request

TIMEOUT_S = 5.0


def kafka_reachable() -> str | None:
    """None when a bootstrap server accepts a TCP connection, else why not."""
    servers = os.environ.get("RASID_KAFKA_BOOTSTRAP", "127.0.0.1:19092").split(",")
    errors = []
    for server in servers:
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=TIMEOUT_S):
                return None
        except (OSError, ValueError) as exc:
            errors.append(f"{server.strip()}: {exc}")
    return "no Kafka bootstrap server answers (" + "; ".join(errors) + ")"


def elasticsearch_reachable() -> str | None:
    """None when the cluster health is green or yellow, else why not."""
    url = os.environ.get("RASID_ELASTICSEARCH_URL", "http://127.0.0.1:19200").rstrip("/")
    request = urllib.request.Request(f"{url}/_cluster/health")
    user = os.environ.get("RASID_ELASTICSEARCH_USERNAME")
    if user:
        token = base64.b64encode(f"{user}:{os.environ.get('RASID_ELASTICSEARCH_PASSWORD', '')}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"Elasticsearch at {url}: {exc}"
    if '"status":"red"' in body.replace(" ", ""):
        return f"Elasticsearch at {url} is red"
    return None


CHECKS = {"kafka": kafka_reachable, "elasticsearch": elasticsearch_reachable}


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in CHECKS]
    if not argv or unknown:
        print(f"usage: rasid-healthcheck {{{'|'.join(CHECKS)}}}…", file=sys.stderr)
        return 2
    problems = [problem for problem in (CHECKS[name]() for name in argv) if problem]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
