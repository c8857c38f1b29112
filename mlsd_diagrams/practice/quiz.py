"""Quiz: the diagram with some component labels replaced by numbered blanks, and the answer key beside it.

The blanks are chosen by a seeded random generator (the same seed gives the
same quiz) or by kind (every service, every store). The picture keeps the
full diagram's layout (``frozen``), so a blank box has the size and place of
the label it hides and gives nothing away by moving.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UsageError
from ..spec.model import Diagram, Node, Spec
from .text import md

DEFAULT_BLANKS = 3


def blank_label(number: int) -> str:
    return f"? {number}"


@dataclass(frozen=True)
class Quiz:
    diagram: str
    answers: tuple[tuple[int, Node], ...]  # (blank number, node), numbered in reading order
    files: tuple[Path, ...]  # the pictures, then the answer key


@dataclass
class QuizResult:
    seed: int
    quizzes: list[Quiz] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # diagrams with nothing to blank
    warnings: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [f for q in self.quizzes for f in q.files]


def choose(d: Diagram, *, blank: int = DEFAULT_BLANKS, blank_kind: str | None = None, seed: int = 0,
           spec_id: str = "") -> list[Node]:
    """The nodes to blank: every node of ``blank_kind``, or ``blank`` nodes drawn with ``seed``.
    Notes are never blanked (they are annotations, not components)."""
    candidates = [n for n in d.nodes.values() if n.kind != "note"]
    if blank_kind:
        return [n for n in candidates if n.kind == blank_kind]
    # A string seed hashes the same in every process (PYTHONHASHSEED does not touch it).
    rng = random.Random(f"{seed}/{spec_id}/{d.id}")
    return rng.sample(candidates, min(blank, len(candidates)))


def quiz(spec: Spec, out_dir: Path | str = "output", options=None, *, diagrams: list[str] | None = None,
         blank: int = DEFAULT_BLANKS, blank_kind: str | None = None, seed: int | None = None) -> QuizResult:
    """Write ``<out>/<spec id>/quiz/<diagram>.<format>`` and ``<diagram>.answers.md`` for each diagram."""
    from ..renderer import Drawing, RenderOptions, draw, select
    from ..renderer.files import write_atomic
    from ..themes import load_theme
    from .frozen import freeze

    options = options or RenderOptions()
    theme = load_theme(options.theme)
    seed = random.SystemRandom().randrange(1_000_000) if seed is None else seed
    result = QuizResult(seed)
    chosen = {d.id: (d, choose(d, blank=blank, blank_kind=blank_kind, seed=seed, spec_id=spec.id))
              for d in select(spec, diagrams)}
    if blank_kind and not any(nodes for _, nodes in chosen.values()):
        kinds = sorted({n.kind for d, _ in chosen.values() for n in d.nodes.values()})
        raise UsageError(f"no node of kind {blank_kind!r} in {spec.id}"
                         f"{' diagram ' + ', '.join(chosen) if diagrams else ''}; its kinds are: {', '.join(kinds)}")
    target = Path(out_dir) / spec.id / "quiz"
    drawings, keys = [], {}
    for d, nodes in chosen.values():
        if not nodes:
            result.skipped.append(d.id)
            continue
        frozen = freeze(d, theme, timeout=options.timeout)
        numbered = _reading_order(nodes, frozen.centres(), d.flow)
        keys[d.id] = tuple((k, n) for k, n in enumerate(numbered, 1))
        source = frozen.source(blank={n.id: blank_label(k) for k, n in keys[d.id]},
                               nodes={n.id: {"fontsize": "15"} for _, n in keys[d.id]})
        drawings.append(Drawing(target, d.id, source, functools.partial(str, source), f"{spec.id}/{d.id}"))
    drawn = draw(drawings, options, theme)
    result.warnings += drawn.warnings
    shown = min(options.formats, key=("png", "svg", "pdf").index)
    for d, _ in chosen.values():
        if d.id in keys:
            images = tuple(target / f"{d.id}.{fmt}" for fmt in options.formats)
            key = target / f"{d.id}.answers.md"
            write_atomic(key, answer_key(spec, d, keys[d.id], seed=seed, blank_kind=blank_kind,
                                         image=f"{d.id}.{shown}"))
            result.quizzes.append(Quiz(d.id, keys[d.id], (*images, key)))
    return result


def _reading_order(nodes: list[Node], centres: dict[str, tuple[float, float]], direction: str) -> list[Node]:
    """Number blanks the way the diagram reads: along its direction first, then across."""
    def key(n: Node):
        x, y = centres.get(n.id, (0.0, 0.0))
        x, y = round(x), round(-y)  # Graphviz's y grows upwards; read top to bottom
        return {"LR": (x, y), "RL": (-x, y), "TB": (y, x), "BT": (-y, x)}.get(direction, (x, y))

    return sorted(nodes, key=lambda n: (key(n), n.id))


def answer_key(spec: Spec, d: Diagram, answers, *, seed: int, blank_kind: str | None, image: str) -> str:
    how = f"every {blank_kind}" if blank_kind else f"{len(answers)} blanks, seed {seed}"
    lines = [
        f"# Quiz answers: {md(spec.title)}, {md(d.title)}",
        "",
        f"Diagram `{d.id}` of `{spec.id}`; {how}.",
        "",
        f"![Quiz: {md(d.title)}]({image})",
        "",
        "| Blank | Answer | Kind | Node id |",
        "|---:|---|---|---|",
    ]
    lines += [f"| {k} | {md(n.label)} | {n.kind} | `{n.id}` |" for k, n in answers]
    return "\n".join(lines) + "\n"
