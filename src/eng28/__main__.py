"""Entry point of the `eng28` command and of `python -m eng28`.

`eng28 prompt` runs before every shell prompt and `eng28 init` when a shell starts, so both are
served here with the standard library only, before typer (and everything it pulls in) is
imported. So are `eng28` and `eng28 today` exactly (no option): they print the screen the full
path drew last, while it was drawn from the same files, for the same terminal, in the same
study day. Each only prints what the domain already wrote (see `views`); when nothing valid is
written, or with --refresh, it takes the full path like every other command.
"""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    command = argv[0] if argv else ""
    if command == "prompt" and not {"--refresh", "-h", "--help"} & set(argv):
        from eng28 import views

        if views.serve(argv[1:]):
            return
    elif not argv or argv == ["today"]:
        from eng28 import views

        if views.serve_screen(command or "front"):
            return
    elif command == "init":
        from eng28 import shells

        sys.exit(shells.main(argv[1:]))
    import gc

    # Start-up builds some 50,000 objects (typer, rich, pydantic's model classes) that all
    # live until the process ends. Collecting cycles among them is wasted work: none is taken
    # while they are made, and gc.freeze() then sets them aside for good, so later collections
    # (and the one at exit) pass them over. The command itself runs with the collector on.
    gc.disable()
    from eng28.cli import main as run

    gc.freeze()
    gc.enable()
    try:
        run(argv)
    finally:
        gc.freeze()  # nothing is left to collect at exit but what exiting frees anyway


if __name__ == "__main__":
    main()
