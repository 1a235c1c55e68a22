"""YAML with line numbers: the data, plus where each key and value sits in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rasid.rules.problems import RuleFileError, RuleProblem

Location = tuple[str | int, ...]


@dataclass
class YamlDocument:
    data: Any
    # 1-based (line, column) of each value, by its path of keys and indices.
    marks: dict[Location, tuple[int, int]] = field(default_factory=dict)

    def line_of(self, loc: Location) -> tuple[int | None, int | None]:
        """Line of the deepest part of `loc` that exists in the file."""
        path = tuple(loc)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (None, None))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _index(node: yaml.Node, path: Location, doc: YamlDocument, problems: list[RuleProblem], file: Path) -> None:
    doc.marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line, column = _mark(key_node)
            if key in seen:
                problems.append(
                    RuleProblem(file, line, f"key {key!r} appears twice (first on line {seen[key]})",
                                "each key once", column)
                )
            seen[key] = line
            _index(value_node, (*path, key), doc, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), doc, problems, file)


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file; a syntax error becomes a RuleFileError with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError([RuleProblem(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                         "a UTF-8 encoded YAML file")]) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise RuleFileError([RuleProblem(path, line, f"YAML syntax error: {what}", "valid YAML", column)]) from exc
    except yaml.YAMLError as exc:
        raise RuleFileError([RuleProblem(path, None, f"YAML error: {exc}", "valid YAML")]) from exc
    doc = YamlDocument(data=data)
    problems: list[RuleProblem] = []
    if node is not None:
        _index(node, (), doc, problems, path)
    if problems:
        raise RuleFileError(problems)
    return doc
