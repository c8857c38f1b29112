"""Specs: read a YAML file, check it, and hand back the typed model."""

from __future__ import annotations

from ..errors import Problem, SpecError
from .load import load_file
from .model import Diagram, Edge, Group, Node, Spec


def load_checked(target: str) -> tuple[Spec, list[Problem]]:
    """Load a bundled id or a path and run every rule; raise ``SpecError`` if any rule found an error."""
    from ..catalog import resolve
    from ..checks import run_checks  # checks builds on spec.model; importing it at the top would be circular

    path, display = resolve(target)
    spec = load_file(path, display)
    problems = run_checks(spec)
    if any(p.is_error for p in problems):
        raise SpecError(problems)
    return spec, problems


def load(target: str) -> Spec:
    """The spec for a bundled id or a path; raises ``SpecError`` with every problem if it is not valid."""
    return load_checked(target)[0]


def validate(target: str) -> list[Problem]:
    """Every problem (errors and warnings) of a spec; an empty list means it is clean."""
    try:
        return load_checked(target)[1]
    except SpecError as e:
        return e.problems


__all__ = ["Diagram", "Edge", "Group", "Node", "Spec", "load", "load_checked", "validate"]
