"""Train the role selector (one logistic regression per role over candidate spans) on the annotated threats.

Rows: every threat sentence of the training splits (heldout3 is never read) whose annotation names the role, with the
trigger candidate that overlaps the annotated trigger or act (the rules' accepted one first). A candidate span is
positive when it overlaps the annotated span (or names the same words) and does not run into the trigger or the
other role's annotated span. The L2 strength is chosen by 5-fold cross-validation grouped by article, scoring how
often the best-scoring span overlaps the annotation (the evaluator's measure), against the rules' answer on the same
rows. Deterministic: Newton's method from zero weights, sorted features, fixed folds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rasid.nlp.ner import extract_entities
from rasid.nlp.threats.devset import FOLDS, TRAIN_SPLITS, fold_of, group_of
from rasid.nlp.threats.extractor import threat_candidates
from rasid.nlp.threats.logistic import fit_logistic
from rasid.nlp.threats.role_choice import (
    RoleModel,
    Situation,
    candidate_spans,
    choose_roles,
    span_features,
)

ROLES = ("actor", "target")
L2_GRID = (0.3, 1.0, 3.0, 10.0)
MIN_COUNT = 2


@dataclass
class Choice:
    """One annotated role of one threat: the candidate spans' features, which of them are right, the rules' hit."""

    split: str
    group: str
    role: str
    candidates: list[list[str]]
    labels: list[int]
    rule_hit: bool
    situation: Situation  # the threat as the extractor sees it (for the whole selection, conflicts included)
    text: str
    gold: dict | None  # the annotated span of this role (None: the annotation names none, nothing should be emitted)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _right(span_chars: tuple[int, int], text: str, gold: dict, avoid: list[tuple[int, int]]) -> bool:
    same_words = text[span_chars[0] : span_chars[1]].strip() == gold["text"].strip()
    hit = _overlaps(span_chars, (gold["start"], gold["end"])) or same_words
    return hit and (same_words or not any(_overlaps(span_chars, x) for x in avoid))


def _situation_for(row: dict) -> Situation | None:
    text, gold = row["text"], row["threats"][0]
    cands = threat_candidates(text, extract_entities(text, "text"))
    hits = [c for c in cands if any(g is not None and c.trigger_start < g["end"] and g["start"] < c.trigger_end
                                    for g in (gold["trigger"], gold["action"]))]
    hits.sort(key=lambda c: not c.rule_accepts)
    return hits[0].situation if hits else None


def load_choices(devset: Path) -> list[Choice]:
    out = []
    for line in devset.open(encoding="utf-8"):
        row = json.loads(line)
        if row["split"] not in TRAIN_SPLITS or not row["threat"]:
            continue
        gold = row["threats"][0]
        s = _situation_for(row)
        if s is None:
            continue
        group = group_of(row["id"])
        spans = candidate_spans(s)
        trigger_chars = (s.words[s.first].start, s.words[s.last].end)
        for role in ROLES:
            g = gold[role]
            if g is None:
                none_emitted = getattr(s.rules, role) is None
                out.append(Choice(row["split"], group, role, [], [], none_emitted, s, row["text"], None))
                continue
            other = gold["target" if role == "actor" else "actor"]
            avoid = [trigger_chars] + ([(other["start"], other["end"])] if other is not None else [])
            ordered = sorted(spans)
            feats = [span_features(s, sp, spans[sp], role) for sp in ordered]
            labels = [int(_right((s.words[sp[0]].start, s.words[sp[1]].end), row["text"], g, avoid)) for sp in ordered]
            rule = getattr(s.rules, role)
            rule_hit = rule is not None and (_overlaps(rule, (g["start"], g["end"]))
                                             or row["text"][rule[0] : rule[1]].strip() == g["text"].strip())
            out.append(Choice(row["split"], group, role, feats, labels, rule_hit, s, row["text"], g))
    return out


def fit(choices: list[Choice], l2: float) -> tuple[dict[str, float], float]:
    """L2-regularised logistic regression: is each candidate span the annotated role?"""
    examples = [feats for c in choices for feats in c.candidates]
    labels = [y for c in choices for y in c.labels]
    return fit_logistic(examples, labels, l2, MIN_COUNT)


def _picks_right(weights: dict[str, float], bias: float, c: Choice) -> bool:
    if not c.candidates:
        return c.rule_hit
    scores = [bias + sum(weights.get(f, 0.0) for f in set(feats)) for feats in c.candidates]
    return bool(c.labels[int(np.argmax(scores))])


def cross_validate(choices: list[Choice], l2: float) -> list[bool]:
    right = [False] * len(choices)
    for fold in range(FOLDS):
        weights, bias = fit([c for c in choices if fold_of(c.group) != fold], l2)
        for k, c in enumerate(choices):
            if fold_of(c.group) == fold:
                right[k] = _picks_right(weights, bias, c)
    return right


def _role_right(c: Choice, span: tuple[int, int] | None) -> bool:
    if c.gold is None:
        return span is None
    return span is not None and (_overlaps(span, (c.gold["start"], c.gold["end"]))
                                 or c.text[span[0] : span[1]].strip() == c.gold["text"].strip())


def cross_validate_selection(choices: list[Choice], l2: dict[str, float]) -> dict[tuple[float, float], list[bool]]:
    """Out-of-fold `choose_roles` as the extractor runs it (thresholds, conflicts, rules' extent), for each pair of
    actor and target thresholds: is each role right (overlapping the annotation, or none where it names none)?"""
    right = {pair: [False] * len(choices) for pair in _THRESHOLD_PAIRS}
    for fold in range(FOLDS):
        train = [c for c in choices if fold_of(c.group) != fold and c.gold is not None]
        fitted = {role: fit([c for c in train if c.role == role], l2[role]) for role in ROLES}
        weights, bias = {r: w for r, (w, _) in fitted.items()}, {r: b for r, (_, b) in fitted.items()}
        for pair in _THRESHOLD_PAIRS:
            model = RoleModel(weights, bias, dict(zip(ROLES, pair)))
            for k, c in enumerate(choices):
                if fold_of(c.group) == fold:
                    right[pair][k] = _role_right(c, getattr(choose_roles(c.situation, model), c.role))
    return right


_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
_THRESHOLD_PAIRS = tuple((a, t) for a in _THRESHOLDS for t in _THRESHOLDS)


def _best_pair(choices: list[Choice], whole: dict[tuple[float, float], list[bool]]) -> tuple[float, float]:
    """Of the thresholds that keep each role's overlap with the annotated spans (the evaluator's measure) within two points
    of its best over the grid, those right most often over every threat: an overlapping span where the annotation names
    the role, none where it names none (what an analyst filtering by actor or target meets); then the best overlap,
    then the higher thresholds. (Maximising the nones alone within one point named a target for 90 % of the threats
    whose annotation names none; within two points it cost the actor two rows to spare it one.)"""
    def overlap(pair: tuple[float, float], role: str) -> float:
        idx = [k for k, c in enumerate(choices) if c.role == role and c.gold is not None]
        return sum(whole[pair][k] for k in idx) / max(1, len(idx))

    best = {role: max(overlap(p, role) for p in _THRESHOLD_PAIRS) for role in ROLES}
    allowed = [p for p in _THRESHOLD_PAIRS if all(overlap(p, r) >= best[r] - _TOLERANCE - 1e-9 for r in ROLES)]
    return max(allowed, key=lambda p: (sum(whole[p]), sum(overlap(p, r) for r in ROLES), p))


_TOLERANCE = 0.02


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else 0.0


def train_roles(devset: Path, out: Path | None) -> dict:
    """Cross-validate, fit and (unless `out` is None) write the role selector; returns the figures."""
    choices = load_choices(devset)
    report: dict = {}
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for role in ROLES:
        rows = [c for c in choices if c.role == role and c.gold is not None]
        best = None
        for l2 in L2_GRID:
            right = cross_validate(rows, l2)
            print(f"  {role}: l2={l2} CV overlap {_share(right)} (rules {_share([c.rule_hit for c in rows])}, {len(rows)} threats)")
            if best is None or _share(right) >= _share(best[1]):  # ties: the more regularised
                best = (l2, right)
        assert best is not None
        l2, right = best
        per_split = {}
        for name, splits in (("dev+heldout+heldout2", ("dev", "heldout", "heldout2")), ("train2-5", ("train2", "train3", "train4", "train5"))):
            idx = [k for k, c in enumerate(rows) if c.split in splits]
            per_split[name] = {"cv": _share([right[k] for k in idx]), "rules": _share([rows[k].rule_hit for k in idx]), "n": len(idx)}
            print(f"  {role} {name}: CV {per_split[name]['cv']} | rules {per_split[name]['rules']} ({len(idx)})")
        weights[role], bias[role] = fit(rows, l2) if rows else ({}, 0.0)
        report[role] = {"l2": l2, "cv": _share(right), "rules": _share([c.rule_hit for c in rows]), "n": len(rows),
                        "per_split": per_split}
    # The thresholds below which a role is left empty, chosen by the same CV (see _best_pair).
    whole = cross_validate_selection(choices, {r: report[r]["l2"] for r in ROLES})
    pair = _best_pair(choices, whole)
    for role in ROLES:
        named = [k for k, c in enumerate(choices) if c.role == role and c.gold is not None]
        unnamed = [k for k, c in enumerate(choices) if c.role == role and c.gold is None]
        fresh = [k for k in named if choices[k].split in ("train2", "train3", "train4", "train5")]
        report[role].update({"min_probability": dict(zip(ROLES, pair))[role],
                             "cv_selection": _share([whole[pair][k] for k in named]),
                             "cv_selection_train2-5": _share([whole[pair][k] for k in fresh]),
                             "cv_none_when_unnamed": _share([whole[pair][k] for k in unnamed]),
                             "rules_none_when_unnamed": _share([choices[k].rule_hit for k in unnamed])})
        print(f"  {role} as the extractor selects (threshold {report[role]['min_probability']}): CV overlap "
              f"{report[role]['cv_selection']}, train2-5 {report[role]['cv_selection_train2-5']}; none emitted where the "
              f"annotation names none: {report[role]['cv_none_when_unnamed']} of {len(unnamed)} (rules "
              f"{report[role]['rules_none_when_unnamed']})")
    model = RoleModel(weights, bias, dict(zip(ROLES, pair)))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(model.to_json(cv={r: report[r]["cv"] for r in ROLES}, l2={r: report[r]["l2"] for r in ROLES},
                                     trained_on={r: report[r]["n"] for r in ROLES}) + "\n", encoding="utf-8")
        print(f"wrote {out} ({sum(len(w) for w in weights.values())} weights)")
    return report
