"""``watch``: render a spec, then render it again whenever one of its files changes, until Ctrl-C.

What to watch and how to notice a change is ``mlsd_diagrams.watch``; this
module only renders and reports.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import click

from . import complete_target, detail, say, show_problem, warn
from .options import image_options


@click.command("watch")
@click.argument("target", metavar="PATH", shell_complete=complete_target)
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Render only this diagram (repeatable).")
@click.option("--interval", type=click.FloatRange(0.01, 60), default=0.02, show_default=True, metavar="SECONDS",
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
    from ..watch import wait_for_change

    path, _ = resolve(target)  # an unknown id is a usage error before anything starts
    # Ctrl-C is how watch stops: take it even if whatever started us ignored SIGINT (a shell's background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
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
        """Render once; return the files to watch (the spec and every file the render read) and their state."""
        from ..core.reads import recording
        from ..watch import state

        with recording() as files:
            self._render()
        files = list(dict.fromkeys([self.path.absolute(), *files]))  # the spec itself, even when unreadable
        detail(f"watching: {', '.join(str(p) for p in files)}")
        return {p: state(p) for p in files}

    def _render(self) -> None:
        from ..core.errors import MlsdError, SpecError
        from ..renderer import render
        from ..spec import load_checked

        stamp = time.strftime("%H:%M:%S")
        started = time.monotonic()
        try:
            spec, warnings = load_checked(self.target)
            for problem in warnings:
                show_problem(problem)
            result = render(spec, self.out, self.options, diagrams=self.diagram_ids)
            for w in result.warnings:
                warn(f"Graphviz: {w}")
            n = len(result.rendered)
            unchanged = len(result.skipped)  # the renderer skips diagrams whose inputs are the same
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
