"""`rasid ner train`: learn clusters from raw news, train the CRF, select on dev, ship.

Steps (deterministic: fixed seeds, fixed order, single-threaded):
1. word clusters and institution names from the raw ANT articles (no
   labels) — `clusters.py`, `institutions.py`;
2. dev split = the last `dev_fraction` of the training sentences (the test
   file is never read here);
3. on the rest of train: a plain first-pass CRF tags the raw ANT text and
   its tag counts per word become features (`self_training.py`); then the
   two CRF passes (`train_two_pass`, see `memory.py`) and the conv tagger
   (`neural.py`, when torch — the `train` extra — is installed) are trained
   and scored on dev (the figure used to choose features and settings); the
   weights of the conv tagger's log-probabilities in each CRF pass are picked
   on dev from `neural_weight_grid`;
4. the shipped CRFs and conv tagger are retrained on all of train, with the
   gazetteer of all of train, and written with their resources into the package.
Dev scores are of the whole tagger, name consistency (`consistency.py`) included;
the report also gives them without it.
"""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite

from rasid.nlp.ner.clusters import article_sentences, learn_clusters_and_vectors
from rasid.nlp.ner.conll import TaggedSentence, read_conll_file
from rasid.nlp.ner.evaluation import format_scores, span_scores
from rasid.nlp.ner.features import Clusters, FeatureExtractor
from rasid.nlp.ner.gazetteer import build_gazetteer, jackknife
from rasid.nlp.ner.institutions import mine_institutions
from rasid.nlp.ner.memory import memory_features
from rasid.nlp.ner.model_files import (
    FIRST_PASS_FILE,
    MODEL_DIR,
    NEURAL_FILE,
    REPORT_FILE,
    SECOND_PASS_FILE,
    write_resources,
)
from rasid.nlp.ner.self_training import count_tags
from rasid.nlp.ner.tagger import EntityTagger


@dataclass(frozen=True)
class TrainingConfig:
    algorithm: str = "lbfgs"
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 150
    folds: int = 5
    dev_fraction: float = 0.1
    neural_epochs: int = 25
    # Tag counts over raw news from a first-pass CRF as features (`self_training.py`).
    self_training: bool = True
    self_training_rounds: int = 1
    neural_tagged_inputs: bool = False  # the conv tagger also reads those counts (no gain on dev)
    # (first pass, second pass) weights of the conv tagger's log-probabilities, tried on dev.
    neural_weight_grid: tuple[tuple[float, float], ...] = tuple(
        (a, b) for a in (0.0, 0.5, 1.0, 2.0, 3.0) for b in (0.0, 0.5, 1.0, 2.0, 3.0, 4.0)
    )
    extra: dict[str, Any] = field(default_factory=dict)

    def crf_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"max_iterations": self.max_iterations}
        if self.algorithm == "lbfgs":
            params.update({"c1": self.c1, "c2": self.c2, "feature.possible_transitions": True})
        return params


