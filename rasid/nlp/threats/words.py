"""A sentence as a list of words with normalised, clitic-stripped forms (the extractor's view of text)."""

from __future__ import annotations

from dataclasses import dataclass

from rasid.nlp.bounded_memo import BoundedMemo
from rasid.nlp.clitics import proclitic_splits
from rasid.nlp.normalizer import normalize
from rasid.nlp.threats.lexicon import PUNCT
from rasid.nlp.tokenizer import iter_token_spans

# A token's forms depend on its text alone, and news repeats its words: each is analysed once.
_FORMS_MEMO_SIZE = 65536


@dataclass(frozen=True, slots=True)
class WordForms:
    """What the extractor reads from a token's text, whatever its place."""

    norm: str
    bases: tuple[str, ...]  # the normalised word and each proclitic-stripped base
    has_conjunction: bool
    is_punct: bool


_forms: BoundedMemo[str, WordForms] = BoundedMemo(_FORMS_MEMO_SIZE)


def word_forms(token: str) -> WordForms:
    forms = _forms.get(token)
    if forms is None:
        norm = normalize(token)
        splits = proclitic_splits(norm) if len(norm) > 2 else (("", norm),)
        forms = _forms.remember(token, WordForms(
            norm,
            tuple(dict.fromkeys([norm, *(base for _, base in splits)])),
            norm[:1] in ("و", "ف") and len(norm) > 3,
            norm in PUNCT or not any(ch.isalnum() for ch in norm),
        ))
    return forms


@dataclass(slots=True)
class Word:
    """A token of the field: offsets into the field's original text, and its forms (shared by every
    token with the same text; only the offsets are the token's own)."""

    text: str
    start: int
    end: int
    norm: str  # the forms' own, copied: read for every word by every rule
    bases: tuple[str, ...]
    forms: WordForms

    @property
    def has_conjunction(self) -> bool:
        return self.forms.has_conjunction

    @property
    def is_punct(self) -> bool:
        return self.forms.is_punct

    @property
    def without_conjunction(self) -> str:
        """The normalised word without a leading و/ف ("وتهدد" → تهدد), else the word itself."""
        return self.bases[-1] if self.forms.has_conjunction else self.norm


def words_of(text: str, offset: int = 0, spans: list[tuple[int, int]] | None = None) -> list[Word]:
    """Words of `text` (a sentence), offsets shifted by `offset` into the field; `spans`: its tokens'
    offsets in `text` when the caller has them (`tokenize_sentences`)."""
    out: list[Word] = []
    for start, end in spans if spans is not None else iter_token_spans(text):
        token = text[start:end]
        forms = word_forms(token)
        out.append(Word(token, start + offset, end + offset, forms.norm, forms.bases, forms))
    return out
