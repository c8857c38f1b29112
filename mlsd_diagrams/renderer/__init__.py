"""Spec + theme -> image files: DOT from ``dot``, one Graphviz run, SVG finishing, atomic publishing.

``draw`` is the one render path, for every command that makes pictures
(render, quiz, reveal, check, the notebook display): it skips pictures whose
inputs are unchanged (``cache``), and spreads the rest over the machine's
cores (Graphviz runs as a separate process, so threads are enough).
``diagrams`` itself is imported only when something is actually drawn.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UsageError
from ..core.suggest import did_you_mean
from ..core.types import ID_PATTERN
from ..spec.model import Diagram, Spec
from ..themes import Theme, load_theme
from .cache import RenderCache, fingerprint
from .files import publish, staging
from .options import DEFAULT_FORMATS, FORMATS, RenderOptions

_ID = re.compile(ID_PATTERN)
_ARIA_LABEL = re.compile(r'<svg\b[^>]*?\saria-label="([^"]*)"')
_SHRUNK = "too large for cairo-renderer bitmaps"  # Graphviz's warning when it scales a PNG down to fit

__all__ = ["DEFAULT_FORMATS", "FORMATS", "Drawing", "RenderOptions", "RenderResult", "draw", "render", "render_many",
           "select"]


@dataclass
class RenderResult:
    files: list[Path] = field(default_factory=list)  # every file the request covers, rendered or cached
    warnings: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # "spec/diagram" drawn this time
    skipped: list[str] = field(default_factory=list)  # "spec/diagram" unchanged, left as they were


def select(spec: Spec, diagram_ids: list[str] | None) -> list[Diagram]:
    """The diagrams to render, in spec order; an unknown id is a usage error."""
    if not diagram_ids:
        return list(spec.diagrams.values())
    for did in diagram_ids:
        if did not in spec.diagrams:
            raise UsageError(f"{spec.id} has no diagram {did!r}; it has: {', '.join(spec.diagrams)}"
                             f"{did_you_mean(did, spec.diagrams)}")
    return [spec.diagrams[did] for did in diagram_ids]


@dataclass(frozen=True)
class Drawing:
    """One picture to draw: where it goes, what decides its content, and how to make its DOT.

    ``key`` is fingerprinted with the theme and options for the render cache: the diagram itself for a
    render (its DOT is only built when it must be drawn), or the finished DOT for a practice picture.
    """

    folder: Path  # the output folder; files are folder/stem.<format>
    stem: str
    key: object
    source: Callable[[], str]  # the DOT, built only when the picture is not up to date
    name: str  # "spec/diagram" (or a frame of it), for progress and warnings


def render(spec: Spec, out_dir: Path | str = "output", options: RenderOptions | None = None, *,
           diagrams: list[str] | None = None, force: bool = False, **option_values) -> RenderResult:
    """Render the spec's diagrams into ``out_dir/<spec id>/<diagram id>.<format>``.

    Pass a ``RenderOptions`` or its fields as keywords: ``render(spec, "out", formats=["svg"], theme="dark")``.
    Unchanged diagrams are not drawn again unless ``force``.
    """
    jobs = [(spec, d) for d in select(spec, diagrams)]
    return render_many(jobs, out_dir, options or RenderOptions(**option_values), force=force)


def render_many(jobs: list[tuple[Spec, Diagram]], out_dir: Path | str, options: RenderOptions, *,
                force: bool = False, workers: int | None = None,
                progress: Callable[[str], None] | None = None) -> RenderResult:
    """Render (spec, diagram) pairs in parallel; ``progress`` is called once per finished diagram."""
    for spec, d in jobs:  # the loader guarantees this; a Spec built by hand in Python might not
        for name in (spec.id, d.id):
            if not _ID.fullmatch(name):
                raise UsageError(f"{name!r} is not an id (snake_case); output file names come from ids only")
    theme = load_theme(options.theme)

    def dot_of(d: Diagram) -> Callable[[], str]:
        def source() -> str:
            from .dot import build_dot  # imports diagrams: only when something is drawn

            return build_dot(d, theme)
        return source

    drawings = [Drawing(Path(out_dir) / spec.id, d.id, d, dot_of(d), f"{spec.id}/{d.id}") for spec, d in jobs]
    return draw(drawings, options, theme, force=force, workers=workers, progress=progress)


def draw(drawings: list[Drawing], options: RenderOptions, theme: Theme, *, force: bool = False,
         workers: int | None = None, progress: Callable[[str], None] | None = None) -> RenderResult:
    """The one render path: skip what is up to date, draw the rest in parallel, publish files atomically."""
    theme_key = fingerprint(theme, options)
    caches = {d.folder: RenderCache(d.folder) for d in drawings}
    result = RenderResult()
    todo = []
    for job in drawings:
        files = [job.folder / f"{job.stem}.{fmt}" for fmt in options.formats]
        key = fingerprint(job.key, theme_key)
        result.files += files
        if not force and caches[job.folder].fresh(job.stem, key, files):
            result.skipped.append(job.name)
            if progress:
                progress(job.name)
        else:
            todo.append((job, key))

    def run(item: tuple[Drawing, str]):
        job, _ = item
        written, warnings = write_images(job.source(), job.folder, job.stem, options, theme)
        return item, written, warnings

    if not todo:  # everything is up to date: no pool, no threads (concurrent.futures costs start-up time)
        return result
    from concurrent.futures import ThreadPoolExecutor

    errors = []
    # two per core: while one thread builds DOT or finishes an SVG (Python, one core at a time), another's
    # dot keeps the core busy (bench: 4% off a cold render --all on 2 cores)
    with ThreadPoolExecutor(max_workers=workers or min(len(todo), 2 * (os.cpu_count() or 1)) or 1) as pool:
        futures = [pool.submit(run, item) for item in todo]
        try:
            for future in futures:
                try:
                    (job, key), written, warnings = future.result()
                except Exception as e:
                    errors.append(e)
                    continue
                caches[job.folder].record(job.stem, key, written)
                result.rendered.append(job.name)
                result.warnings += [f"{job.name}: {w}" for w in warnings]
                if progress:
                    progress(job.name)
        except BaseException:
            from .graphviz import stop_all

            for future in futures:
                future.cancel()
            stop_all()  # interrupted (Ctrl-C, SIGTERM) or failed: no dot keeps running, or keeps us waiting
            raise
        finally:
            for cache in caches.values():
                cache.save()
    if errors:
        raise errors[0]
    return result


def write_images(source: str, target: Path, stem: str, options: RenderOptions,
                 theme: Theme) -> tuple[dict[str, list[int]], list[str]]:
    """Lay DOT ``source`` out once and write ``target/stem.<format>`` for every format.

    The files appear only when all of them are ready; returns (file name -> signature of the file written,
    Graphviz warnings).
    """
    from .graphviz import run_dot

    finals = {fmt: target / f"{stem}.{fmt}" for fmt in options.formats}
    with staging(target) as tmp:
        direct = {"png": tmp / f"{stem}.png"} if "png" in options.formats and graphviz_draws_png(options, theme) \
            else {}
        wanted = tuple(f for f in options.formats if f not in direct)  # drawn from the finished SVG
        laid_out = {"svg": tmp / f"{stem}.graphviz.svg"} if wanted else {}
        warnings = run_dot(source, {**laid_out, **direct}, timeout=options.timeout)
        if direct and any(_SHRUNK in w for w in warnings):  # Graphviz would quietly shrink the picture to fit
            raise UsageError(f"the PNG of {stem} would be wider or taller than the 32,767 pixels an image can "
                             "have; render it as SVG or PDF, or split the diagram")
        if direct:
            from ..vocabulary import CSS_DPI
            from .pngmeta import opaque_page, with_resolution

            png = direct["png"].read_bytes()
            direct["png"].write_bytes(with_resolution(opaque_page(png) if theme.opaque else png, CSS_DPI))
        if wanted:
            images = _images(graphviz_output(laid_out["svg"]), wanted, options, theme)
            for fmt in wanted:
                (tmp / f"{stem}.{fmt}").write_bytes(images[fmt])
        signatures = {finals[fmt].name: publish(tmp / f"{stem}.{fmt}", finals[fmt]) for fmt in options.formats}
    return signatures, warnings


def graphviz_output(path: Path) -> str:
    """What Graphviz wrote, as text; a missing, empty or garbled file is Graphviz's failure (exit 3)."""
    from ..core.errors import GraphvizError

    try:
        data = path.read_bytes()
        if not data.strip():
            raise GraphvizError("Graphviz finished without writing the diagram (an empty file); it may have "
                                "crashed")
        return data.decode("utf-8")
    except FileNotFoundError:
        raise GraphvizError("Graphviz finished without writing the diagram; it may have crashed") from None
    except UnicodeDecodeError as e:
        raise GraphvizError(f"Graphviz wrote text that is not UTF-8 (byte {e.start + 1}); check that `dot` is "
                            "Graphviz") from None


