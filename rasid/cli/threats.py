"""`rasid threats …`: train the threat statements' learned decision layer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

threats_app = typer.Typer(help="Train the threat extractor's decision layer.", no_args_is_help=True)


@threats_app.command("train")
def train_command(
    devset: Annotated[Path | None, typer.Option(
        help="Hand-annotated sentences (JSON lines; default: tests/threats/data/threat_devset.jsonl).")] = None,
    out: Annotated[Path | None, typer.Option(help="Model file (default: inside the package).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Cross-validate only; write nothing.")] = False,
) -> None:
    """Choose regularisation and threshold by cross-validation, fit, and write the model (deterministic).

    The held-out split (heldout3) is never read. Prints the cross-validated figures; the last line is JSON.
    """
    from rasid.nlp.threats.decision import MODEL_PATH
    from rasid.nlp.threats.training import DEVSET, train

    devset = devset or DEVSET
    if not devset.exists():
        raise typer.BadParameter(f"{devset} does not exist (the dev set ships with the source tree, not the wheel)")
    train(devset, out or MODEL_PATH, dry_run=dry_run)
