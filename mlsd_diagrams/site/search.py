"""The search index: chapters, framework steps, diagrams and components, as one script every page loads.

A script rather than JSON because a page opened from ``file://`` may not
fetch files; a ``<script src>`` it may load. Entries are plain
``{t: text, k: kind, c: context, u: link}``; the page matches words.
"""

from __future__ import annotations

import json

from ..practice.sheet import step_items
from ..spec.model import Spec
from ..vocabulary import STEP_TITLES, STEPS
from .names import chapter_file, diagram_anchor, spec_label, step_anchor

SEARCH_FILE = "assets/search-index.js"


def search_entries(specs: list[Spec]) -> list[dict[str, str]]:
    entries = []
    for spec in specs:
        page = chapter_file(spec)
        entries.append({"t": spec.title, "k": "chapter", "c": spec_label(spec), "u": page})
        for step in STEPS:
            for term, text in step_items(spec, step):
                entries.append({"t": f"{term}: {text}" if term else text, "k": "step",
                                "c": f"{spec.title} - {STEP_TITLES[step]}", "u": f"{page}#{step_anchor(step)}"})
        components: dict[str, list[str]] = {}  # label -> diagram ids, in spec order
        for d in spec.diagrams.values():
            figures = f" (Figure {', '.join(d.figures)})" if d.figures else ""
            entries.append({"t": d.title, "k": "diagram", "c": f"{spec.title}{figures}",
                            "u": f"{page}#{diagram_anchor(d.id)}"})
            for label in [n.label for n in d.nodes.values()] + [g.label for g in d.groups.values()]:
                label = " ".join(label.split())
                if label and d.id not in components.setdefault(label, []):
                    components[label].append(d.id)
        for label, ids in components.items():
            shown = spec.diagrams[ids[0]].title + (f" and {len(ids) - 1} more" if len(ids) > 1 else "")
            entries.append({"t": label, "k": "component", "c": f"{spec.title}: {shown}",
                            "u": f"{page}#{diagram_anchor(ids[0])}"})
    return entries


def search_script(specs: list[Spec]) -> str:
    data = json.dumps(search_entries(specs), ensure_ascii=False, separators=(",", ":"))
    return f"window.MLSD_SEARCH = {data};\n"
