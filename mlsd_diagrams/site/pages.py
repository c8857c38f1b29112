"""The HTML of the site: the index with a card per spec, and a chapter page per spec.

Pages are filled from the templates in ``templates/``; every piece of text
from a spec is HTML-escaped on the way in, and the data the page's scripts
use (frames, groups, labels) travels as JSON in a ``<script
type="application/json">``, which the browser never runs.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template

from ..practice.reveal import frames
from ..practice.sheet import step_items
from ..spec.model import Diagram, Spec
from ..vocabulary import REVEAL_BY, STEP_TITLES, STEPS
from .inline import Inline
from .names import INDEX_FILE, chapter_file, diagram_anchor, spec_label, step_anchor

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHAPTER_SCRIPTS = ("dom.js", "zoom.js", "quiz.js", "steps.js", "selfdraw.js", "figure.js")
e = html.escape


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def page(title: str, main: str, *, page_class: str, scripts: tuple[str, ...] = ()) -> str:
    tags = "".join(f'<script src="assets/{s}" defer></script>\n' for s in scripts)
    return _template("page.html").substitute(title=e(title), main=main, page_class=page_class, scripts=tags)


def ordered(specs: list[Spec]) -> list[Spec]:
    """Book order: by chapter, chapter-less specs (your own) last."""
    return sorted(specs, key=lambda s: (s.chapter is None, s.chapter or 0, s.id))


# --- the index -------------------------------------------------------------------------------------------------

def index_page(specs: list[Spec], thumbs: dict[tuple[str, str], tuple[str, int, int]]) -> str:
    """``thumbs``: (spec id, theme) -> (file in the site, width, height)."""
    card = _template("card.html")
    cards = []
    for spec in ordered(specs):
        light, w, h = thumbs[spec.id, "book"]
        dark = thumbs[spec.id, "dark"][0]
        n = len(spec.diagrams)
        cards.append(card.substitute(
            href=chapter_file(spec), thumb_light=light, thumb_dark=dark, width=w // 2, height=h // 2,
            label=e(spec_label(spec)), title=e(spec.title), summary=e(spec.summary),
            count=f"{n} diagram{'s' if n != 1 else ''}, {_figure_count(spec)}"))
    main = (
        '<section class="intro">\n<h1>Machine learning system design, diagram by diagram</h1>\n'
        '<p class="lead">The framework and the ten case studies of <cite>Machine Learning System Design '
        "Interview</cite>: the seven steps of each design and every diagram, with practice built in. Open a "
        "chapter, then quiz yourself on a diagram, reveal it step by step, or hide it and draw it yourself.</p>\n"
        "</section>\n"
        f'<ul class="cards" aria-label="Chapters">\n{"".join(cards)}</ul>'
    )
    return page("ML system design diagrams", main, page_class="index-page")


def _figure_count(spec: Spec) -> str:
    figures = {f for d in spec.diagrams.values() for f in d.figures}
    return f"{len(figures)} book figure{'s' if len(figures) != 1 else ''}" if figures else "no book figures"


# --- a chapter -------------------------------------------------------------------------------------------------

def chapter_page(spec: Spec, pictures: dict[tuple[str, str], Inline], neighbours: tuple[Spec | None, Spec | None]) \
        -> str:
    """``pictures``: (diagram id, theme) -> the inline drawing."""
    by_step: dict[str | None, list[Diagram]] = {}
    for d in spec.diagrams.values():
        by_step.setdefault(d.step if d.step in STEPS else None, []).append(d)
    figure = _template("figure.html")
    sections, toc = [], []
    for k, step in enumerate([*STEPS, None], 1):
        diagrams = by_step.get(step, [])
        if step is None and not diagrams:
            continue
        anchor = step_anchor(step or "other")
        heading = STEP_TITLES[step] if step else "More diagrams"
        number = f'<span class="step-number" aria-hidden="true">{k}</span> ' if step else ""
        out = [f'<section class="step" id="{anchor}" aria-labelledby="{anchor}-h">',
               f'<h2 id="{anchor}-h">{number}{e(heading)}</h2>']
        if step:
            items = step_items(spec, step)
            out.append('<ul class="points">' + "".join(
                f"<li><b>{e(t)}:</b> {e(x)}</li>" if t else f"<li>{e(x)}</li>" for t, x in items) + "</ul>"
                if items else '<p class="empty">Not written for this design.</p>')
        out += [_figure(figure, spec, d, pictures) for d in diagrams]
        out.append("</section>")
        sections.append("\n".join(out))
        sub = "".join(f'<li><a href="#{diagram_anchor(d.id)}">{e(d.title)}</a></li>' for d in diagrams)
        toc.append(f'<li><a href="#{anchor}">{e(heading)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>")
    head = [
        '<header class="chapter-head">',
        f'<p class="eyebrow">{e(spec_label(spec))}</p>',
        f"<h1>{e(spec.title)}</h1>",
        f'<p class="summary">{e(spec.summary)}</p>' if spec.summary else "",
        "</header>",
        f'<nav class="toc" aria-label="In this chapter"><h2 class="toc-title">In this chapter</h2><ol>{"".join(toc)}'
        "</ol></nav>",
    ]
    data = json.dumps({d.id: _figure_data(d) for d in spec.diagrams.values()}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    main = "\n".join([
        '<article class="chapter">', *[h for h in head if h], *sections, _pager(*neighbours), "</article>",
        f'<script type="application/json" id="diagram-data">{data}</script>',
    ])
    return page(f"{spec.title}: ML system design diagrams", main, page_class="chapter-page",
                scripts=CHAPTER_SCRIPTS)


def _figure(figure: Template, spec: Spec, d: Diagram, pictures: dict[tuple[str, str], Inline]) -> str:
    light, dark = pictures[d.id, "book"], pictures[d.id, "dark"]
    meta = []
    if d.figures:
        meta.append(f"Book figure{'s' if len(d.figures) > 1 else ''} {', '.join(d.figures)}")
    if d.step:
        meta.append(f"Step: {STEP_TITLES[d.step]}")
    meta.append(f"{len(d.nodes)} component{'s' if len(d.nodes) != 1 else ''}")
    caption = f'<p class="figure-caption">{e(d.caption)}</p>\n' if d.caption else ""
    return figure.substitute(
        anchor=diagram_anchor(d.id), diagram_id=d.id, direction=d.flow, width=f"{light.width:g}",
        title=e(d.title), meta=" &middot; ".join(e(m) for m in meta), caption=caption,
        svg_light=light.svg, svg_dark=dark.svg)


def _figure_data(d: Diagram) -> dict:
    """What the page's practice needs: the reveal frames, each group's nodes, the labels a quiz can blank."""
    groups: dict[str, list[str]] = {gid: [] for gid in d.groups}
    for nid in d.nodes:
        for gid in d.ancestors(nid):
            groups.setdefault(gid, []).append(nid)
    return {
        "frames": {by: [{"title": f.title, "nodes": list(f.nodes)} for f in frames(d, by)] for by in REVEAL_BY},
        "groups": groups,
        "labels": {nid: " ".join(n.label.split()) for nid, n in d.nodes.items() if n.kind != "note"},
    }


def _pager(previous: Spec | None, following: Spec | None) -> str:
    links = []
    if previous:
        links.append(f'<a class="pager-prev" rel="prev" href="{chapter_file(previous)}">&larr; {e(previous.title)}</a>')
    links.append(f'<a class="pager-home" href="{INDEX_FILE}">All chapters</a>')
    if following:
        links.append(f'<a class="pager-next" rel="next" href="{chapter_file(following)}">'
                     f"{e(following.title)} &rarr;</a>")
    return f'<nav class="pager" aria-label="Chapters">{"".join(links)}</nav>'
