"""Tokens and sentences with offsets into the original text.

Tokens follow the conventions of ANERcorp (on which the entity model is
trained) and, for words, of Lucene's standard tokenizer: a word is a run of
letters, digits and Arabic combining marks (harakat, tatweel, superscript
alef), so clitics stay attached (وبغداد is one token) and diacritics stay
inside their word; a number may carry internal separators (3.5, 1,200, ٣٫٥);
every other visible character (punctuation, quotes, symbols) is a token of
its own. Whitespace is never part of a token.

Sentences end after . ! ? ؟ … (with any closing quotes or brackets that
follow) when whitespace or the end of text comes next, after an ellipsis
(.. … ) that a word follows at once (a headline's "X..Y"), and at every line
break. The Arabic comma ، and semicolon ؛ separate clauses, not sentences. A
period after a single letter (initials such as "أ." or "د.") does not end a
sentence. `text[s.start:s.end] == s.text` holds for every token and sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Arabic combining marks and tatweel are "word" characters: they never split a word.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u200c\u200d"
_WORD_CHAR = rf"(?:[^\W_]|[{_MARKS}])"
_WORD_TOKEN = rf"\d+(?:[.,\u066b\u066c]\d+)+|{_WORD_CHAR}+"
_TOKEN_RE = re.compile(rf"{_WORD_TOKEN}|[^\s]", re.UNICODE)
# The tokens of _TOKEN_RE that can be words, in the same places: the one-character alternative only
# ever takes a character neither word alternative can start with.
WORD_TOKEN_RE = re.compile(_WORD_TOKEN, re.UNICODE)
_WORDLIKE_RE = re.compile(r"[^\W_]", re.UNICODE)

_TERMINATORS = ".!?\u061f\u2026"  # . ! ? ؟ …
_CLOSERS = "\"'»”’)]}›"
# Headlines and quotes join clauses with a bare ellipsis: "يهدد بفرض ضريبة..فما الرد؟" is a statement and a
# question, not one long question.
_ELLIPSIS_BEFORE_WORD = r"(?:\.{2,}|\u2026)(?=[^\W\d_])"
_SENTENCE_END_RE = re.compile(rf"[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*(?=\s|$)|{_ELLIPSIS_BEFORE_WORD}|\n")
_LETTER_BEFORE_RE = re.compile(rf"(?:^|[\s{re.escape(_CLOSERS)}(\[«“\"]){_WORD_CHAR}$")


@dataclass(frozen=True, slots=True)
class Token:
    """A token: `text == original[start:end]`."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        """True when the token holds a letter or digit (not punctuation or a symbol)."""
        return is_word_text(self.text)


def is_word_text(text: str) -> bool:
    """True when `text` holds a letter or digit (a lone tatweel or diacritic does not)."""
    return _WORDLIKE_RE.search(text) is not None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: `text == original[start:end]`, without surrounding whitespace."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of `text`, in order, with offsets into `text`."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def iter_token_spans(text: str) -> list[tuple[int, int]]:
    """Offsets only, for hot paths that do not need `Token` objects."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def _is_initial(text: str, terminator_start: int, terminator: str) -> bool:
    """A lone "." right after a one-letter word, as in "د.ب.أ" or "أ. محمد"."""
    if terminator.rstrip(_CLOSERS) != ".":
        return False
    return _LETTER_BEFORE_RE.search(text, max(0, terminator_start - 3), terminator_start) is not None


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Sentence(text[start:end], start, end)


@dataclass(frozen=True, slots=True)
class TokenizedSentence:
    """A sentence and its tokens' (start, end) offsets into the sentence's own text."""

    sentence: Sentence
    spans: list[tuple[int, int]]


def tokenize_sentences(text: str) -> list[TokenizedSentence]:
    """The sentences of `text` with their tokens: made once per text and shared by the extractors."""
    return [TokenizedSentence(sentence, iter_token_spans(sentence.text)) for sentence in split_sentences(text)]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order, with offsets into `text`."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if match.group() != "\n" and _is_initial(text, match.start(), match.group()):
            continue
        sentence = _trimmed(text, start, match.end())
        if sentence is not None:
            sentences.append(sentence)
        start = match.end()
    last = _trimmed(text, start, len(text))
    if last is not None:
        sentences.append(last)
    return sentences
