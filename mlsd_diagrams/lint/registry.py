"""The lint rule registry: each rule is a function over a loaded spec, registered with ``@rule``.

A rule yields ``Finding``s; ``lint`` turns them into ``Problem``s worded
``[rule-id] message (ch. N)`` and drops those a spec or diagram silences with
``lint: {ignore: [rule-id]}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..core.errors import Pos, Problem, Severity, sort_problems
from ..spec.model import Spec


@dataclass(frozen=True)
class Finding:
    pos: Pos
    message: str
    diagram: str | None = None  # the diagram it is about, whose lint.ignore may silence it


Check = Callable[[Spec], Iterator[Finding]]


@dataclass(frozen=True)
class LintRule:
    id: str
    chapter: str  # the book's chapter behind the rule, e.g. "ch. 6"
    severity: Severity
    check: Check

    @property
    def summary(self) -> str:
        """The first line of the rule's docstring: what it looks for."""
        return (self.check.__doc__ or "").strip().split("\n")[0]


RULES: dict[str, LintRule] = {}


def rule(rule_id: str, chapter: str, severity: Severity = Severity.WARNING) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        assert rule_id not in RULES, rule_id
        RULES[rule_id] = LintRule(rule_id, chapter, severity, fn)
        return fn

    return register


def run_rules(spec: Spec) -> list[Problem]:
    """Every finding of every rule that the spec and its diagrams do not silence, in file order."""
    silenced = set(spec.lint.ignore) if spec.lint else set()
    problems = []
    for r in RULES.values():
        if r.id in silenced:
            continue
        for f in r.check(spec):
            d = spec.diagrams.get(f.diagram) if f.diagram else None
            if d is not None and d.lint is not None and r.id in d.lint.ignore:
                continue
            problems.append(Problem(f.pos, f"[{r.id}] {f.message} ({r.chapter})", r.severity))
    return sort_problems(problems)
