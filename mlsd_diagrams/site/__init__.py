"""A static study website: an index, a chapter page per spec, and practice in the page.

``build_site`` checks every spec first (a bad one writes nothing), draws
every diagram through ``renderer.draw`` into a cache folder outside the site
(so a rebuild draws only what changed), then writes the pages. The site is
self-contained: no server, no network request; it works from ``file://``.
The same specs give the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UsageError
from ..spec.model import Spec
from .inline import Icons, Inline, inline_svg
from .names import INDEX_FILE, chapter_file, thumb_file
from .output import write_site
from .pages import chapter_page, index_page, ordered
from .pictures import THEMES, draw_pictures
from .search import SEARCH_FILE, search_script

ASSETS = Path(__file__).resolve().parent / "assets"

__all__ = ["SiteResult", "build_site", "default_cache"]


@dataclass
class SiteResult:
    out: Path
    pages: list[Path] = field(default_factory=list)  # index first, then the chapters in book order
    written: list[Path] = field(default_factory=list)  # files whose bytes changed this time
    removed: list[Path] = field(default_factory=list)  # files of an earlier build no longer part of the site
    rendered: list[str] = field(default_factory=list)  # pictures drawn this time (the rest came from the cache)
    warnings: list[str] = field(default_factory=list)
    size: int = 0  # bytes of every file of the site


def default_cache(out: Path | str) -> Path:
    """Where a site's pictures are kept between builds: the user's cache folder, one per output folder."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:16]
    return base / "mlsd-diagrams" / "site" / key


def build_site(specs: list[Spec], out: Path | str = "site", *, cache: Path | str | None = None,
               force: bool = False, timeout: float | None = None, workers: int | None = None) -> SiteResult:
    """Write the site for ``specs`` (already loaded and checked) into ``out``."""
    if not specs:
        raise UsageError("the site needs at least one spec")
    seen: dict[str, Spec] = {}
    for spec in specs:
        if spec.id in seen:
            raise UsageError(f"two specs have the id {spec.id!r}; each chapter page is named by its id")
        seen[spec.id] = spec
    out = Path(out)
    specs = ordered(specs)
    drawn = draw_pictures(specs, Path(cache) if cache else default_cache(out), force=force, timeout=timeout,
                          workers=workers)
    icons = Icons()
    files: dict[str, bytes] = {}
    thumbs = {}
    for (spec_id, theme), path in drawn.thumbs.items():
        name = thumb_file(seen[spec_id], theme)
        files[name] = path.read_bytes()
        width, height = struct.unpack(">II", files[name][16:24])  # the PNG's IHDR
        thumbs[spec_id, theme] = (name, width, height)
    for k, spec in enumerate(specs):
        pictures: dict[tuple[str, str], Inline] = {}
        for d in spec.diagrams.values():
            components = ", ".join(dict.fromkeys(" ".join(n.label.split()) for n in d.nodes.values()))
            desc = " ".join(x for x in (d.caption, f"Components: {components}.") if x)
            for theme in THEMES:
                text = drawn.svgs[spec.id, d.id, theme].read_text(encoding="utf-8")
                pictures[d.id, theme] = inline_svg(text, prefix=f"{d.id}-{theme}", title=d.title, desc=desc,
                                                   icons=icons)
        neighbours = (specs[k - 1] if k else None, specs[k + 1] if k + 1 < len(specs) else None)
        files[chapter_file(spec)] = chapter_page(spec, pictures, neighbours).encode("utf-8")
    files.update({f"assets/icons/{name}": data for name, data in icons.files.items()})
    files.update({f"assets/{p.name}": p.read_bytes() for p in sorted(ASSETS.iterdir()) if p.is_file()})
    files[SEARCH_FILE] = search_script(specs).encode("utf-8")
    files[INDEX_FILE] = index_page(specs, thumbs).encode("utf-8")
    written, removed = write_site(out, files)
    return SiteResult(out, [out / INDEX_FILE, *(out / chapter_file(s) for s in specs)], written, removed,
                      drawn.result.rendered, drawn.result.warnings, sum(len(b) for b in files.values()))
