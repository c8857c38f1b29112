"""Cheat sheet: one page with the seven framework steps, the metrics and the diagrams.

Markdown links the diagrams as PNG files written beside it (the same files
``render`` writes); HTML embeds them as SVG data URIs, so the one file
travels alone (and each drawing keeps its own ids and styles, which inline
SVGs sharing a page would not).
"""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path

from ..spec.model import Diagram, Spec
from ..vocabulary import STEP_TITLES, STEPS
from .text import md

SHEET_FORMATS = ("md", "html")
_FRAMING = (("objective", "Objective"), ("input", "Input"), ("output", "Output"), ("category", "ML category"))
_METRICS = (("offline", "Offline metrics"), ("online", "Online metrics"))


def step_items(spec: Spec, step: str) -> list[tuple[str | None, str]]:
    """A step's bullets as (term or None, text); framing and evaluation are named fields."""
    value = spec.framework.get(step)
    if step == "framing" and isinstance(value, dict):
        return [(name, value[key]) for key, name in _FRAMING if value.get(key)]
    if step == "evaluation" and isinstance(value, dict):
        return [(name, ", ".join(value[key])) for key, name in _METRICS if value.get(key)]
    return [(None, v) for v in value or []]


def _diagrams(spec: Spec) -> list[Diagram]:
    """In framework order (a diagram without a step keeps its place at the end)."""
    rank = {s: i for i, s in enumerate(STEPS)}
    return sorted(spec.diagrams.values(), key=lambda d: rank.get(d.step or "", len(STEPS)))


def sheet(spec: Spec, out_dir: Path | str = "output", *, fmt: str = "md", theme: str = "book",
          timeout: float | None = None) -> list[Path]:
    """Write ``<out>/<spec id>/sheet.<fmt>`` (and, for Markdown, the PNGs it links); returns the files."""
    from ..renderer import RenderOptions, render
    from ..renderer.files import write_atomic

    if fmt not in SHEET_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(SHEET_FORMATS)}; got {fmt!r}")
    target = Path(out_dir) / spec.id
    if fmt == "md":
        images = render(spec, out_dir, RenderOptions(formats=("png",), theme=theme, timeout=timeout)).files
        path = target / "sheet.md"
        write_atomic(path, markdown(spec))
        return [path, *images]
    with tempfile.TemporaryDirectory(prefix="mlsd-sheet-") as tmp:
        render(spec, tmp, RenderOptions(formats=("svg",), theme=theme, timeout=timeout), force=True)
        svgs = {d: (Path(tmp) / spec.id / f"{d}.svg").read_bytes() for d in spec.diagrams}
    path = target / "sheet.html"
    write_atomic(path, page(spec, svgs))
    return [path]


def markdown(spec: Spec) -> str:
    lines = [f"# {md(spec.title)}", ""]
    about = [f"Chapter {spec.chapter}." if spec.chapter else "", md(spec.summary)]
    if any(about):
        lines += [" ".join(a for a in about if a), ""]
    for k, step in enumerate(STEPS, 1):
        lines += [f"## {k}. {STEP_TITLES[step]}", ""]
        items = step_items(spec, step)
        bullets = [f"- **{term}:** {md(text)}" if term else f"- {md(text)}" for term, text in items]
        lines += bullets or ["- (not written)"]
        lines.append("")
    lines += ["## Diagrams", ""]
    for d in _diagrams(spec):
        step = f" ({STEP_TITLES[d.step]})" if d.step else ""
        lines += [f"### {md(d.title)}{step}", "", f"![{md(d.title)}]({d.id}.png)", ""]
        if d.caption:
            lines += [f"*{md(d.caption)}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_CSS = """
:root { color: #1f2933; font: 13px/1.4 'DejaVu Sans', Helvetica, Arial, sans-serif; }
body { max-width: 1200px; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
.about { color: #52606d; margin: 0 0 1rem; }
.steps { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .6rem; }
.step { border: 1px solid #cfd8dc; border-radius: 6px; padding: .4rem .7rem; }
.step h2 { font-size: 1rem; margin: .1rem 0 .3rem; }
.step h2 span { display: inline-block; min-width: 1.3rem; color: #546e7a; }
.step ul { margin: 0; padding-left: 1.1rem; }
.step.metrics { background: #fff8e1; }
.empty { color: #90a4ae; }
.diagrams { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 1rem; margin-top: 1rem; }
figure { margin: 0; border: 1px solid #eceff1; border-radius: 6px; padding: .5rem; max-width: 100%;
         box-sizing: border-box; break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { max-width: 40rem; }
figcaption { color: #52606d; font-size: .9rem; }
@media print { @page { size: A4 landscape; margin: 1cm; } body { margin: 0; max-width: none; } }
"""


def page(spec: Spec, svgs: dict[str, bytes]) -> str:
    e = html.escape
    about = " ".join(x for x in (f"Chapter {spec.chapter}." if spec.chapter else "", spec.summary) if x)
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(spec.title)}: cheat sheet</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<header><h1>{e(spec.title)}</h1>" + (f'<p class="about">{e(about)}</p>' if about else "") + "</header>",
           '<main class="steps">']
    for k, step in enumerate(STEPS, 1):
        items = step_items(spec, step)
        cls = "step metrics" if step == "evaluation" else "step"
        out.append(f'<section class="{cls}" id="{step}"><h2><span>{k}</span>{e(STEP_TITLES[step])}</h2>')
        if items:
            out.append("<ul>" + "".join(f"<li><b>{e(t)}:</b> {e(x)}</li>" if t else f"<li>{e(x)}</li>"
                                        for t, x in items) + "</ul>")
        else:
            out.append('<p class="empty">(not written)</p>')
        out.append("</section>")
    out += ["</main>", '<section class="diagrams">']
    for d in _diagrams(spec):
        uri = "data:image/svg+xml;base64," + base64.b64encode(svgs[d.id]).decode("ascii")
        step = f" ({STEP_TITLES[d.step]})" if d.step else ""
        caption = f"<b>{e(d.title)}</b>{e(step)}" + (f"<br>{e(d.caption)}" if d.caption else "")
        out.append(f'<figure id="diagram-{d.id}"><img src="{uri}" alt="{e(d.title)}">'
                   f"<figcaption>{caption}</figcaption></figure>")
    out += ["</section>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
