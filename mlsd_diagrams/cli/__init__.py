"""The ``mlsd-diagrams`` command line: a thin layer over the library.

Commands live one per module in this folder and are imported only when run,
so ``--help`` and light commands never load ``diagrams`` or Graphviz
bindings. This module is the one place that maps errors to exit codes:
0 ok, 1 bad input (spec or theme), 2 usage, 3 environment (Graphviz),
130 interrupted (Ctrl-C).

Output conventions, for every command: results (what was asked for) on
stdout, problems and diagnostics on stderr. ``say`` prints a summary that
``-q`` hides, ``detail`` a line only ``-v`` shows, ``warn`` and
``show_problem`` print to stderr in colour when it is a terminal (never when
``NO_COLOR`` is set).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from .. import __version__
from ..core.errors import MlsdError, Problem, Severity, SpecError

# name -> "module:function"; add a command by adding a module and a line here.
COMMANDS = {
    "check": "check_cmd:check_cmd",
    "deck": "deck_cmd:deck_cmd",
    "export": "export_cmd:export_cmd",
    "figures": "figures_cmd:figures_cmd",
    "grade": "grade_cmd:grade_cmd",
    "lint": "lint_cmd:lint_cmd",
    "list": "list_cmd:list_cmd",
    "new": "new_cmd:new_cmd",
    "quiz": "quiz_cmd:quiz_cmd",
    "render": "render_cmd:render_cmd",
    "reveal": "reveal_cmd:reveal_cmd",
    "schema": "schema_cmd:schema_cmd",
    "sheet": "sheet_cmd:sheet_cmd",
    "site": "site_cmd:site_cmd",
    "themes": "themes_cmd:themes_cmd",
    "validate": "validate_cmd:validate_cmd",
    "watch": "watch_cmd:watch_cmd",
}

_VERBOSITY = "mlsd_diagrams.verbosity"  # key in Click's ctx.meta, which every nested context shares
_SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def verbosity() -> int:
    """-1 with ``-q``, 0 by default, 1 or more with ``-v`` (repeatable)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_VERBOSITY, 0) if ctx else 0


def say(message: str) -> None:
    """A summary or progress line on stdout; ``-q`` hides it."""
    if verbosity() >= 0:
        click.echo(message)


def detail(message: str) -> None:
    """A line only ``-v`` shows, on stderr."""
    if verbosity() > 0:
        click.echo(message, err=True)


def warn(message: str) -> None:
    click.echo(f"{click.style('warning:', fg='yellow', bold=True)} {message}", err=True)


def finish_checking(specs: int, done: str, errors: int, warnings: int, strict: bool) -> None:
    """The closing line of a command that checks specs (``3 specs checked: 0 errors, 1 warning``), on stderr
    when there is something to see; exit 1 on an error, or on a warning with ``--strict``."""
    summary = (f"{specs} spec{'s' if specs != 1 else ''} {done}: {errors} error{'s' if errors != 1 else ''}, "
               f"{warnings} warning{'s' if warnings != 1 else ''}")
    if errors or warnings:
        click.echo(summary, err=True)
    else:
        say(summary)
    if errors or (strict and warnings):
        raise SystemExit(1)


def show_problem(problem: Problem, color: bool | None = None) -> None:
    """``file:line:col: severity: message`` on stderr, the severity coloured on a terminal."""
    where = str(problem.pos) if problem.pos else problem.file
    severity = click.style(f"{problem.severity}:", fg=_SEVERITY_COLORS.get(problem.severity), bold=True)
    click.echo(f"{where}: {severity} {problem.message}", err=True, color=color)


def complete_target(ctx, param, incomplete: str):
    """Shell completion for ID|PATH arguments: bundled case studies, then files."""
    from click.shell_completion import CompletionItem

    from ..catalog import bundled_ids

    ids = [CompletionItem(i) for i in bundled_ids() if i.startswith(incomplete)]
    return ids + [CompletionItem(incomplete, type="file")]


def _set_verbosity(ctx, param, value):
    if value:
        delta = -value if param.name == "quiet" else value
        ctx.meta[_VERBOSITY] = ctx.meta.get(_VERBOSITY, 0) + delta
    return value


def _verbosity_options() -> list[click.Option]:
    return [
        click.Option(["-q", "--quiet"], count=True, expose_value=False, is_eager=True, callback=_set_verbosity,
                     help="Print only results and problems (no summaries)."),
        click.Option(["-v", "--verbose"], count=True, expose_value=False, is_eager=True, callback=_set_verbosity,
                     help="Say more: what each step does (on stderr)."),
    ]


class _Cli(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        # -q/-v work after the command name too (mlsd-diagrams render x -q), unless a command uses the letters
        taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
        if not taken & {"-q", "--quiet", "-v", "--verbose"}:
            command.params.extend(_verbosity_options())
        return command

    def make_context(self, info_name, args, parent=None, **extra):
        # Click strips colours when output is not a terminal; NO_COLOR (https://no-color.org) turns them off always.
        if os.environ.get("NO_COLOR"):
            extra.setdefault("color", False)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SpecError as e:
            for problem in e.problems:
                show_problem(problem, color=ctx.color)
            errors = sum(p.is_error for p in e.problems)
            click.echo(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", err=True)
            ctx.exit(e.exit_code)
        except MlsdError as e:
            click.echo(f"{click.style('Error:', fg='red', bold=True)} {e}", err=True, color=ctx.color)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # Whoever read our output stopped reading (`| head`): not bad input. Exit as a program stopped by
            # SIGPIPE does, and point stdout at nothing so the final flush does not complain.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(128 + 13)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]}, params=_verbosity_options())
@click.version_option(__version__, "-V", "--version", prog_name="mlsd-diagrams")
def cli():
    """Diagrams of machine-learning system designs, from YAML specs.

    The ten case studies of Machine Learning System Design Interview ship as
    specs; render them, or write your own.

    \b
    Example:
      mlsd-diagrams list
      mlsd-diagrams render visual_search
      mlsd-diagrams validate my_design.yaml
      mlsd-diagrams export visual_search --to mermaid --diagram system

    \b
    Shell completion (bash; zsh and fish likewise with zsh_source, fish_source):
      eval "$(_MLSD_DIAGRAMS_COMPLETE=bash_source mlsd-diagrams)"
    """


def main() -> None:
    # SIGTERM (a supervisor, a timeout) ends us like Ctrl-C does: through the clean-up paths that remove
    # temporary files and stop Graphviz, rather than at once.
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="mlsd-diagrams")


def _terminate(signum, frame):
    raise SystemExit(128 + signum)
