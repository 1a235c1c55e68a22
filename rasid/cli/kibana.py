"""`rasid kibana setup|export`: data views, saved searches and the dashboard in Kibana."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from rasid.kibana.importer import KibanaError, import_saved_objects, kibana_client, kibana_url, wait_until_available
from rasid.kibana.saved_objects import from_ndjson, saved_objects, to_ndjson
from rasid.settings import get_settings

stderr = Console(stderr=True)

kibana_app = typer.Typer(help="Kibana: data views, saved searches and the Rasid dashboard.", no_args_is_help=True)


@kibana_app.command("setup")
def setup(
    file: Path = typer.Option(None, "--file", exists=True, dir_okay=False,
                              help="Import this NDJSON export instead of Rasid's objects for the configured indices."),
    space: str = typer.Option(None, help="Kibana space id (default: the default space)."),
    wait: float = typer.Option(0.0, help="Wait up to this many seconds for Kibana to be available."),
) -> None:
    """Import (overwrite) Rasid's saved objects through Kibana's saved objects API."""
    settings = get_settings()
    if file is not None:
        text = file.read_text(encoding="utf-8")
        try:
            objects = from_ndjson(text)
        except ValueError as exc:
            stderr.print(f"[red]{file}:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from exc
    else:
        objects = saved_objects(settings)
        text = to_ndjson(objects)
    try:
        with kibana_client(settings) as client:
            if wait:
                wait_until_available(client, wait)
            result = import_saved_objects(client, text.encode("utf-8"), overwrite=True, space=space)
    except KibanaError as exc:
        stderr.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(1) from exc
    for line in result.error_lines():
        stderr.print(f"[red]not imported:[/red] {line}", highlight=False)
    stderr.print(f"imported {result.success_count} of {len(objects)} saved objects into {kibana_url(settings)}",
                 highlight=False)
    typer.echo(json.dumps({"success": result.success, "imported": result.success_count, "objects": len(objects),
                           "errors": result.error_lines()}, ensure_ascii=False))
    if not result.success:
        raise typer.Exit(3)


@kibana_app.command("export")
def export() -> None:
    """Print Rasid's saved objects for the configured index names as NDJSON (deploy/kibana/rasid.ndjson)."""
    typer.echo(to_ndjson(saved_objects(get_settings())), nl=False)


if __name__ == "__main__":
    kibana_app()
