"""`rasid ner …`: train and run the Arabic entity model."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

ner_app = typer.Typer(help="Train and run the Arabic entity model.", no_args_is_help=True)

_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@ner_app.command("train")
def train_command(
    train: Path = typer.Option(_SHARED / "ner" / "train.conll", help="Labelled CoNLL training file."),
    news: Path = typer.Option(_SHARED / "news" / "ant-articles.jsonl", help="Raw news (JSON lines) for word clusters."),
    out: Path | None = typer.Option(None, help="Model directory (default: inside the package)."),
    dev_only: bool = typer.Option(False, "--dev-only", help="Only score on the dev split; ship nothing."),
) -> None:
    """Train the entity model from TRAIN (+ clusters from NEWS) and write it into the package."""
    from rasid.nlp.ner.model_files import MODEL_DIR
    from rasid.nlp.ner.training import train_model

    for path in (train, news):
        if not path.exists():
            raise typer.BadParameter(f"{path} does not exist")
    train_model(train, news, out or MODEL_DIR, ship=not dev_only, log=lambda m: typer.echo(m, err=True))


@ner_app.command("tag")
def tag_command() -> None:
    """Read CoNLL-like text on stdin (token in column 1), write `token<TAB>tag` lines, blank lines kept."""
    from rasid.nlp.ner.tagger import default_tagger

    tagger = default_tagger()
    out = sys.stdout
    sentence: list[str] = []
    lines = sys.stdin.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    buffer: list[str] = []

    def flush() -> None:
        if sentence:
            for token, tag in zip(sentence, tagger.tag(sentence), strict=True):
                buffer.append(f"{token}\t{tag}")
            sentence.clear()

    for line in lines:
        stripped = line.rstrip("\r")
        if not stripped.strip():
            flush()
            buffer.append("")
            continue
        sentence.append(stripped.split("\t")[0].split()[0] if "\t" in stripped else stripped.split()[0])
    flush()
    out.write("\n".join(buffer) + ("\n" if buffer else ""))
