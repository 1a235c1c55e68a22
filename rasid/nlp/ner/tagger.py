"""The trained entity tagger: tokens in, BIO tags out.

Two CRF passes (see `memory.py`): the first tags each sentence from its own
words; the second also sees what the first pass said about the same words in
the surrounding sentences of the same document, so a name is tagged
consistently wherever it recurs. A small convolutional network over word
vectors learned from raw news (`neural.py`) adds its label log-probabilities,
weighted as chosen on dev, to both passes' emission scores. Last, names tagged
in one sentence are tagged where they recur untagged nearby (`consistency.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import numpy as np

from rasid.nlp.ner.consistency import propagate_names
from rasid.nlp.ner.decoder import MAX_CACHED_WORDS, WordScores, read_model
from rasid.nlp.ner.features import FeatureExtractor
from rasid.nlp.ner.memory import WINDOW as MEMORY_WINDOW
from rasid.nlp.ner.memory import (
    code_count,
    code_features,
    code_parts,
    memory_codes,
    tag_slot,
)
from rasid.nlp.ner.model_files import (
    FIRST_PASS_FILE,
    MODEL_DIR,
    NEURAL_FILE,
    SECOND_PASS_FILE,
    read_resources,
)
from rasid.nlp.ner.neural import ConvTagger
from rasid.nlp.ner.wordkey import word_key


class ModelNotTrained(RuntimeError):
    """The package holds no trained model (run `rasid ner train`)."""


class EntityTagger:
    """CRFs over cached per-word features (see `features.py`), decoded by `decoder.py`."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        if not (directory / FIRST_PASS_FILE).exists():
            raise ModelNotTrained(f"no entity model in {directory}; run `rasid ner train`")
        resources = read_resources(directory)
        clusters = {k: tuple(v) for k, v in resources["clusters"].items()}
        self.features = FeatureExtractor(clusters, resources["gazetteer"], resources.get("tagged"))
        self.word_counts: dict[str, int] = resources.get("counts", {})
        self.gazetteer: dict[str, list[str]] = resources["gazetteer"]
        # Institution names mined from raw news, by first word (see `institutions.py`).
        self.institutions: dict[str, list[list[str]]] = {}
        for name in resources.get("institutions", []):
            self.institutions.setdefault(name[0], []).append(name)
        models = [read_model(p) for p in (directory / FIRST_PASS_FILE, directory / SECOND_PASS_FILE) if p.exists()]
        # Both passes share one per-word score table: a new word is analysed once.
        self._scores = WordScores(models)
        self._first = self._scores.decoders[0]
        self._second = self._scores.decoders[1] if len(models) > 1 else None
        self._tag_slots = np.asarray([tag_slot(label) for label in self._first.labels])
        # The second pass's memory scores, per `memory_codes()` code, filled as codes occur.
        n_codes = code_count(len(self._first.labels)) if self._second is not None else 0
        self._memory_table = np.zeros((n_codes, len(self._second.labels) if self._second is not None else 0))
        self._memory_known = np.zeros(n_codes, dtype=bool)
        self._reset_words()
        self.propagate = True  # `consistency.py` after the last pass (off only to measure it)
        # Optional convolutional tagger (`neural.py`): its label log-probabilities, times a weight
        # chosen on dev, are added to each CRF pass's emission scores.
        self.neural: ConvTagger | None = None
        self.neural_weights: tuple[float, float] = tuple(resources.get("neural_weights", (0.0, 0.0)))  # type: ignore[assignment]
        if (directory / NEURAL_FILE).exists():
            self.neural = ConvTagger.load(directory / NEURAL_FILE, self.gazetteer, resources.get("tagged"))
            self._neural_columns = [
                np.asarray([self.neural.labels.index(label) for label in d.labels]) for d in self._scores.decoders
            ]

    def _reset_words(self) -> None:
        """Forget every word: ids, scores and memory forms (a long-running process past `MAX_CACHED_WORDS`)."""
        self._scores.reset()
        if getattr(self, "neural", None) is not None:
            self.neural.forget_word_ids()  # its rows by our word ids
        self._word_ids: dict[str, int] = {}
        self._form_ids: dict[str, int] = {}  # word keys and proclitic-free bases, for the memory
        self._key_form = np.zeros(1024, dtype=np.int64)  # per word id
        self._base_form = np.zeros(1024, dtype=np.int64)  # per word id; -1: none

    def _ids(self, keys: list[str]) -> np.ndarray:
        """Word ids of `keys`; new words are scored (all of them at once) and get the next ids."""
        index = self._word_ids
        ids = list(map(index.get, keys))  # None: a new word
        if None in ids:
            new = list(dict.fromkeys(key for key, i in zip(keys, ids, strict=True) if i is None))
            if self._scores.words and self._scores.words + len(new) > MAX_CACHED_WORDS:
                self._reset_words()
                return self._ids(keys)
            first = self._scores.words
            self._scores.add(self.features, new)
            self._add_forms(first, new)
            for offset, key in enumerate(new):
                index[key] = first + offset
            ids = list(map(index.__getitem__, keys))
        return np.array(ids, dtype=np.int64)

    def _add_forms(self, first: int, keys: list[str]) -> None:
        forms = self._form_ids
        end = first + len(keys)
        if end > len(self._key_form):
            size = max(end, min(2 * len(self._key_form), MAX_CACHED_WORDS))
            self._key_form = np.resize(self._key_form, size)
            self._base_form = np.resize(self._base_form, size)
        for i, key in enumerate(keys, start=first):
            self._key_form[i] = forms.setdefault(key, len(forms))
            base = self.features.base_form(key)
            self._base_form[i] = -1 if base is None else forms.setdefault(base, len(forms))

    def first_pass(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags from the first pass alone (each sentence on its own)."""
        return self._tag([[word_key(t) for t in tokens] for tokens in sentences], first_only=True)

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence of one document (or a stream of neighbouring sentences)."""
        return self._tag([[word_key(t) for t in tokens] for tokens in sentences], first_only=False)

    def tag_keys(self, keys: list[list[str]]) -> list[list[str]]:
        """`tag_document()` of sentences given as their tokens' `word_key()`s (for callers that have them)."""
        return self._tag(keys, first_only=False)

    def tag_documents(self, documents: list[list[list[str]]]) -> list[list[list[str]]]:
        """`tag_keys()` of each of several documents (an article's title, summary and text).

        Each stays its own document (memory, conv-tagger chunks and name propagation see only
        it), so the tags are those of one `tag_keys()` call per document, in order; but their
        emissions and Viterbi passes run together, so the short ones cost few extra numpy steps.
        """
        return self._tag_documents(documents, first_only=False)

    def _tag(self, keys: list[list[str]], first_only: bool) -> list[list[str]]:
        return self._tag_documents([keys], first_only)[0]

    def _tag_documents(self, documents: list[list[list[str]]], first_only: bool) -> list[list[list[str]]]:
        flats = [[key for sent in keys for key in sent] for keys in documents]
        flat = [key for doc in flats for key in doc]
        if not flat:
            return [[[] for _ in keys] for keys in documents]
        lengths = [len(k) for keys in documents for k in keys if k]  # every sentence of every document
        bounds = list(accumulate(map(len, flats), initial=0))  # each document's tokens in `flat`
        ids = self._ids(flat)
        emissions = self._scores.emissions(ids, lengths)
        neural = self._neural(documents, flats, ids, bounds)
        first = emissions[:, self._scores.columns[0]]
        if neural is not None and self.neural_weights[0]:
            first = first + neural[0]
        first_tags = self._first.viterbi(first, lengths)
        second = self._second
        if second is None or first_only:
            return self._documents_tags(documents, first_tags, self._first.labels, bounds, first_only)
        sentence, n_sent = self._sentence_numbers(documents)
        codes = memory_codes(self._key_form[ids], self._base_form[ids], sentence, n_sent, first_tags, self._tag_slots)
        scores = emissions[:, self._scores.columns[1]] + self._memory_scores(codes)
        if neural is not None and self.neural_weights[1]:
            scores += neural[1]
        return self._documents_tags(documents, second.viterbi(scores, lengths), second.labels, bounds, False)

    @staticmethod
    def _sentence_numbers(documents: list[list[list[str]]]) -> tuple[np.ndarray, int]:
        """Per token, its sentence's number for `memory_codes()`, and how many numbers there are.

        Documents are numbered one after another with a gap wider than the memory's window, so
        one call gives each document the codes it would get alone: no window reaches across.
        """
        numbers: list[int] = []
        sizes: list[int] = []
        offset = 0
        for keys in documents:
            numbers.extend(range(offset, offset + len(keys)))
            sizes.extend(map(len, keys))
            offset += len(keys) + MEMORY_WINDOW + 1
        return np.repeat(np.asarray(numbers, dtype=np.int64), sizes), offset

    def _documents_tags(self, documents: list[list[list[str]]], tags: np.ndarray, labels: Sequence[str],
                        bounds: list[int], first_only: bool) -> list[list[list[str]]]:
        """Per document, per sentence: the label strings of `tags` (flat over all documents), made consistent."""
        return [self._consistent(keys, self._split(tags[a:b], labels, keys), first_only)
                for keys, a, b in zip(documents, bounds, bounds[1:], strict=False)]

    @staticmethod
    def _split(tags: np.ndarray, labels: Sequence[str], keys: list[list[str]]) -> list[list[str]]:
        """Flat tag indices back to label strings per sentence (empty sentences included)."""
        names = list(map(labels.__getitem__, tags.tolist()))
        out = []
        position = 0
        for sent in keys:
            out.append(names[position : position + len(sent)])
            position += len(sent)
        return out

    def _neural(self, documents: list[list[list[str]]], flats: list[list[str]], ids: np.ndarray,
                bounds: list[int]) -> list[np.ndarray] | None:
        """The conv tagger's log-probabilities, per pass: weighted, in that CRF's label order, flat.

        Document by document (its chunks and new-word batches are those of the document alone).
        """
        if self.neural is None or not any(self.neural_weights):
            return None
        flat = self.neural.log_probs_documents(
            [(keys, tokens, ids[a:b]) for keys, tokens, a, b in zip(documents, flats, bounds, bounds[1:], strict=False)]
        )
        return [w * flat[:, c] for w, c in zip(self.neural_weights, self._neural_columns, strict=False)]

    def _memory_scores(self, codes: np.ndarray) -> np.ndarray:
        """The second pass's weights of each token's memory features (`memory.py`), scored once per code."""
        assert self._second is not None
        known = self._memory_known
        missing = codes[~known[codes]]
        if len(missing):
            missing = np.unique(missing)
            labels = self._first.labels
            n_tags = len(labels)
            edge = ("BOS", "EOS")
            for code in missing.tolist():
                tag, left, right, dm = code_parts(code, n_tags)
                names = code_features(labels[tag], labels[left] if left < n_tags else edge[0],
                                      labels[right] if right < n_tags else edge[1], dm)
                self._memory_table[code] = self._second.score(names)
            known[missing] = True
        return self._memory_table[codes]

    def _consistent(self, keys: list[list[str]], tags: list[list[str]], first_only: bool) -> list[list[str]]:
        return propagate_names(keys, tags) if self.propagate and not first_only else tags

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """One BIO tag per token of a single sentence (no document context)."""
        return self.tag_document([tokens])[0] if tokens else []


@lru_cache(maxsize=1)
def default_tagger() -> EntityTagger:
    """The model shipped in the package, loaded once per process."""
    return EntityTagger()
