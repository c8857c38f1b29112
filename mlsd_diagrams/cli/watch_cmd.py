"""``watch``: render a spec, then render it again whenever one of its files changes, until Ctrl-C.

Polls modification times (no file-watching dependency): a spec and the few
files it reads are a handful of ``stat`` calls a second. The files watched
are the spec, the specs it ``extends`` (followed through the chain), its
custom icons, and a theme file with its ``base`` chain; the set is worked out
again after each render, so adding an ``extends`` line starts watching its
target.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from . import complete_target, detail, say, show_problem, warn
from .options import image_options


@click.command("watch")
@click.argument("target", metavar="PATH", shell_complete=complete_target)
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Render only this diagram (repeatable).")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=0.5, show_default=True, metavar="SECONDS",
              help="How often to look for changes.")
@image_options
def watch_cmd(target, diagram_ids, interval, formats, theme, out, image=None):
    """Render a spec, then again each time it (or a spec it extends) changes.

    Problems are printed and watching goes on; fix the file and save. Stop
    with Ctrl-C.

    \b
    Example:
      mlsd-diagrams watch my_design.yaml
      mlsd-diagrams watch my_design.yaml --diagram system --format svg --out preview/
    """
    from ..catalog import resolve
    from ..renderer import RenderOptions

    path, _ = resolve(target)  # an unknown id is a usage error before anything starts
    options = RenderOptions(formats=formats, theme=theme, **(image or {}))
    job = Job(target, Path(path), options, out, list(diagram_ids) or None)
    try:
        watched = job.run()
        say(f"Watching {len(watched)} file{'s' if len(watched) != 1 else ''}; press Ctrl-C to stop.")
        while True:
            changed = wait_for_change(watched, interval)
            detail(f"changed: {', '.join(str(p) for p in changed)}")
            watched = job.run()
    except KeyboardInterrupt:
        click.echo("\nStopped watching.", err=True)


class Job:
    """One render of the watched spec; every problem is printed, none ends the watch."""

    def __init__(self, target: str, path: Path, options, out: str, diagram_ids: list[str] | None):
        self.target, self.path, self.options, self.out, self.diagram_ids = target, path, options, out, diagram_ids

    def run(self) -> dict[Path, tuple | None]:
        """Render once; return the files to watch with their current state."""
        from ..errors import MlsdError, SpecError
        from ..renderer import render
        from ..spec import load_checked

        stamp = time.strftime("%H:%M:%S")
        started = time.monotonic()
        spec = None
        try:
            spec, warnings = load_checked(self.target)
            for problem in warnings:
                show_problem(problem)
            result = render(spec, self.out, self.options, diagrams=self.diagram_ids)
            for w in result.warnings:
                warn(f"Graphviz: {w}")
            drawn = getattr(result, "rendered", None)
            n = len(drawn) if drawn is not None else len({p.stem for p in result.files})
            unchanged = len(getattr(result, "skipped", []))  # the renderer skips diagrams whose inputs are the same
            took, folder = f"({time.monotonic() - started:.1f} s)", Path(self.out) / spec.id
            if n:
                note = f", {unchanged} unchanged" if unchanged else ""
                say(f"{stamp} {spec.id}: {n} diagram{'s' if n != 1 else ''} rendered{note} in {folder}/ "
                    f"{took}")
            else:
                say(f"{stamp} {spec.id}: no diagram changed in {folder}/ {took}")
        except SpecError as e:
            for problem in e.problems:
                show_problem(problem)
            errors = sum(p.is_error for p in e.problems)
            click.echo(f"{stamp} {errors} error{'s' if errors != 1 else ''}; "
                       "fix and save to render again.", err=True)
        except MlsdError as e:
            click.echo(f"{stamp} {click.style('Error:', fg='red', bold=True)} {e}", err=True)
        files = sources(self.path, self.options.theme, spec)
        detail(f"watching: {', '.join(str(p) for p in files)}")
        return {p: state(p) for p in files}


def state(path: Path) -> tuple | None:
    """What tells a change: modification time and size (None while the file is missing)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def wait_for_change(watched: dict[Path, tuple | None], interval: float, sleep=time.sleep) -> list[Path]:
    """Block until a watched file's state differs from the one recorded; return the files that changed.

    Editors save in several steps (truncate, write, rename); after a change is
    seen we wait one more short moment so the render reads the finished file.
    """
    while True:
        sleep(interval)
        changed = [p for p, before in watched.items() if state(p) != before]
        if changed:
            sleep(min(interval, 0.1))
            return changed


def sources(spec_path: Path, theme: str, spec=None) -> list[Path]:
    """The files a render of ``spec_path`` reads: the spec, its ``extends`` chain, custom icons, a theme file."""
    from ..spec.yamlsrc import parse_file

    files = [spec_path]
    files += _chain(spec_path, "extends", _spec_ref, parse_file)
    for diagram in getattr(spec, "diagrams", {}).values():
        for node in diagram.nodes.values():
            icon_file = getattr(node, "icon_file", None)  # custom PNG icons, when the loader resolved one
            if icon_file is not None:
                files.append(Path(icon_file.path))
    theme_path = Path(theme)
    if theme.endswith((".yaml", ".yml")) or theme_path.is_file():
        files += [theme_path, *_chain(theme_path, "base", _theme_ref, parse_file)]
    return list(dict.fromkeys(files))


def _chain(start: Path, key: str, ref, parse) -> list[Path]:
    """Follow ``key`` (extends, base) from file to file; stops at anything unreadable or already seen."""
    from ..errors import MlsdError

    found, current = [], start
    while True:
        try:
            tree, _ = parse(str(current))
        except MlsdError:
            return found
        value = tree.get(key) if isinstance(tree, dict) else None
        nxt = ref(current, value) if isinstance(value, str) else None
        if nxt is None or nxt in found or nxt == start:
            return found
        found.append(nxt)
        current = nxt


def _spec_ref(current: Path, value: str) -> Path | None:
    """``extends:`` names a bundled id or a path relative to the extending spec's folder."""
    from ..catalog import bundled_ids, specs_dir

    if value.endswith((".yaml", ".yml")) or "/" in value:
        return (current.parent / value) if not Path(value).is_absolute() else Path(value)
    return specs_dir() / f"{value}.yaml" if value in bundled_ids() else None


def _theme_ref(current: Path, value: str) -> Path | None:
    """``base:`` names a built-in theme (never changes while watching) or a theme file."""
    if value.endswith((".yaml", ".yml")):
        candidate = current.parent / value
        return candidate if candidate.exists() else Path(value)
    return None
