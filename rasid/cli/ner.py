"""`rasid ner …`: train and run the Arabic entity model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

ner_app = typer.Typer(help="Train and run the Arabic entity model.", no_args_is_help=True)

_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@ner_app.command("train")
def train_command(
    train: Annotated[Path, typer.Option(help="Labelled CoNLL training file.")] = _SHARED / "ner" / "train.conll",
    news: Annotated[
        Path, typer.Option(help="Raw news (JSON lines) for clusters and institution names.")
    ] = _SHARED / "news" / "ant-articles.jsonl",
    out: Annotated[Path | None, typer.Option(help="Model directory (default: inside the package).")] = None,
    dev_only: Annotated[bool, typer.Option("--dev-only", help="Only score on the dev split; ship nothing.")] = False,
) -> None:
    """Train the entity model from TRAIN (+ clusters from NEWS) and write it into the package."""
    from rasid.nlp.ner.model_files import MODEL_DIR
    from rasid.nlp.ner.training import train_model

    for path in (train, news):
        if not path.exists():
            raise typer.BadParameter(f"{path} does not exist")
    train_model(train, news, out or MODEL_DIR, ship=not dev_only, log=lambda m: typer.echo(m, err=True))


@ner_app.command("spellings")
def spellings_command(
    news: Annotated[Path, typer.Option(help="Raw news (JSON lines with title/summary/text).")] = (
        _SHARED / "news" / "ant-articles.jsonl"),
    out: Annotated[Path | None, typer.Option(help="Model directory (default: inside the package).")] = None,
) -> None:
    """Learn how entity names are written in NEWS, so aggregation keys read as Arabic (run after `train`)."""
    import json

    from rasid.nlp.ner.model_files import MODEL_DIR
    from rasid.nlp.ner.name_spelling import SPELLINGS_FILE, mine_table, write_spellings

    if not news.exists():
        raise typer.BadParameter(f"{news} does not exist")

    def texts():
        with news.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                row = json.loads(line)
                yield "\n".join(str(row.get(field) or "") for field in ("title", "summary", "text"))
                if number % 500 == 0:
                    typer.echo(f"{number} articles read", err=True)

    table = mine_table(texts())
    directory = out or MODEL_DIR
    write_spellings(directory, table)
    typer.echo(f"{len(table)} spellings written to {directory / SPELLINGS_FILE}", err=True)


def _first_column(line: str) -> str:
    return line.split("\t", 1)[0].strip() if "\t" in line else line.split()[0]


@ner_app.command("tag")
def tag_command() -> None:
    """Read CoNLL-like text on stdin (token in column 1), write `token<TAB>tag` lines, blank lines kept.

    The input is read as one stream of neighbouring sentences, so the model's
    document memory (a name tagged consistently where it recurs) applies.
    """
    from rasid.nlp.ner.tagger import default_tagger

    lines = sys.stdin.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    layout: list[int] = []  # per line: -1 for a blank line, else the sentence index
    sentences: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            layout.append(-1)
            continue
        current.append(_first_column(line.rstrip("\r")))
        layout.append(len(sentences))
    if current:
        sentences.append(current)
    tags = default_tagger().tag_document(sentences)
    out: list[str] = []
    position = [0] * len(sentences)
    for index in layout:
        if index < 0:
            out.append("")
            continue
        i = position[index]
        position[index] += 1
        out.append(f"{sentences[index][i]}\t{tags[index][i]}")
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))
