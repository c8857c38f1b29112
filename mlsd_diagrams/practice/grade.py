"""Grade: score your spec on the seven steps of the framework, as an interviewer would.

Each step lists what the reference design says (its requirements, its
framing, its metrics, its serving components ...) and whether yours says it
too. Text is compared through ``match.words``, the vocabulary ``check`` pairs
labels with: spelling, plurals, abbreviations and ML-system synonyms do not
matter ("ANN" covers "approximate nearest neighbours"). A point is covered
when your closest bullet holds at least half of its words (weighted; words
like "service" or "data" count for less), partly covered from a quarter.
Serving is scored with ``check.compare`` on the system diagram. Monitoring
is scored against the book's chapter 1 checklist as well, since most case
studies leave it out. The same specs always give the same grade.
"""

from __future__ import annotations

import difflib
import html
import math
import re
from dataclasses import dataclass, field

from ..core.errors import MlsdError
from ..spec.model import Diagram, Spec
from ..vocabulary import STEP_TITLES, STEPS
from .check import DiagramCheck, compare
from .match import CONCEPTS, GENERIC, GENERIC_WEIGHT, STOP, words
from .text import md

GRADE_FORMATS = ("text", "md", "html")
COVERED, PARTLY = 0.5, 0.25  # share of a point's words your closest text must hold
NODE_SHARE = 0.75  # serving: components weigh three times the edges
FILLER = STOP | {"is", "are", "be", "it", "its", "as", "at", "from", "so", "that", "this", "than", "then", "e",
                 "g", "eg", "ie", "etc", "per", "each", "must", "should", "can", "may", "only", "not", "no", "we"}
_NOT_COVERED = ("not covered", "no monitoring section", "has no monitoring")
_FRAMING = (("objective", "ML objective"), ("input", "Input"), ("output", "Output"), ("category", "ML category"))
_CONCEPT_TOKENS = set(CONCEPTS)


@dataclass(frozen=True)
class Point:
    """One thing the reference says, and how much of it yours says."""

    expected: str
    credit: float  # 0, 0.5 or 1 (serving's connections: the share matched)
    yours: str = ""  # your closest text, if any counts

    @property
    def status(self) -> str:
        return "covered" if self.credit >= 1 else "partly" if self.credit > 0 else "missing"


@dataclass
class StepGrade:
    step: str
    points: list[Point] = field(default_factory=list)
    weighted: float | None = None  # a score computed otherwise than the mean of the points (serving)

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]

    @property
    def score(self) -> float | None:
        """0..1, or None when the reference says nothing to compare with."""
        if self.weighted is not None:
            return self.weighted
        return sum(p.credit for p in self.points) / len(self.points) if self.points else None


@dataclass
class GradeReport:
    mine: Spec
    ref: Spec
    steps: list[StepGrade]

    @property
    def score(self) -> int:
        """0..100: the mean of the steps that have something to compare, rounded down."""
        scores = [s.score for s in self.steps if s.score is not None]
        return math.floor(100 * sum(scores) / len(scores) + 1e-9) if scores else 0

    def render(self, fmt: str = "text") -> str:
        if fmt not in GRADE_FORMATS:
            raise ValueError(f"fmt must be one of {', '.join(GRADE_FORMATS)}; got {fmt!r}")
        return {"text": report_text, "md": report_markdown, "html": report_html}[fmt](self)


# --- comparing text ----------------------------------------------------------------------------

def _content(text: str) -> list[str]:
    return [w for w in dict.fromkeys(words(text)) if w not in FILLER]


Rarity = dict[str, int]  # word -> how many of the reference's bullets use it


def rarity(spec: Spec) -> Rarity:
    """How many of a spec's framework bullets use each word: a word every bullet uses ("image" in visual
    search) says little about which point a bullet makes, so it counts for less."""
    counts: Rarity = {}
    for step in STEPS:
        for bullet in _bullets(spec, step):
            for w in _content(bullet):
                counts[w] = counts.get(w, 0) + 1
    return counts


def _weight(w: str, common: Rarity) -> float:
    return (GENERIC_WEIGHT if w in GENERIC else 1.0) / (1 + math.log(max(1, common.get(w, 1))))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if a in _CONCEPT_TOKENS or b in _CONCEPT_TOKENS or a.isdigit() or b.isdigit():
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def held(expected: str, yours: str, common: Rarity | None = None) -> float:
    """0..1: the weighted share of ``expected``'s words that ``yours`` holds (``common``: see ``rarity``)."""
    want, have, common = _content(expected), _content(yours), common or {}
    total = sum(_weight(w, common) for w in want)
    if not total or not have:
        return 0.0
    return sum(_weight(w, common) for w in want if any(_same_word(w, h) for h in have)) / total


