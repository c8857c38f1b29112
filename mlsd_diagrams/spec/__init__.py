"""Specs: read a YAML file, check it, and hand back the typed model."""

from __future__ import annotations

from ..catalog import resolve
from ..core.errors import Problem, SpecError
from .checks import run_checks
from .load import load_file
from .model import Diagram, Edge, Group, Node, Spec


def load_checked(target: str) -> tuple[Spec, list[Problem]]:
    """Load a bundled id or a path and run every rule; raise ``SpecError`` if any rule found an error."""
    path, display = resolve(target)
    spec = load_file(path, display)
    problems = run_checks(spec)
    if any(p.is_error for p in problems):
        raise SpecError(problems)
    return spec, problems


def load(target: str) -> Spec:
    """The spec for a bundled id or a path; raises ``SpecError`` with every problem if it is not valid."""
    return load_checked(target)[0]


def load_all(targets) -> tuple[list[Spec], list[Problem]]:
    """Load several specs; raise one ``SpecError`` with the problems of all of them if any has an error."""
    specs, problems = [], []
    for target in dict.fromkeys(targets):
        try:
            spec, warnings = load_checked(target)
            specs.append(spec)
            problems += warnings
        except SpecError as e:
            problems += e.problems
    if any(p.is_error for p in problems):
        raise SpecError(problems)
    return specs, problems


def validate(target: str) -> list[Problem]:
    """Every problem (errors and warnings) of a spec; an empty list means it is clean."""
    try:
        return load_checked(target)[1]
    except SpecError as e:
        return e.problems


__all__ = ["Diagram", "Edge", "Group", "Node", "Spec", "load", "load_all", "load_checked", "validate"]
