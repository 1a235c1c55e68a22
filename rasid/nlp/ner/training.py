"""`rasid ner train`: learn clusters from raw news, train the CRF, select on dev, ship.

Steps (deterministic: fixed seeds, fixed order, single-threaded):
1. word clusters from the raw ANT articles (no labels) — `clusters.py`;
2. dev split = the last `dev_fraction` of the training sentences (the test
   file is never read here);
3. a CRF is trained on the rest with jackknifed gazetteer features and
   scored on dev (the figure used to choose features and settings);
4. the shipped CRF is retrained on all of train, with the gazetteer of all
   of train, and written with its resources into the package.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pycrfsuite

from rasid.nlp.ner.clusters import article_sentences, learn_clusters
from rasid.nlp.ner.conll import TaggedSentence, read_conll_file
from rasid.nlp.ner.evaluation import span_scores
from rasid.nlp.ner.features import Clusters, FeatureExtractor
from rasid.nlp.ner.gazetteer import build_gazetteer, jackknife
from rasid.nlp.ner.model_files import CRF_FILE, MODEL_DIR, REPORT_FILE, write_resources


@dataclass(frozen=True)
class TrainingConfig:
    algorithm: str = "lbfgs"
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 150
    folds: int = 5
    dev_fraction: float = 0.1
    extra: dict[str, Any] = field(default_factory=dict)

    def crf_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"max_iterations": self.max_iterations}
        if self.algorithm == "lbfgs":
            params.update({"c1": self.c1, "c2": self.c2, "feature.possible_transitions": True})
        return params


def _train_crf(
    sentences: Sequence[TaggedSentence], clusters: Clusters, config: TrainingConfig, model_path: Path
) -> dict[str, list[str]]:
    """Train on `sentences` with jackknifed gazetteer features; return the full gazetteer."""
    trainer = pycrfsuite.Trainer(algorithm=config.algorithm, verbose=False)
    gazetteers = jackknife(sentences, config.folds)
    size = -(-len(sentences) // config.folds)
    for fold, gazetteer in enumerate(gazetteers):
        extractor = FeatureExtractor(clusters, gazetteer)
        for sent in sentences[fold * size : (fold + 1) * size]:
            trainer.append(extractor.sentence(sent.tokens), sent.tags)
    trainer.set_params(config.crf_params())
    trainer.train(str(model_path))
    return build_gazetteer(sentences)


def _evaluate(
    model_path: Path, clusters: Clusters, gazetteer: dict[str, list[str]], sentences: Sequence[TaggedSentence]
) -> dict[str, dict[str, float]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    extractor = FeatureExtractor(clusters, gazetteer)
    predicted = [list(tagger.tag(extractor.sentence(s.tokens))) for s in sentences]
    return span_scores([s.tags for s in sentences], predicted)


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
    clusters, counts = learn_clusters(article_sentences(news_path))
    log(f"clusters: {len(clusters)} words from {news_path.name} ({time.monotonic() - started:.0f}s)")

    sentences = read_conll_file(train_path)
    n_dev = max(1, int(len(sentences) * config.dev_fraction))
    fit, dev = sentences[:-n_dev], sentences[-n_dev:]
    out_dir.mkdir(parents=True, exist_ok=True)
    dev_model = out_dir / "dev.crfsuite.tmp"
    gazetteer = _train_crf(fit, clusters, config, dev_model)
    dev_scores = _evaluate(dev_model, clusters, gazetteer, dev)
    dev_model.unlink()
    log("dev (last {:.0%} of train, {} sentences): ".format(config.dev_fraction, len(dev))
        + "  ".join(f"{k} {v['f1']:.4f}" for k, v in dev_scores.items()))

    report: dict[str, Any] = {
        "config": asdict(config),
        "train_sentences": len(fit),
        "dev_sentences": len(dev),
        "dev": dev_scores,
    }
    if ship:
        gazetteer = _train_crf(sentences, clusters, config, out_dir / CRF_FILE)
        write_resources(
            out_dir,
            {"clusters": {k: list(v) for k, v in clusters.items()}, "counts": counts, "gazetteer": gazetteer},
        )
        report["train_seconds"] = round(time.monotonic() - started, 1)
        (out_dir / REPORT_FILE).write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        log(f"model written to {out_dir} ({report['train_seconds']}s)")
    return report
