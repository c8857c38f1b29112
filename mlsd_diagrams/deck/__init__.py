"""Slide decks: a title slide per case study, then one 16:9 slide per diagram.

The pictures come through the one render path (``renderer.draw``) as an SVG
and a PNG each, drawn without the diagram's title, which the slide's title
shows instead; the speaker notes hold the diagram's caption and the framework
bullets of the step it illustrates (as the cheat sheet lists them). The file
is built in memory and written whole or not at all. python-pptx, which writes
it, is the optional extra ``[deck]`` and is imported only here.

    >>> import mlsd_diagrams as md
    >>> from mlsd_diagrams.deck import deck
    >>> deck([md.load("visual_search")], "deck.pptx", diagrams=["system"])  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import MlsdError, UsageError
from ..core.suggest import did_you_mean
from ..core.types import ID_PATTERN
from ..practice.sheet import step_items
from ..spec.model import Diagram, Spec
from ..themes import Theme, load_theme
from ..vocabulary import STEP_TITLES

if TYPE_CHECKING:
    from .slides import Look

__all__ = ["DEFAULT_SCALE", "DeckResult", "MissingDependency", "deck", "notes", "plan"]

DEFAULT_SCALE = 2.0  # PNG pixels per SVG pixel: sharp on a projector
INSTALL = "pip install 'mlsd-diagrams[deck]'  (or: pip install python-pptx)"
_ID = re.compile(ID_PATTERN)
# An empty title still reaches Graphviz as a one-space label (Graphviz 2.43 rejects an empty HTML label),
# which would leave a blank line above the picture: the graph's own label goes, the clusters' stay.
_TOP_LABEL = re.compile(r"^(\tgraph \[[^\n]*?)\blabel=< > ?", re.M)


class MissingDependency(MlsdError):
    """A package that an optional feature needs is not installed."""

    exit_code = 3


@dataclass
class DeckResult:
    path: Path
    slides: int = 0
    diagrams: list[str] = field(default_factory=list)  # "spec/diagram", in slide order
    skipped: list[str] = field(default_factory=list)  # spec ids that have none of the diagrams asked for
    warnings: list[str] = field(default_factory=list)  # Graphviz's, as "spec/diagram: message"


def plan(specs: list[Spec], diagram_ids: list[str] | None = None) -> tuple[list[tuple[Spec, list[Diagram]]],
                                                                             list[str]]:
    """(spec, its diagrams for the deck) in order, and the ids of specs left out for having none of them.

    Without ``diagram_ids`` every diagram of every spec goes in. With them, each spec gives those it has,
    so ``["system"]`` over every case study is a deck of system designs; an id that no spec has is a usage
    error (with a suggestion).
    """
    if not diagram_ids:
        return [(spec, list(spec.diagrams.values())) for spec in specs], []
    wanted = list(dict.fromkeys(diagram_ids))
    missing = [did for did in wanted if not any(did in spec.diagrams for spec in specs)]
    if missing and len(specs) == 1:
        from ..renderer import select

        select(specs[0], missing)  # raises, naming the diagrams the spec has
    if missing:
        known = dict.fromkeys(did for spec in specs for did in spec.diagrams)
        raise UsageError(f"no spec named has a diagram {missing[0]!r}{did_you_mean(missing[0], known)}")
    chosen = [(spec, [spec.diagrams[d] for d in wanted if d in spec.diagrams]) for spec in specs]
    return [(s, ds) for s, ds in chosen if ds], [s.id for s, ds in chosen if not ds]


def notes(spec: Spec, diagram: Diagram) -> str:
    """Speaker notes: the caption, the framework step with its bullets, and the book's figures."""
    parts = [diagram.caption] if diagram.caption else []
    if diagram.step:
        items = step_items(spec, diagram.step)
        parts.append("\n".join([f"Step: {STEP_TITLES[diagram.step]}",
                                *(f"- {term}: {text}" if term else f"- {text}" for term, text in items)]))
    if diagram.figures:
        parts.append(f"Book figure{'s' if len(diagram.figures) > 1 else ''}: {', '.join(diagram.figures)}")
    return "\n\n".join(parts)


