"""`rasid threats train`: the decision layer is trained from annotated sentences, deterministically."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.nlp.threats.decision import load_model
from rasid.nlp.threats.role_choice import load_role_model
from rasid.nlp.threats.training import DEVSET


def _small_devset(path: Path, per_class: int = 40) -> Path:
    """Real annotated sentences of the dev split: the first `per_class` threats and non-threats."""
    rows = [json.loads(line) for line in DEVSET.open(encoding="utf-8")]
    dev = [r for r in rows if r["split"] == "dev"]
    chosen = [r for r in dev if r["threat"]][:per_class] + [r for r in dev if not r["threat"]][:per_class]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    return path


def test_train_writes_a_loadable_model_and_the_same_bytes_twice(tmp_path: Path) -> None:
    devset = _small_devset(tmp_path / "devset.jsonl")
    runner = CliRunner()
    outputs = []
    for name in ("a.json", "b.json"):
        result = runner.invoke(app, ["threats", "train", "--devset", str(devset), "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output.strip().splitlines()[-1]))
    assert outputs[0]["sentences"] == 80 and 0 < outputs[0]["threshold"] < 1
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    model = load_model(tmp_path / "a.json")
    assert model.weights and model.threshold == outputs[0]["threshold"]
    # the role selector is trained by the same command, next to the decision layer, as deterministically
    assert (tmp_path / "a.roles.json").read_bytes() == (tmp_path / "b.roles.json").read_bytes()
    roles = load_role_model(tmp_path / "a.roles.json")
    assert roles.weights["actor"] and roles.weights["target"] and outputs[0]["roles"]["target"]["n"] > 0


def test_dry_run_writes_nothing_and_a_missing_devset_is_a_clear_error(tmp_path: Path) -> None:
    runner = CliRunner()
    devset = _small_devset(tmp_path / "devset.jsonl", per_class=20)
    result = runner.invoke(app, ["threats", "train", "--devset", str(devset), "--out", str(tmp_path / "m.json"),
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "m.json").exists() and not (tmp_path / "m.roles.json").exists()
    missing = runner.invoke(app, ["threats", "train", "--devset", str(tmp_path / "nope.jsonl")])
    # the error box wraps at the terminal's width (and the temporary path's length varies): read it as words
    said = " ".join(missing.output.replace("│", " ").split())
    assert missing.exit_code != 0 and "does not exist" in said


def test_the_sparse_fit_reaches_the_regularised_optimum(tmp_path: Path) -> None:
    # Real rows (80 sentences of the dev split), weighted as training weighs the fresh draws: at the fitted weights the
    # penalised loss has zero gradient, i.e. the conjugate-gradient Newton steps reach the optimum a dense Newton solve
    # would (the loss is strictly convex).
    import numpy as np

    from rasid.nlp.threats.logistic import fit_logistic
    from rasid.nlp.threats.training import MIN_COUNT, load_sentences

    rows = [(feats, y) for s in load_sentences(_small_devset(tmp_path / "devset.jsonl")) for feats, y in zip(s.candidates, s.labels)
            if y is not None]
    examples, labels = [sorted(set(f)) for f, _ in rows], [float(y) for _, y in rows]
    sample_weights = [3.0 if k % 2 else 1.0 for k in range(len(rows))]
    weights, bias = fit_logistic(examples, labels, 1.0, MIN_COUNT, sample_weights)
    z = np.array([bias + sum(weights.get(f, 0.0) for f in feats) for feats in examples])
    residual = (1.0 / (1.0 + np.exp(-z)) - np.array(labels)) * np.array(sample_weights)
    assert abs(residual.sum()) < 1e-6  # the bias's gradient
    for feature, w in weights.items():
        assert abs(sum(r for r, feats in zip(residual, examples) if feature in feats) + 1.0 * w) < 1e-6
    assert fit_logistic([], [], 1.0, MIN_COUNT) == ({}, 0.0)  # nothing to learn from is no crash
