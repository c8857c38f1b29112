import click

from ..vocabulary import KINDS
from . import complete_target, detail, say, show_problem, warn
from .options import image_options


@click.command("quiz")
@click.argument("target", metavar="ID|PATH", shell_complete=complete_target)
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Quiz only this diagram (repeatable).")
@click.option("--blank", "-n", type=click.IntRange(1, 50), help="How many labels to blank, at random.  [default: 3]")
@click.option("--blank-kind", type=click.Choice(KINDS), help="Blank every node of this kind instead (e.g. service).")
@click.option("--seed", type=click.IntRange(0), help="The same seed gives the same quiz; without one, a seed is "
                                                     "picked and printed.")
@image_options
def quiz_cmd(target, diagram_ids, blank, blank_kind, seed, formats, theme, out, image):
    """Quiz yourself: the diagram with numbered blanks, and the answer key.

    Writes OUT/<spec id>/quiz/<diagram>.<format> and <diagram>.answers.md.
    The layout is the full diagram's, so the blanks give nothing away.

    \b
    Example:
      mlsd-diagrams quiz visual_search --diagram system --blank 4 --seed 7
      mlsd-diagrams quiz visual_search --blank-kind service --format png
    """
    from ..practice.quiz import DEFAULT_BLANKS, quiz
    from ..renderer import RenderOptions
    from ..spec import load_checked

    if blank is not None and blank_kind:
        raise click.UsageError("give --blank or --blank-kind, not both")
    spec, warnings = load_checked(target)
    for problem in warnings:
        show_problem(problem)
    result = quiz(spec, out, RenderOptions(formats=formats, theme=theme, **image), diagrams=list(diagram_ids) or None,
                  blank=blank or DEFAULT_BLANKS, blank_kind=blank_kind, seed=seed)
    for w in result.warnings:
        warn(f"Graphviz: {w}")
    for q in result.quizzes:
        detail(" ".join(map(str, q.files)))
        n = len(q.answers)
        every = f" (every component it has; {blank} asked)" if blank and not blank_kind and n < blank else ""
        say(f"{spec.id}/{q.diagram}: {n} blank{'s' if n != 1 else ''}{every}; answers in {q.files[-1]}")
    for did in result.skipped:
        say(f"{spec.id}/{did}: {'no ' + blank_kind if blank_kind else 'nothing'} to blank; skipped")
    if not blank_kind:
        say(f"seed {result.seed} (--seed {result.seed} gives this quiz again)")
