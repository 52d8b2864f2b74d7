"""The commands of the published site: publish, share and unshare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eng28 import render
from eng28.cli.app import DayArgument, Eng28Command, app, context_of


@app.command(cls=Eng28Command)
def publish(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The folder to write the site into.")],
    include_reflections: Annotated[
        bool,
        typer.Option(
            "--include-reflections", help="Put your own text on every day's page, not only shared."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="List what would be written; write nothing.")
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Prefix of every link, for a site served under a path.",
        ),
    ] = None,
) -> None:
    """Write the plan, its notes and your progress as a static site (HTML, no JavaScript).

    Your reflections stay out unless you pass --include-reflections or `eng28 share DAY`.

    Example: eng28 publish ~/eng28-site --dry-run
    """
    from eng28.render import site
    from eng28.usecases import publish as use

    c = context_of(ctx)
    use.check_target(folder)  # refused before anything is read or drawn
    data = use.site_data(c, include_reflections, base_url)
    render.published(use.write_site(folder, data, site.pages(data), dry_run))


@app.command(cls=Eng28Command)
def share(ctx: typer.Context, day: DayArgument) -> None:
    """Put a day's reflection and review notes on its page of the published site.

    Example: eng28 share 5   (eng28 unshare 5 takes them off again)
    """
    from eng28.usecases import publish as use

    render.share_changed(use.share(context_of(ctx), day, on=True))


@app.command(cls=Eng28Command)
def unshare(ctx: typer.Context, day: DayArgument) -> None:
    """Keep a day's reflection and review notes off the published site again.

    Example: eng28 unshare 5
    """
    from eng28.usecases import publish as use

    render.share_changed(use.share(context_of(ctx), day, on=False))
