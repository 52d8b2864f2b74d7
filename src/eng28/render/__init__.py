"""The one renderer: everything eng28 shows on a terminal or prints as data. Only this package
imports rich; it makes no decisions (result objects come in, text goes out: data on stdout,
diagnostics on stderr). Text from a plan, an import or a sync remote is made safe first."""

from eng28.render.base import console, error, plain, print_json, safe
from eng28.render.messages import (
    ask,
    backups,
    config_lines,
    doctor,
    imported,
    link,
    no_browser,
    no_reviews,
    note_not_saved,
    paused,
    plan_written,
    reopened,
    restored,
    resumed,
    review_back,
    review_front,
    review_hint,
    review_intro,
    review_saved,
    review_summary,
    skipped,
    started,
    status_line,
    sync_set_up,
    sync_status,
    synced,
    validation,
)
from eng28.render.screens import (
    day_card,
    done_message,
    journal,
    long_date,
    notes,
    plan_table,
    rated,
    review_list,
    start_message,
    stats,
    today_screen,
)

__all__ = [
    "ask", "backups", "config_lines", "console", "day_card", "doctor", "done_message", "error",
    "imported", "journal", "link", "long_date", "no_browser", "no_reviews", "note_not_saved",
    "notes", "paused", "plain", "plan_table", "plan_written", "print_json", "rated", "reopened",
    "restored", "resumed", "review_back", "review_front", "review_hint", "review_intro",
    "review_list", "review_saved", "review_summary", "safe", "skipped", "start_message",
    "started", "stats", "status_line", "sync_set_up", "sync_status", "synced", "today_screen",
    "validation",
]  # fmt: skip
