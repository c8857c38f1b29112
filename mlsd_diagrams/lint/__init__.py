"""ML design lint: rules from the book's seven-step framework, run over a loaded spec.

Where ``validate`` asks whether a spec is well formed, ``lint`` asks whether
the design it draws would hold up in an interview: ranking with no candidate
generation before it, a nearest-neighbour service with no index, a served
model nothing trains. Each rule has an id, a severity and the chapter behind
it; ``lint: {ignore: [rule-id]}`` on a spec or a diagram silences one there.
Rules live one group per module; a component's role is inferred in ``roles``.
"""

from __future__ import annotations

from ..core.errors import Problem, SpecError
from ..spec import load_checked
from ..spec.model import Spec
from . import framework, serving, training  # noqa: F401  (each registers its rules)
from .registry import RULES, Finding, LintRule, rule, run_rules


def lint(spec: Spec) -> list[Problem]:
    """The design problems of a loaded spec, in file order (those it silences left out)."""
    return run_rules(spec)


def lint_target(target: str) -> list[Problem]:
    """Lint a bundled id or a path. A spec that does not load gives its errors instead: there is no design
    to lint until it is well formed."""
    try:
        spec, _ = load_checked(target)
    except SpecError as e:
        return [p for p in e.problems if p.is_error]
    return lint(spec)


__all__ = ["RULES", "Finding", "LintRule", "lint", "lint_target", "rule"]
