"""`rasid ner …`: train and run the entity model."""

from __future__ import annotations

import typer

ner_app = typer.Typer(help="Train and run the Arabic entity model.", no_args_is_help=True)
