"""Rule files in, validated rules out, or problems with file, line, what and expected."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rasid.rules.conditions import Condition, EntityMatch, QueryCondition, SourceMatch, ThreatMatch
from rasid.rules.kinds import RULE_CLASSES, Rule
from rasid.rules.problems import RuleFileError, RuleProblem
from rasid.rules.query import QuerySyntaxError
from rasid.rules.query.compiled import compile_query
from rasid.rules.spec import ELASTALERT_ONLY_KEYS, RULE_TYPES, SPEC_BY_TYPE, RuleSpec
from rasid.rules.yaml_source import YamlDocument, read_yaml

RULE_SUFFIXES = (".yaml", ".yml")


def _field_description(model: type[RuleSpec], loc: tuple[Any, ...]) -> str:
    current: Any = model
    description = ""
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            break
        info = fields[part]
        description = info.description or ""
        annotation = info.annotation
        current = next((a for a in getattr(annotation, "__args__", ()) if hasattr(a, "model_fields")), annotation)
    return description


def _known_keys(model: type[RuleSpec], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            break
        annotation = fields[part].annotation
        current = next((a for a in getattr(annotation, "__args__", ()) if hasattr(a, "model_fields")), annotation)
    return list(getattr(current, "model_fields", {}))


def _problems_of(exc: ValidationError, model: type[RuleSpec], doc: YamlDocument, path: Path) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = error["type"]
        dotted = ".".join(str(p) for p in loc)
        if kind == "missing":
            line, column = doc.line_of(loc[:-1])
            expected = _field_description(model, loc)
            problems.append(RuleProblem(path, line, f"required key {loc[-1]!r} is missing", expected, None,
                                        ".".join(str(p) for p in loc[:-1])))
            continue
        line, column = doc.line_of(loc)
        if kind == "extra_forbidden":
            key = str(loc[-1])
            if key in ELASTALERT_ONLY_KEYS and len(loc) == 1:
                why, instead = ELASTALERT_ONLY_KEYS[key]
                problems.append(RuleProblem(path, line, f"ElastAlert2 key {key!r} does not apply: {why}",
                                            instead, column))
                continue
            known = _known_keys(model, loc[:-1])
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            expected = f"a known key; did you mean {close[0]!r}?" if close else "one of: " + ", ".join(known)
            problems.append(RuleProblem(path, line, f"unknown key {key!r}", expected, column))
            continue
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        if kind in ("literal_error", "enum"):
            got = error.get("input")
            message = f"{got!r} is not allowed"
            expected = str(error.get("ctx", {}).get("expected", ""))
        else:
            expected = _field_description(model, loc) if kind != "value_error" else ""
            if "input" in error and kind != "value_error" and not isinstance(error["input"], (dict, list)):
                message = f"{error['input']!r}: {message}"
        problems.append(RuleProblem(path, line, message, expected, column, dotted))
    return problems


def default_rule_id(path: Path, root: Path | None) -> str:
    relative = path.relative_to(root) if root and path.is_relative_to(root) else Path(path.name)
    return relative.with_suffix("").as_posix()


def parse_rule_file(path: Path, root: Path | None = None) -> tuple[RuleSpec, YamlDocument]:
    """Read and validate one rule file; raise RuleFileError listing everything wrong."""
    doc = read_yaml(path)
    data = doc.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a YAML {type(data).__name__}"
        raise RuleFileError([RuleProblem(path, 1, f"the file is {what}",
                                         "a mapping of rule keys (name:, type:, …)")])
    rule_type = data.get("type")
    if rule_type not in RULE_TYPES:
        line, column = doc.line_of(("type",))
        message = "required key 'type' is missing" if rule_type is None else f"unknown rule type {rule_type!r}"
        raise RuleFileError([RuleProblem(path, line, message, "type: one of " + ", ".join(RULE_TYPES), column)])
    model = SPEC_BY_TYPE[rule_type]
    try:
        spec = model.model_validate(data)
    except ValidationError as exc:
        problems = _problems_of(exc, model, doc, path)
        raise RuleFileError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0))) from exc
    if spec.id is None:
        spec = spec.model_copy(update={"id": default_rule_id(path, root)})
    return spec, doc


def _query_problem(path: Path, doc: YamlDocument, loc: tuple[str, ...], exc: QuerySyntaxError) -> RuleProblem:
    line, _ = doc.line_of(loc)
    caret = "\n    " + exc.query + "\n    " + " " * exc.column + "^"
    return RuleProblem(path, line, f"{exc.message} at character {exc.column + 1} of the query{caret}",
                       exc.expected, None, ".".join(loc))


def build_rule(spec: RuleSpec, path: Path | None = None, doc: YamlDocument | None = None) -> Rule:
    """Compile a validated spec into its rule class; query errors become RuleFileError."""
    doc = doc or YamlDocument(data=None)
    where = path or Path("<rule>")
    conditions: list[Condition] = []
    try:
        if spec.query:
            conditions.append(QueryCondition(compile_query(spec.query, tuple(spec.fields), spec.default_operator)))
    except QuerySyntaxError as exc:
        raise RuleFileError([_query_problem(where, doc, ("query",), exc)]) from exc
    if spec.entity:
        conditions.append(EntityMatch(spec.entity))
    if spec.threat:
        for part in ("actor", "target"):
            text = getattr(spec.threat, part)
            if text:
                try:
                    compile_query(text, ("span",))
                except QuerySyntaxError as exc:
                    raise RuleFileError([_query_problem(where, doc, ("threat", part), exc)]) from exc
        conditions.append(ThreatMatch.of(spec.threat))
    if spec.sources and spec.type != "flatline":  # a flatline rule watches its sources
        conditions.append(SourceMatch(frozenset(spec.sources)))
    assert spec.id is not None
    return RULE_CLASSES[spec.type](spec=spec, rule_id=spec.id, conditions=conditions, path=path)


def load_rule_file(path: Path, root: Path | None = None) -> Rule:
    spec, doc = parse_rule_file(path, root)
    return build_rule(spec, path, doc)


def rule_files(directory: Path) -> list[Path]:
    """Every rule file under `directory`, in a stable order (hidden files and folders skipped)."""
    return sorted(
        p for p in directory.rglob("*")
        if p.suffix in RULE_SUFFIXES and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )


@dataclass
class LoadedRules:
    rules: list[Rule] = field(default_factory=list)
    problems: list[RuleProblem] = field(default_factory=list)
    # Files that failed, so a reload can keep their last good version.
    failed: set[Path] = field(default_factory=set)


def load_rules(directory: Path) -> LoadedRules:
    """Load every rule file; collect all problems instead of stopping at the first."""
    out = LoadedRules()
    if not directory.is_dir():
        out.problems.append(RuleProblem(directory, None, "not a directory", "a directory of *.yaml rule files"))
        return out
    by_id: dict[str, Path] = {}
    by_name: dict[str, Path] = {}
    for path in rule_files(directory):
        try:
            rule = load_rule_file(path, directory)
        except RuleFileError as exc:
            out.problems.extend(exc.problems)
            out.failed.add(path)
            continue
        clash = by_id.get(rule.rule_id) or by_name.get(rule.name)
        if clash is not None:
            what = "id" if rule.rule_id in by_id else "name"
            value = rule.rule_id if what == "id" else rule.name
            out.problems.append(RuleProblem(path, None, f"rule {what} {value!r} is already used by {clash}",
                                            f"a unique {what}"))
            out.failed.add(path)
            continue
        by_id[rule.rule_id] = path
        by_name[rule.name] = path
        out.rules.append(rule)
    return out