def deck(specs: list[Spec], out: Path | str, *, diagrams: list[str] | None = None, theme: str | Theme = "book",
         scale: float = DEFAULT_SCALE, timeout: float | None = None,
         progress: Callable[[str], None] | None = None) -> DeckResult:
    """Write a .pptx deck of the specs' diagrams (all, or those named) to ``out``; returns what went in."""
    try:
        from . import slides
    except ImportError as e:
        raise MissingDependency(f"a slide deck needs python-pptx ({e.name} is missing): {INSTALL}") from None
    from ..renderer import Drawing, RenderOptions, draw
    from ..renderer.files import write_atomic

    path = Path(out)
    if path.suffix.lower() != ".pptx":
        raise UsageError(f"{path}: a deck is a .pptx file; give a name such as deck.pptx")
    theme = load_theme(theme) if isinstance(theme, str) else theme
    sections, skipped = plan(specs, diagrams)
    if not sections:
        raise UsageError("nothing to put in the deck: name at least one spec with diagrams")
    for spec, chosen in sections:  # the loader guarantees this; a Spec built by hand in Python might not
        for name in (spec.id, *(d.id for d in chosen)):
            if not _ID.fullmatch(name):
                raise UsageError(f"{name!r} is not an id (snake_case)")
    options = RenderOptions(formats=("svg", "png"), scale=scale, timeout=timeout)
    result = DeckResult(path, skipped=skipped)
    with tempfile.TemporaryDirectory(prefix="mlsd-deck-") as tmp:
        jobs = [Drawing(Path(tmp) / spec.id, d.id, ("deck", d), _untitled_dot(d, theme), f"{spec.id}/{d.id}")
                for spec, chosen in sections for d in chosen]
        rendered = draw(jobs, options, theme, force=True, progress=progress)
        result.warnings = rendered.warnings
        built = []
        for spec, chosen in sections:
            pictures = []
            for d in chosen:
                folder = Path(tmp) / spec.id
                pictures.append(slides.Picture(
                    title=d.title, png=(folder / f"{d.id}.png").read_bytes(),
                    svg=(folder / f"{d.id}.svg").read_bytes(), scale=options.scale, notes=notes(spec, d),
                    alt=f"{d.title}. {d.caption}" if d.caption else d.title))
                result.diagrams.append(f"{spec.id}/{d.id}")
            built.append(slides.Section(spec.title, _subtitle(spec, len(chosen)), _section_notes(spec, chosen),
                                        pictures))
    data = slides.build(built, _look(theme), title=_deck_title(specs, sections))
    write_atomic(path, data)
    result.slides = len(sections) + len(result.diagrams)
    return result


def _untitled_dot(d: Diagram, theme: Theme) -> Callable[[], str]:
    """The diagram's DOT without its title: on a slide the title is the slide's own, not part of the picture."""
    def source() -> str:
        from ..renderer.dot import build_dot  # imports diagrams: only when something is drawn

        return _TOP_LABEL.sub(r"\1", build_dot(dataclasses.replace(d, title=""), theme), count=1)
    return source


def _look(theme: Theme) -> Look:
    from .slides import Look, hex_colour

    text = theme.title.get("fontcolor") or theme.graph.get("fontcolor")
    font = theme.graph.get("fontname")
    return Look(background=hex_colour(theme.background), text=hex_colour(str(text) if text else None),
                font=str(font) if font else None)


def _subtitle(spec: Spec, count: int) -> list[str]:
    line = " · ".join(x for x in (f"Chapter {spec.chapter}" if spec.chapter else "",
                                   f"{count} diagram{'s' if count != 1 else ''}") if x)
    return [line, spec.summary] if spec.summary else [line]


def _section_notes(spec: Spec, chosen: list[Diagram]) -> str:
    listing = "\n".join(f"- {d.title}" for d in chosen)
    return "\n\n".join(x for x in (spec.summary, f"Diagrams:\n{listing}") if x)


def _deck_title(specs: list[Spec], sections: list[tuple[Spec, list[Diagram]]]) -> str:
    if len(sections) == 1:
        return sections[0][0].title
    return f"Machine learning system design: {len(sections)} case studies"
