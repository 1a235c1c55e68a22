"""Entry point of the `rasid` console script."""

from __future__ import annotations

import typer

from rasid.cli.elasticsearch import es_app, reindex_command
from rasid.cli.extract import extract_command
from rasid.cli.feeds import feeds_app
from rasid.cli.kibana import kibana_app
from rasid.cli.ner import ner_app
from rasid.cli.pipeline import alerts, down, processor, producer, run, sink, up
from rasid.cli.rules import rules_app
from rasid.cli.search import search
from rasid.cli.status import status
from rasid.cli.threats import threats_app
from rasid.cli.web import web

app = typer.Typer(
    help="Rasid (راصد): streaming monitor for Arabic news.",
    no_args_is_help=True,
    add_completion=False,
)
for command in (up, down, run, producer, processor, alerts, sink, search, status, web):
    app.command()(command)
app.add_typer(feeds_app, name="feeds")
app.add_typer(es_app, name="es")
app.add_typer(kibana_app, name="kibana")
app.command("reindex")(reindex_command)
app.add_typer(ner_app, name="ner")
app.add_typer(rules_app, name="rules")
app.add_typer(threats_app, name="threats")
app.command("extract")(extract_command)

if __name__ == "__main__":
    app()
