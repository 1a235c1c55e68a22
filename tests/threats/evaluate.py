"""Score the threat extractor on the hand-annotated dev set (tests/threats/data/threat_devset.jsonl).

usage: python -m tests.threats.evaluate [--rules-only] [--split SPLIT|all] [--errors]
(SPLIT: any split of the dev set, dev, heldout, heldout2 … heldout4, train2 … train18.)
Detection is scored per sentence (a sentence is predicted positive when the
extractor returns at least one threat). Actor/target: among detected gold
threats whose annotation has that role, the share where the predicted span
overlaps the annotated span; among those whose annotation names none, the share where none is emitted. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rasid.nlp.ner import extract_entities
from rasid.nlp.threats import extract_threats

DEVSET = Path(__file__).parent / "data" / "threat_devset.jsonl"


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in DEVSET.open(encoding="utf-8")]
    return [r for r in rows if split == "all" or r["split"] == split]


def overlaps(pred: dict | None, gold: dict | None) -> bool:
    """Spans overlap, or name the same words (the annotation marks only a name's first occurrence)."""
    if pred is None or gold is None:
        return False
    return (pred["start"] < gold["end"] and gold["start"] < pred["end"]) or pred["text"].strip() == gold["text"].strip()


def evaluate(rows: list[dict], show_errors: bool = False, rules_only: bool = False) -> dict:
    tp = fp = fn = tn = 0
    role_hits = {"actor": [0, 0], "target": [0, 0]}
    unnamed_none = {"actor": [0, 0], "target": [0, 0]}  # where the annotation names no role: none emitted?
    for row in rows:
        text = row["text"]
        found = extract_threats(text, "text", extract_entities(text, "text"), model=None if rules_only else True)
        threats = [t.model_dump() for t in found]
        predicted, gold = bool(threats), row["threat"]
        if predicted and gold:
            tp += 1
            g, p = row["threats"][0], threats[0]
            for role in role_hits:
                if g[role] is None:
                    unnamed_none[role][1] += 1
                    unnamed_none[role][0] += all(t[role] is None for t in threats)
                if g[role] is not None:
                    role_hits[role][1] += 1
                    ok = any(overlaps(t[role], g[role]) for t in threats)
                    role_hits[role][0] += ok
                    if show_errors and not ok:
                        got = p[role]["text"] if p[role] else None
                        print(f"ROLE {role} cid={row['cid']} gold={g[role]['text']!r} got={got!r}")
        elif predicted:
            fp += 1
            if show_errors:
                print(f"FP cid={row['cid']} ({row['reason']}) trig={threats[0]['trigger']['text']!r}: {text[:140]}")
        elif gold:
            fn += 1
            if show_errors:
                print(f"FN cid={row['cid']} trig={row['threats'][0]['trigger']['text']!r}: {text[:140]}")
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "sentences": len(rows), "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": round(precision, 3), "recall": round(recall, 3),
        "actor_overlap": round(role_hits["actor"][0] / role_hits["actor"][1], 3) if role_hits["actor"][1] else None,
        "target_overlap": round(role_hits["target"][0] / role_hits["target"][1], 3) if role_hits["target"][1] else None,
        "actor_scored": role_hits["actor"][1], "target_scored": role_hits["target"][1],
        **{f"{role}_none_when_unnamed": round(hit / n, 3) if n else None for role, (hit, n) in unnamed_none.items()},
        **{f"{role}_unnamed": n for role, (_, n) in unnamed_none.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    splits = list(dict.fromkeys(row["split"] for row in load("all")))
    parser.add_argument("--split", default="dev", choices=[*splits, "all"])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--rules-only", action="store_true", help="the hand rules alone, without the decision layer")
    args = parser.parse_args()
    result = evaluate(load(args.split), args.errors, args.rules_only)
    print(f"{'rules ' if args.rules_only else ''}split={args.split} P={result['precision']} R={result['recall']} "
          f"actor={result['actor_overlap']} target={result['target_overlap']} (tp={result['tp']} fp={result['fp']} fn={result['fn']})")
    print(json.dumps({"split": args.split, "decision_layer": not args.rules_only, **result}))


if __name__ == "__main__":
    main()