def head(text: str) -> str:
    """A bullet's point before its detail: "nDCG (chosen - ...)" -> "nDCG"; "Preprocess each image - resize,
    ..." -> "Preprocess each image"."""
    return re.split(r" - |: |; | \(|, ", text, maxsplit=1)[0]


def point(expected: str, candidates: list[str], common: Rarity, *, short: bool = False) -> Point:
    """How well your closest text covers ``expected``: all its words, or the words of its head (when that
    names the point in two words or more, or always for a ``short`` item such as a metric)."""
    key = head(expected)
    use_head = key != expected and (short or len(_content(key)) >= 2)
    best, text = 0.0, ""
    for c in candidates:
        share = max(held(expected, c, common), held(key, c, common) if use_head else 0.0)
        if share > best:
            best, text = share, c
    credit = 1.0 if best >= COVERED else 0.5 if best >= PARTLY else 0.0
    return Point(expected, credit, text if credit else "")


# --- the steps ---------------------------------------------------------------------------------

def _bullets(spec: Spec, step: str) -> list[str]:
    value = spec.framework.get(step)
    if isinstance(value, dict):
        return [str(v) for vs in value.values() for v in (vs if isinstance(vs, list) else [vs])]
    return [str(v) for v in value or []]


def _drawn(spec: Spec, step: str) -> list[str]:
    """Labels and titles of your diagrams of a step: what you drew counts as much as what you wrote."""
    out = []
    for d in spec.diagrams.values():
        if d.step == step:
            out += [d.title, *(n.label for n in d.nodes.values())]
    return out


def _text_step(mine: Spec, ref: Spec, step: str, common: Rarity) -> StepGrade:
    candidates = _bullets(mine, step) + _drawn(mine, step)
    return StepGrade(step, [point(b, candidates, common) for b in _bullets(ref, step)])


def _framing(mine: Spec, ref: Spec) -> StepGrade:
    theirs, yours = ref.framework.get("framing") or {}, mine.framework.get("framing") or {}
    drawn = _drawn(mine, "framing")
    points = []
    for key, name in _FRAMING:
        if theirs.get(key):
            # field against field: a word the whole case study uses ("image") still names this input
            p = point(theirs[key], [yours[key]] if yours.get(key) else drawn, {})
            points.append(Point(f"{name}: {theirs[key]}", p.credit, p.yours))
    return StepGrade("framing", points)


def _evaluation(mine: Spec, ref: Spec, common: Rarity) -> StepGrade:
    theirs, yours = ref.framework.get("evaluation") or {}, mine.framework.get("evaluation") or {}
    drawn = _drawn(mine, "evaluation")
    points = []
    for key, name in (("offline", "offline"), ("online", "online")):
        for metric in theirs.get(key) or []:
            p = point(metric, list(yours.get(key) or []) + drawn, common, short=True)
            points.append(Point(f"{name}: {metric}", p.credit, p.yours))
    return StepGrade("evaluation", points)


def _system(spec: Spec) -> Diagram | None:
    serving = [d for d in spec.diagrams.values() if d.step == "serving"]
    return spec.diagrams.get("system") if "system" in spec.diagrams else (serving[0] if serving else None)


def _serving(mine: Spec, ref: Spec) -> StepGrade:
    target = _system(ref)
    if target is None:
        return StepGrade("serving")
    try:
        checks = [c for c in compare(mine, ref).diagrams if c.ref.id == target.id]
    except MlsdError:  # none of your diagrams resembles one of the reference's
        checks = []
    c: DiagramCheck | None = checks[0] if checks else None
    mine_labels = c.ref_to_mine() if c else {}
    points = [Point(n.label, 1.0, c.mine.nodes[mine_labels[nid]].label) if c and nid in mine_labels
              else Point(n.label, 0.0)
              for nid, n in target.nodes.items() if n.kind != "note"]
    matched = len(c.matched_edges) if c else 0
    edges = sum(1 for e in target.edges if all(target.nodes[x].kind != "note" for x in (e.src, e.dst)))
    edge_share = matched / edges if edges else 1.0
    points.append(Point(f"connections between components ({edges} in the reference)", round(edge_share, 4),
                        f"{matched} of {edges} drawn" if matched else ""))
    node_share = c.node_recall if c else 0.0
    return StepGrade("serving", points, weighted=NODE_SHARE * node_share + (1 - NODE_SHARE) * edge_share)


