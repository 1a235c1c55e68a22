"""Token features for the entity tagger, cached per word type.

A token's features are the union of (a) features of its own word, (b)
features of its neighbours' words tagged with their offset (-2..+2) and
(c) two word bigrams. (a) and (b) depend only on the word, so each word type
is analysed once and its feature strings are reused: tagging costs a few list
concatenations per token.

Word features: the word key (Lucene-normalised), prefixes/suffixes, the
Lucene stem, the word with its proclitics removed, word clusters learned from
raw news (`clusters.py`) for the word and for its proclitic-free base, shape
(number, Latin, punctuation, length), gazetteer hits (`gazetteer.py`), and
how a first-pass tagger tagged the word across raw news (`self_training.py`):
the share of each entity type, bucketed, for the word or else its base.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rasid.nlp.clitics import proclitic_splits
from rasid.nlp.ner.wordkey import word_key
from rasid.nlp.stemmer import stem

_LATIN_RE = re.compile(r"[A-Za-z]")
_ALNUM_RE = re.compile(r"[^\W_]")
Clusters = Mapping[str, Sequence[int]]
# A word's own features, then the same word seen as neighbour -1, +1, -2, +2 of a token.
# Tuples of strings, not lists: the garbage collector stops tracking them, so a large
# cache does not slow every collection of a long-running process.
WordFeatures = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
Gazetteer = Mapping[str, Sequence[str]]
TaggedCounts = Mapping[str, Sequence[int]]  # word key -> counts in `self_training.TAG_ORDER`
_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC")
_SHARE_LEVELS: tuple[float, ...] = (0.8, 0.5, 0.2, 0.05)


_SHARE_NAMES = {(label, level): f"x={label}:{level}" for label in _TYPES for level in _SHARE_LEVELS}
_COUNT_NAMES = tuple(f"xn={bits}" for bits in range(9))
_LOWEST_SHARE = _SHARE_LEVELS[-1]


def _tagged_features(counts: Sequence[int]) -> tuple[list[str], list[str]]:
    """(own features, features for the neighbours) from a word's tag counts over raw news."""
    n = sum(counts)
    own = [_COUNT_NAMES[min(n.bit_length(), 8)]]
    ctx = []
    for t, label in enumerate(_TYPES):
        b, i = counts[1 + 2 * t], counts[2 + 2 * t]
        share = (b + i) / n
        if share < _LOWEST_SHARE:
            continue
        for level in _SHARE_LEVELS:
            if share >= level:
                own.append(_SHARE_NAMES[label, level])
                if level >= 0.5:
                    own.append(("xB=" if b >= i else "xI=") + label)
                    ctx.append("x=" + label)
                break
    if len(own) == 1:
        own.append("x=O")
        ctx.append("x=O")
    return own, ctx


def _base_forms(key: str, lexicon: Clusters) -> list[str]:
    """Proclitic-free forms of `key` that the cluster lexicon knows (longest prefix first)."""
    out = []
    for prefix, base in proclitic_splits(key):
        if not prefix:
            break
        for form in (("ال" + base) if prefix.endswith("لل") else base, base):
            if form in lexicon and form not in out:
                out.append(form)
    return out


_MAX_CACHED_WORDS = 100_000  # bound the caches of a long-running process
_RECENT_BASES = 4096  # words whose base form `word_parts()` keeps for `base_form()`
_ARABIC_SHAPES = tuple(f"sh=ar{n}" for n in range(8))
_CLUSTER_NAMES: dict[str, tuple[str, ...]] = {
    prefix: tuple(f"{prefix}{i}" for i in range(1024)) for prefix in ("c64=", "c256=", "c1k=", "bc256=", "bc1k=")
}


def _cluster_name(prefix: str, cluster: int) -> str:
    """`f"{prefix}{cluster}"`, from a table for the ids k-means gives (`clusters.GRANULARITIES`)."""
    names = _CLUSTER_NAMES[prefix]
    return names[cluster] if 0 <= cluster < len(names) else f"{prefix}{cluster}"


