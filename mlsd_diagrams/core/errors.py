"""Typed errors raised by the library; only the CLI turns them into exit codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple


class Pos(NamedTuple):
    """A place in a source file; line and col count from 1."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class Severity(str, enum.Enum):
    """How bad a problem is: an error stops the spec from loading, a warning does not."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Problem:
    """One finding about a spec: where, how bad, and what to do."""

    pos: Pos | None
    message: str
    severity: Severity = Severity.ERROR
    file: str = ""  # the file; taken from ``pos`` when there is one

    def __str__(self) -> str:
        where = str(self.pos) if self.pos else self.file
        return f"{where}: {self.severity}: {self.message}"

    def __post_init__(self) -> None:
        if self.pos and not self.file:  # ``file`` always names the file, with or without a position
            object.__setattr__(self, "file", self.pos.file)

    @property
    def line(self) -> int | None:
        return self.pos.line if self.pos else None

    @property
    def column(self) -> int | None:
        return self.pos.col if self.pos else None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File order, then line and column; identical findings appear once."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda p: (p.pos or Pos(p.file, 0, 0), p.message))


class MlsdError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1


class SpecError(MlsdError):
    """A spec (or theme) file is not valid; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(MlsdError):
    """The request itself makes no sense (unknown diagram id, bad option value)."""

    exit_code = 2


class GraphvizError(MlsdError):
    """Graphviz is missing, failed or timed out."""

    exit_code = 3


class OutputError(MlsdError):
    """An output file could not be written: disk full, no permission, read-only file system.
    Files already in place are left as they were."""

    exit_code = 3


INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program was not found on PATH. Install it:\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  macOS:         brew install graphviz\n"
    "or run scripts/setup, which installs everything the project needs."
)
