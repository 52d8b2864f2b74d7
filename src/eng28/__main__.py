"""Entry point of the `eng28` command and of `python -m eng28`."""

from __future__ import annotations


def main() -> None:
    from eng28.cli import app

    app(prog_name="eng28")


if __name__ == "__main__":
    main()
