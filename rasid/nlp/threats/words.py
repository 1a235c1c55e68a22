"""A sentence as a list of words with normalised, clitic-stripped forms (the extractor's view of text)."""

from __future__ import annotations

from dataclasses import dataclass

from rasid.nlp.clitics import proclitic_splits
from rasid.nlp.normalizer import normalize
from rasid.nlp.threats.lexicon import PUNCT
from rasid.nlp.tokenizer import tokenize


@dataclass(frozen=True, slots=True)
class Word:
    """A token of the field: offsets into the field's original text."""

    text: str
    start: int
    end: int
    norm: str
    bases: tuple[str, ...]  # the normalised word and each proclitic-stripped base
    has_conjunction: bool

    @property
    def is_punct(self) -> bool:
        return self.norm in PUNCT or not any(ch.isalnum() for ch in self.norm)


def words_of(text: str, offset: int = 0) -> list[Word]:
    """Words of `text` (a sentence), offsets shifted by `offset` into the field."""
    out: list[Word] = []
    for tok in tokenize(text):
        norm = normalize(tok.text)
        splits = proclitic_splits(norm) if len(norm) > 2 else (("", norm),)
        bases = tuple(dict.fromkeys([norm, *(base for _, base in splits)]))
        conj = norm[:1] in ("و", "ف") and len(norm) > 3
        out.append(Word(tok.text, tok.start + offset, tok.end + offset, norm, bases, conj))
    return out
