import click


@click.command("figures")
@click.option("--chapter", "chapter_filter", type=click.IntRange(1, 99), help="Only this chapter.")
@click.option("--missing", is_flag=True, help="List only the figures no diagram draws; exit 1 if there are any.")
def figures_cmd(chapter_filter, missing):
    """Show which of the book's figures the bundled diagrams draw.

    Per chapter: figure number, kind, short title and the diagram that
    draws it (spec/diagram), then a total. The catalogue lists the book's
    architecture-type figures: system and pipeline designs, models,
    feature flows, framing and ML-category diagrams.

    \b
    Example:
      mlsd-diagrams figures
      mlsd-diagrams figures --chapter 8
      mlsd-diagrams figures --missing
    """
    from ..catalog import bundled_ids
    from ..figures import chapters, citations
    from ..spec import load
    from . import say

    cited = citations(load(i) for i in bundled_ids())
    drawn = total = 0
    for chapter in chapters():
        if chapter_filter and chapter.number != chapter_filter:
            continue
        done = sum(f.number in cited for f in chapter.figures)
        drawn, total = drawn + done, total + len(chapter.figures)
        rows = [f for f in chapter.figures if not (missing and f.number in cited)]
        if missing and not rows:
            continue
        click.echo(f"Chapter {chapter.number}: {chapter.title} ({done}/{len(chapter.figures)} drawn)")
        for f in rows:
            where = ", ".join(cited.get(f.number, [])) or "(not drawn)"
            click.echo(f"  {f.number:<6} {f.kind:<9} {f.title:<52} {where}")
    say(f"{drawn}/{total} figures drawn" + (f", {total - drawn} missing" if drawn < total else ""))
    if missing and drawn < total:
        raise SystemExit(1)