def _monitoring(mine: Spec, ref: Spec, checklist: list[str], common: Rarity) -> StepGrade:
    expected = [b for b in _bullets(ref, "monitoring") if not any(x in b.lower() for x in _NOT_COVERED)]
    expected += [b for b in checklist if b not in expected]
    candidates = _bullets(mine, "monitoring") + _drawn(mine, "monitoring")
    return StepGrade("monitoring", [point(b, candidates, common) for b in expected])


def grade(mine: Spec, ref: Spec, monitoring_checklist: list[str] | None = None) -> GradeReport:
    """Grade ``mine`` against ``ref`` step by step. ``monitoring_checklist``: what every design should say
    about monitoring (default: the bundled framework spec's monitoring bullets, from the book's ch. 1)."""
    if monitoring_checklist is None:
        from ..spec import load

        monitoring_checklist = _bullets(load("framework"), "monitoring")
    common = rarity(ref)
    steps = []
    for step in STEPS:
        if step == "framing":
            steps.append(_framing(mine, ref))
        elif step == "evaluation":
            steps.append(_evaluation(mine, ref, common))
        elif step == "serving":
            steps.append(_serving(mine, ref))
        elif step == "monitoring":
            steps.append(_monitoring(mine, ref, monitoring_checklist, common))
        else:
            steps.append(_text_step(mine, ref, step, common))
    return GradeReport(mine, ref, steps)


# --- the report --------------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{math.floor(100 * x + 1e-9)}%"


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _found(s: StepGrade) -> str:
    done = sum(1 for p in s.points if p.status == "covered")
    return f"{done} of {len(s.points)} covered"


def _heading(report: GradeReport) -> str:
    return f"{report.mine.path or report.mine.id} against {report.ref.id} ({report.ref.title})"


def report_text(report: GradeReport) -> str:
    lines = [f"Grading {_heading(report)}", ""]
    for i, s in enumerate(report.steps, 1):
        if s.score is None:
            lines += [f"{i}. {s.title}: n/a (the reference says nothing here)", ""]
            continue
        lines += [f"{i}. {s.title}: {_pct(s.score)} ({_found(s)})",
                  f"   {'':8} {'the reference':<60} yours"]
        for p in s.points:
            lines.append(f"   {p.status:<8} {_short(p.expected, 60):<60} {_short(p.yours, 40) or '-'}".rstrip())
        lines.append("")
    width = max(len(s.title) for s in report.steps)
    lines.append("Score by step:")
    lines += [f"  {s.title:<{width}}  {_pct(s.score):>4}" for s in report.steps]
    lines.append(f"Overall: {report.score}/100")
    return "\n".join(lines) + "\n"


def report_markdown(report: GradeReport) -> str:
    out = [f"# Grade: {md(_heading(report))}", "", f"**Overall: {report.score}/100**", "",
           "| step | score | covered |", "|---|---|---|"]
    out += [f"| {md(s.title)} | {_pct(s.score)} | {_found(s) if s.points else 'n/a'} |" for s in report.steps]
    for i, s in enumerate(report.steps, 1):
        out += ["", f"## {i}. {md(s.title)}: {_pct(s.score)}", ""]
        if not s.points:
            out.append("The reference says nothing here.")
            continue
        out += ["| | the reference | yours |", "|---|---|---|"]
        out += [f"| {p.status} | {md(p.expected)} | {md(p.yours) or '-'} |" for p in s.points]
    return "\n".join(out) + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;"
        "text-align:left;vertical-align:top}.covered{color:#1b5e20}.partly{color:#e65100}.missing{color:#b71c1c}")


def report_html(report: GradeReport) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Grade: {e(_heading(report))}</title><style>{_CSS}</style></head><body>",
           f"<h1>Grade: {e(_heading(report))}</h1>", f"<p><strong>Overall: {report.score}/100</strong></p>",
           "<table><tr><th>step</th><th>score</th><th>covered</th></tr>"]
    out += [f"<tr><td>{e(s.title)}</td><td>{_pct(s.score)}</td><td>{_found(s) if s.points else 'n/a'}</td></tr>"
            for s in report.steps]
    out.append("</table>")
    for i, s in enumerate(report.steps, 1):
        out.append(f"<h2>{i}. {e(s.title)}: {_pct(s.score)}</h2>")
        if not s.points:
            out.append("<p>The reference says nothing here.</p>")
            continue
        out.append("<table><tr><th></th><th>the reference</th><th>yours</th></tr>")
        out += [f'<tr><td class="{p.status}">{p.status}</td><td>{e(p.expected)}</td><td>{e(p.yours) or "-"}</td>'
                "</tr>" for p in s.points]
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


__all__ = ["GRADE_FORMATS", "GradeReport", "Point", "StepGrade", "grade", "held"]
