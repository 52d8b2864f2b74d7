"""The state's daily backups: list them, restore one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eng28 import store
from eng28.usecases.context import Context


@dataclass
class Restored:
    name: str
    kept: Path | None


def list_backups(ctx: Context) -> list[store.Backup]:
    return store.list_backups(ctx.state_path)


def restore(ctx: Context, number: int) -> Restored:
    chosen, kept = store.restore(ctx.state_path, number, ctx.today, ctx.now)
    return Restored(chosen.path.name, kept)
