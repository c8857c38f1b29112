"""The book's figure catalogue: every architecture-type figure of chapters 1-11, and which diagram draws it.

One YAML file per chapter (``chNN.yaml``) lists the chapter's figures by
number, each with a short title (our own words) and a kind. Diagrams cite
the figures they draw with ``figures: ["8.12"]``; ``coverage`` joins the two.
UI mock-ups, plots, tables and example photos are not catalogued.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIGURE_KINDS = ("system", "pipeline", "model", "features", "framing", "category")


@dataclass(frozen=True)
class Figure:
    number: str  # "8.12"
    chapter: int
    title: str
    kind: str  # one of FIGURE_KINDS

    @property
    def order(self) -> tuple[int, int]:
        chapter, figure = self.number.split(".")
        return int(chapter), int(figure)


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    spec: str  # the bundled spec that draws this chapter's figures
    figures: tuple[Figure, ...]


def chapters() -> list[Chapter]:
    """Every catalogued chapter, in order, read from the package's ``chNN.yaml`` files."""
    import yaml

    found = []
    for entry in sorted(Path(__file__).resolve().parent.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("ch") and entry.name.endswith(".yaml")):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        number = int(data["chapter"])
        figures = tuple(sorted((Figure(str(n), number, f["title"], f["kind"]) for n, f in data["figures"].items()),
                               key=lambda f: f.order))
        found.append(Chapter(number, data["title"], data["spec"], figures))
    return sorted(found, key=lambda c: c.number)


def catalogue() -> dict[str, Figure]:
    """Figure number -> figure, for every catalogued figure."""
    return {f.number: f for c in chapters() for f in c.figures}


def citations(specs) -> dict[str, list[str]]:
    """Figure number -> the diagrams that cite it, as ``spec_id/diagram_id``."""
    cited: dict[str, list[str]] = {}
    for spec in specs:
        for d in spec.diagrams.values():
            for number in d.figures:
                cited.setdefault(number, []).append(f"{spec.id}/{d.id}")
    return cited
