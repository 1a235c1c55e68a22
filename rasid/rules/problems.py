"""What is wrong with a rule file, said so that an analyst can fix it: file, line, what, expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RuleProblem:
    file: Path
    line: int | None
    message: str
    expected: str = ""
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class RuleFileError(Exception):
    """A rule file that cannot be loaded; carries every problem found in it."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
