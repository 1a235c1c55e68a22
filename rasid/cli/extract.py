"""`rasid extract`: JSON lines in, entities and threats out."""

from __future__ import annotations

import json
import sys

import typer

from rasid.nlp.ner import extract_entities
from rasid.nlp.threats import extract_threats


def extract_command() -> None:
    """Read JSON lines {"id", "text"} on stdin; write {"id", "entities", "threats"} per line."""
    for line_no, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            text = str(doc["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            typer.echo(f"line {line_no}: skipped, not a JSON object with a 'text' key ({exc})", err=True)
            continue
        entities = extract_entities(text, "text")
        threats = extract_threats(text, "text", entities)
        out = {
            "id": doc.get("id"),
            "entities": [e.model_dump(include={"text", "label", "start", "end", "normalized"}) for e in entities],
            "threats": [t.model_dump() for t in threats],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