class FeatureExtractor:
    """Feature strings per token; one cache entry per word type."""

    def __init__(self, clusters: Clusters, gazetteer: Gazetteer, tagged: TaggedCounts | None = None) -> None:
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.tagged = tagged
        self._local: dict[str, WordFeatures] = {}
        self._forms: dict[str, tuple[str, ...]] = {}
        # `base_form()` of the words `word_parts()` analysed last (the tagger asks right after).
        self._recent_bases: dict[str, str | None] = {}

    def _word(self, key: str) -> WordFeatures:
        own, near, far = self.word_parts(key)
        return (
            tuple(own),
            tuple(["-1" + x for x in near]),
            tuple(["+1" + x for x in near]),
            tuple(["-2" + x for x in far]),
            tuple(["+2" + x for x in far]),
        )

    def word_parts(self, key: str) -> tuple[list[str], list[str], list[str]]:
        """The word's own features, and (unprefixed) what it shows as neighbour -1/+1, and as -2/+2."""
        # Strings shared by the parts are built once (a hot path for every new word).
        w = "w=" + key
        p2 = "p2=" + key[:2]
        s2 = "s2=" + key[-2:]
        f = [w, p2, "p3=" + key[:3], "s1=" + key[-1:], s2, "s3=" + key[-3:], "st=" + stem(key)]
        if len(key) > 5:
            f.append("s4=" + key[-4:])
        if not _ALNUM_RE.search(key):
            f.append("sh=pu")
        elif "0" in key:
            f.append("sh=num")
        elif _LATIN_RE.search(key):
            f.append("sh=lat")
        else:
            f.append(_ARABIC_SHAPES[min(len(key), 7)])
        clusters = self.clusters
        cl = clusters.get(key)
        if cl is not None:
            ctx_cl, ctx_cl_fine = _cluster_name("c256=", cl[1]), _cluster_name("c1k=", cl[2])
            f += (_cluster_name("c64=", cl[0]), ctx_cl, ctx_cl_fine)
        else:
            ctx_cl = ctx_cl_fine = "c=unk"
            f.append("c=unk")
        bases = _base_forms(key, clusters)
        recent = self._recent_bases
        if len(recent) >= _RECENT_BASES:
            recent.clear()
        recent[key] = bases[0] if bases else None
        if bases:
            base = bases[0]
            bcl = clusters[base]
            base_cl, base_cl_fine = _cluster_name("bc256=", bcl[1]), _cluster_name("bc1k=", bcl[2])
            f += ("b=" + base, base_cl, base_cl_fine)
            if cl is None:
                ctx_cl, ctx_cl_fine = base_cl, base_cl_fine
        near = [w, ctx_cl, ctx_cl_fine, s2, p2]
        gaz = self.gazetteer.get(key)
        if not gaz:
            for prefix, base in proclitic_splits(key)[:-1]:
                hits = self.gazetteer.get(("ال" + base) if prefix.endswith("لل") else base)
                if hits:
                    gaz = ["b" + h for h in hits]
                    break
        if gaz:
            names = ["g=" + g for g in gaz]
            f += names
            near += names
        if self.tagged is not None:
            own, ctx = self._tagged(key, bases)
            f += own
            near += ctx
        return f, near, [w, ctx_cl]

    def _tagged(self, key: str, bases: list[str]) -> tuple[list[str], list[str]]:
        assert self.tagged is not None
        counts = self.tagged.get(key)
        own: list[str] = []
        ctx: list[str] = []
        if counts:
            own, ctx = _tagged_features(counts)
        if bases and bases[0] in self.tagged:
            base_own, base_ctx = _tagged_features(self.tagged[bases[0]])
            own += ["b" + x for x in base_own]
            ctx = ctx or base_ctx
        return (own or ["x=none"]), ctx

    def compute_word(self, key: str) -> WordFeatures:
        """The word's features, not cached (for callers that cache what they derive from them)."""
        return self._word(key)

    def word_features(self, key: str) -> WordFeatures:
        cached = self._local.get(key)
        if cached is None:
            if len(self._local) > _MAX_CACHED_WORDS:
                self._local.clear()
            cached = self._local[key] = self._word(key)
        return cached


    def base_form(self, key: str) -> str | None:
        """The proclitic-free base of a word key that the cluster lexicon knows (for `memory.py`), if any."""
        if key in self._recent_bases:
            return self._recent_bases[key]
        bases = _base_forms(key, self.clusters)
        return bases[0] if bases else None

    def lookup_forms(self, tokens: Sequence[str]) -> list[tuple[str, ...]]:
        """Per token: its key and, when the lexicon knows one, its proclitic-free base (for `memory.py`)."""
        out = []
        for token in tokens:
            key = word_key(token)
            forms = self._forms.get(key)
            if forms is None:
                if len(self._forms) > _MAX_CACHED_WORDS:
                    self._forms.clear()
                base = self.base_form(key)
                forms = self._forms[key] = (key, base) if base is not None else (key,)
            out.append(forms)
        return out

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        keys = [word_key(t) for t in tokens]
        words = [self.word_features(k) for k in keys]
        n = len(tokens)
        out: list[list[str]] = []
        for i in range(n):
            f = list(words[i][0])
            if i > 0:
                f += words[i - 1][1]  # the left neighbour, as "-1…"
                f.append("bg-=" + keys[i - 1] + "|" + keys[i])
                if i > 1:
                    f += words[i - 2][3]
                else:
                    f.append("BOS2")
            else:
                f.append("BOS")
            if i + 1 < n:
                f += words[i + 1][2]
                f.append("bg+=" + keys[i] + "|" + keys[i + 1])
                if i + 2 < n:
                    f += words[i + 2][4]
                else:
                    f.append("EOS2")
            else:
                f.append("EOS")
            out.append(f)
        return out
