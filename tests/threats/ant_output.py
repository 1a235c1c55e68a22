"""What the extractor finds over the ANT sample, for reading by hand, with the held-out sentences left out.

usage: python -m tests.threats.ant_output [--articles N] [--sample K --seed S] > threats.txt

One line per threat statement: `article id|field|trigger|actor|target|sentence`. Sentences of the held-out splits
(heldout3, heldout4) are never printed, in whichever field they occur (a summary often repeats a sentence of the text),
so that reading the output, or a diff of it between two models, cannot show them. `--sample K` prints K distinct
sentences drawn at random instead of every threat (the precision samples of the session notes).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator

from rasid.nlp.enrichment import enrich
from rasid.samples.ant_corpus import article_from_ant_row
from tests.conftest import SHARED_NEWS
from tests.threats.evaluate import load

HELD_OUT = ("heldout3", "heldout4")


SHINGLE = 6  # words: a held-out sentence and another site's version of it share a run this long


def _shingles(sentence: str, sizes: set[int] | frozenset[int] = frozenset({SHINGLE})) -> set[tuple[str, ...]]:
    words = sentence.split()
    return {tuple(words[k : k + n]) for n in sizes for k in range(max(1, len(words) - n + 1))}


def held_out_shingles() -> set[tuple[str, ...]]:
    """Every run of six words of a held-out sentence (the whole sentence when shorter)."""
    return {shingle for split in HELD_OUT for row in load(split) for shingle in _shingles(row["text"])}


def _near_held_out(sentence: str, held: set[tuple[str, ...]], sizes: set[int] | None = None) -> bool:
    """The sentence shares six words in a row with a held-out one (or holds a shorter one whole): the same sentence
    cut differently, or another site's version of the same wire story. `sizes`: the shingle lengths in `held`."""
    return not _shingles(sentence, sizes or {len(shingle) for shingle in held}).isdisjoint(held)


def threat_lines(articles: int) -> Iterator[str]:
    """The extractor's threats over the first `articles` ANT articles, held-out sentences left out."""
    held = held_out_shingles()
    sizes = {len(shingle) for shingle in held}  # worked out once, not for every threat
    with SHARED_NEWS.open(encoding="utf-8") as rows:
        for k, line in enumerate(rows):
            if k >= articles:
                break
            row = json.loads(line)
            for threat in enrich(article_from_ant_row(row)).threats:
                sentence = " ".join(threat.text.split())
                if _near_held_out(sentence, held, sizes):
                    continue
                roles = [span.text if span is not None else "-" for span in (threat.trigger, threat.actor, threat.target)]
                yield "|".join([row["id"], threat.field, *roles, sentence])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="read the first N articles (default: all)")
    parser.add_argument("--sample", type=int, default=0, help="print K distinct sentences at random instead")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    lines = list(threat_lines(args.articles))
    if args.sample:
        by_sentence = {line.rsplit("|", 1)[1]: line for line in lines}
        lines = random.Random(args.seed).sample(sorted(by_sentence.values()), min(args.sample, len(by_sentence)))
    sys.stdout.write("".join(line + "\n" for line in lines))
    print(f"{len(lines)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
