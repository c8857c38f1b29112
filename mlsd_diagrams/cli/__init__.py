"""The ``mlsd-diagrams`` command line: a thin layer over the library.

Commands live one per module in this folder and are imported only when run,
so ``--help`` and light commands never load ``diagrams`` or Graphviz
bindings. This module is the one place that maps errors to exit codes:
0 ok, 1 bad input (spec or theme), 2 usage, 3 environment (Graphviz).
"""

from __future__ import annotations

import importlib

import click

from .. import __version__
from ..errors import MlsdError, SpecError

# name -> "module:function"; add a command by adding a module and a line here.
COMMANDS = {
    "list": "list_cmd:list_cmd",
    "render": "render_cmd:render_cmd",
    "validate": "validate_cmd:validate_cmd",
}


class _Cli(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SpecError as e:
            for problem in e.problems:
                click.echo(str(problem), err=True)
            errors = sum(p.is_error for p in e.problems)
            click.echo(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", err=True)
            ctx.exit(e.exit_code)
        except MlsdError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
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
    """


def main() -> None:
    cli(prog_name="mlsd-diagrams")