def _fit(xs: Sequence[list[list[str]]], ys: Sequence[list[str]], config: TrainingConfig, path: Path) -> pycrfsuite.Tagger:
    trainer = pycrfsuite.Trainer(algorithm=config.algorithm, verbose=False)
    for x, y in zip(xs, ys, strict=True):
        trainer.append(x, y)
    trainer.set_params(config.crf_params())
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def train_two_pass(
    sentences: Sequence[TaggedSentence],
    clusters: Clusters,
    config: TrainingConfig,
    out_dir: Path,
    news: Sequence[Sequence[str]] | None = None,
) -> tuple[dict[str, list[str]], dict[str, list[int]] | None]:
    """Write the first- and second-pass CRFs for `sentences`; return the gazetteer and tag counts to ship.

    With `news` (raw text, word keys), a plain first-pass CRF is trained on
    `sentences` and tags it; the counts (`self_training.py`) become features
    of both passes. First pass: features use a gazetteer jackknifed over
    `config.folds` contiguous blocks. Second pass: document-memory features
    computed from out-of-fold first-pass tags (block k tagged by a CRF trained
    without it).
    """
    gazetteers = jackknife(sentences, config.folds)
    size = -(-len(sentences) // config.folds)
    block = [i // size for i in range(len(sentences))]
    ys = [s.tags for s in sentences]
    gazetteer = build_gazetteer(sentences)
    tagged: dict[str, list[int]] | None = None
    for _ in range(config.self_training_rounds if news is not None else 0):
        # Round 1 tags with a plain CRF, each later round with a CRF that has the previous counts.
        prior = [FeatureExtractor(clusters, g, tagged) for g in gazetteers]
        scratch = out_dir / "self_training.crfsuite.tmp"
        _fit([prior[block[i]].sentence(s.tokens) for i, s in enumerate(sentences)], ys, config, scratch)
        tagged = count_tags(scratch, FeatureExtractor(clusters, gazetteer, tagged), news or [])
        scratch.unlink()
    extractors = [FeatureExtractor(clusters, g, tagged) for g in gazetteers]
    xs = [extractors[block[i]].sentence(s.tokens) for i, s in enumerate(sentences)]
    scratch = out_dir / "fold.crfsuite.tmp"
    out_of_fold: list[list[str]] = [[] for _ in sentences]
    for k in range(len(gazetteers)):
        rest = [i for i in range(len(sentences)) if block[i] != k]
        tagger = _fit([xs[i] for i in rest], [ys[i] for i in rest], config, scratch)
        for i in range(len(sentences)):
            if block[i] == k:
                out_of_fold[i] = list(tagger.tag(xs[i]))
    scratch.unlink()
    _fit(xs, ys, config, out_dir / FIRST_PASS_FILE)
    forms = [extractors[0].lookup_forms(s.tokens) for s in sentences]
    memory = memory_features(forms, out_of_fold)
    _fit([[a + list(b) for a, b in zip(x, m)] for x, m in zip(xs, memory)], ys, config, out_dir / SECOND_PASS_FILE)
    return gazetteer, tagged


def _train_neural(
    sentences: Sequence[TaggedSentence],
    vocab: list[str],
    vectors: np.ndarray,
    config: TrainingConfig,
    path: Path,
    log: Callable[[str], None],
    tagged: dict[str, list[int]] | None = None,
) -> bool:
    """Train the conv tagger (`neural.py`) into `path`; False when torch (the `train` extra) is missing."""
    if importlib.util.find_spec("torch") is None:
        log("torch is not installed (the `train` extra): shipping the CRFs without the conv tagger")
        return False
    from rasid.nlp.ner.neural_training import train_conv_tagger

    train_conv_tagger(sentences, jackknife(sentences, config.folds), vocab, vectors, path,
                      epochs=config.neural_epochs, log=log, tagged=tagged if config.neural_tagged_inputs else None)
    return True


def _tag_with(tagger: EntityTagger, weights: tuple[float, float], tokens: list[list[str]]) -> list[list[str]]:
    tagger.neural_weights = weights
    return tagger.tag_document(tokens)


def train_model(
    train_path: Path,
    news_path: Path,
    out_dir: Path = MODEL_DIR,
    config: TrainingConfig = TrainingConfig(),
    ship: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run the whole training; returns the report that is also written next to the model."""
    started = time.monotonic()
    raw = list(article_sentences(news_path))
    clusters, counts, vocab, vectors = learn_clusters_and_vectors(raw)
    institutions = mine_institutions(raw)
    log(f"clusters: {len(clusters)} words, {len(institutions)} institution names from {news_path.name} "
        f"({time.monotonic() - started:.0f}s)")

    sentences = read_conll_file(train_path)
    n_dev = max(1, int(len(sentences) * config.dev_fraction))
    fit, dev = sentences[:-n_dev], sentences[-n_dev:]
    out_dir.mkdir(parents=True, exist_ok=True)
    dev_dir = out_dir / "dev.tmp"
    dev_dir.mkdir(exist_ok=True)
    news = raw if config.self_training else None
    gazetteer, tagged = train_two_pass(fit, clusters, config, dev_dir, news)
    write_resources(dev_dir, {"clusters": {k: list(v) for k, v in clusters.items()}, "gazetteer": gazetteer, "tagged": tagged})
    neural = _train_neural(fit, vocab, vectors, config, dev_dir / NEURAL_FILE, log, tagged)
    dev_tagger = EntityTagger(dev_dir)
    # Dev sentences are read in order, as one stream: the tagger's document memory sees its neighbours.
    gold = [s.tags for s in dev]
    tokens = [s.tokens for s in dev]
    weights, dev_by_weights = (0.0, 0.0), {}
    if neural:
        dev_by_weights = {w: span_scores(gold, _tag_with(dev_tagger, w, tokens)) for w in config.neural_weight_grid}
        # Ties go to the earlier (smaller) weights.
        weights = max(config.neural_weight_grid, key=lambda w: dev_by_weights[w]["micro"]["f1"])
        for w, sc in dev_by_weights.items():
            log(f"dev, conv tagger weights {w}: micro {sc['micro']['f1']:.4f}  ORG {sc.get('ORG', {}).get('f1', 0):.4f}")
        crf_only = dev_by_weights.get((0.0, 0.0)) or span_scores(gold, _tag_with(dev_tagger, (0.0, 0.0), tokens))
        log("dev CRF alone: " + format_scores(crf_only))
    dev_tagger.neural_weights = weights
    dev_scores = span_scores(gold, dev_tagger.tag_document(tokens))
    dev_first_pass = span_scores(gold, dev_tagger.first_pass(tokens))
    dev_tagger.propagate = False
    dev_unpropagated = span_scores(gold, dev_tagger.tag_document(tokens))
    for path in dev_dir.iterdir():
        path.unlink()
    dev_dir.rmdir()
    log("dev first pass: " + "  ".join(f"{k} {v['f1']:.4f}" for k, v in dev_first_pass.items()))
    log(f"dev (last {config.dev_fraction:.0%} of train, {len(dev)} sentences): "
        + "  ".join(f"{k} {v['f1']:.4f}" for k, v in dev_scores.items()))

    report: dict[str, Any] = {
        "config": asdict(config),
        "train_sentences": len(fit),
        "dev_sentences": len(dev),
        "dev": dev_scores,
        "dev_first_pass_only": dev_first_pass,
        "dev_without_name_consistency": dev_unpropagated,
        "neural_weights": list(weights),
        "dev_micro_f1_by_neural_weights": {f"{a},{b}": sc["micro"]["f1"] for (a, b), sc in dev_by_weights.items()},
    }
    if ship:
        gazetteer, tagged = train_two_pass(sentences, clusters, config, out_dir, news)
        (out_dir / NEURAL_FILE).unlink(missing_ok=True)
        if neural:
            _train_neural(sentences, vocab, vectors, config, out_dir / NEURAL_FILE, log, tagged)
        write_resources(
            out_dir,
            {
                "clusters": {k: list(v) for k, v in clusters.items()},
                "counts": counts,
                "gazetteer": gazetteer,
                "institutions": institutions,
                "neural_weights": list(weights),
                "tagged": tagged,
            },
        )
        report["train_seconds"] = round(time.monotonic() - started, 1)
        (out_dir / REPORT_FILE).write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        log(f"model written to {out_dir} ({report['train_seconds']}s)")
    return report