def graphviz_draws_png(options: RenderOptions, theme: Theme) -> bool:
    """Whether Graphviz's own PNG, from the same run as the SVG, shows the same picture.

    It does when the SVG finishing changes nothing a PNG shows: no scale, canvas or transparency,
    no repainted pictograms, hand-drawn strokes or symbol font. Then PNG costs one cairo paint inside
    Graphviz instead of importing and running CairoSVG (about 0.3 s to import, 40 ms a diagram).
    """
    return (options.scale == 1 and not options.size and not options.transparent
            and not theme.icons and not theme.sketch and not theme.symbol_font)


def _images(graphviz_svg: str, formats: tuple[str, ...], options: RenderOptions, theme: Theme) -> dict[str, bytes]:
    """Formats drawn from Graphviz's one SVG: the finished SVG, and PNG and PDF drawn from it."""
    from .svg import finish_svg, raster_source

    svg = finish_svg(graphviz_svg, theme, transparent=options.transparent, size=options.size)
    images = {"svg": svg.encode("utf-8")}
    if {"png", "pdf"} & set(formats):
        from .raster import svg_to_pdf, svg_to_png

        source = raster_source(svg, theme)
        if "png" in formats:
            images["png"] = svg_to_png(source, options.scale)
        if "pdf" in formats:
            title = _ARIA_LABEL.search(svg)  # the diagram's title, which finish_svg put on the root
            images["pdf"] = svg_to_pdf(source, html.unescape(title.group(1)) if title else "")
    return images
