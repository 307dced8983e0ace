"""Review work: the IRO's own figures (`stats`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from iro_desktop.caseload.escalations import OUTCOMES, STAGES
from iro_desktop.cli import EXIT_BAD_INPUT, CommandError, add_db_option, open_cli_store
from iro_desktop.reports.figures import (
    FIGURE_LABELS,
    ON_TIME_OUT_OF,
    OPEN,
    april_year,
    iro_figures,
)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    stats = sub.add_parser(
        "stats",
        help="your figures for a period: reviews, participation, midway reviews, escalations",
        description="Your figures for a period (default: this April-to-March year).",
    )
    add_db_option(stats)
    stats.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="first day of the period (default: 1 April of this reporting year)",
    )
    stats.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="last day of the period (default: 31 March of this reporting year)",
    )
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(handler=run_stats)


def _period(args: argparse.Namespace, today: dt.date) -> tuple[dt.date, dt.date]:
    default_start, default_end = april_year(args.start or args.end or today)
    start = args.start or (april_year(args.end)[0] if args.end else default_start)
    end = args.end or (april_year(start)[1] if args.start else default_end)
    if end < start:
        raise CommandError(
            f"--to {end.isoformat()} is before --from {start.isoformat()}.", EXIT_BAD_INPUT
        )
    return start, end


def _today() -> dt.date:
    return dt.date.today()


def run_stats(args: argparse.Namespace) -> int:
    start, end = _period(args, _today())
    store = open_cli_store(args.db)
    try:
        with store.session() as session:
            figures = iro_figures(session, start, end)
    finally:
        store.close()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(format_table(figures))
    return 0


MIN_LABEL_WIDTH = 46


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _on_time_note(part: int, due: int) -> str:
    """The share on time, and what it is out of (the reviews due, not the pending ones)."""
    return f"{_percent(part, due)} of {due}" if due else "-"


def format_table(f: dict[str, Any]) -> str:
    """The figures as a readable table, with percentages where they mean something."""
    start = dt.date.fromisoformat(f["from"]).strftime("%d/%m/%Y")
    end = dt.date.fromisoformat(f["to"]).strftime("%d/%m/%Y")
    # A line is a heading (text) or a row (label, value, note); the labels' column fits the
    # longest label, so the figures stay in one column.
    lines: list[str | tuple[str, object, str]] = [f"Your figures from {start} to {end}"]

    def row(label: str, value: object, note: str = "") -> None:
        lines.append((label, value, note))

    def section(title: str) -> None:
        lines.append("")
        lines.append(title)

    section("Reviews")
    held = f["reviews_held"]
    row(FIGURE_LABELS["reviews_held"], held)
    row(
        FIGURE_LABELS["reviews_on_time"], f["reviews_on_time"], _percent(f["reviews_on_time"], held)
    )
    row(FIGURE_LABELS["children_reviewed"], f["children_reviewed"])
    row(
        FIGURE_LABELS["children_all_reviews_on_time"],
        f["children_all_reviews_on_time"],
        _percent(f["children_all_reviews_on_time"], f["children_reviewed"]),
    )
    section("Participation (reviews by code)")
    for code, count in f["participation"].items():
        row(code, count, _percent(count, held))
    # Drafts saved before a code was chosen: with them the rows add up to the reviews held.
    not_recorded = f.get("participation_not_recorded", 0)
    row(FIGURE_LABELS["participation_not_recorded"], not_recorded, _percent(not_recorded, held))
    section("Between reviews")
    row(FIGURE_LABELS["midway_reviews_held"], f["midway_reviews_held"])
    section("After the review")
    recorded = f["reviews_recorded"]
    row(FIGURE_LABELS["reviews_recorded"], recorded)
    # "On time" is out of the reviews done or past their deadline (`ON_TIME_OUT_OF`); those still
    # within it are pending, on a row of their own, so nothing is hidden.
    for done, on_time, pending in (
        ("decisions_circulated", "decisions_circulated_on_time", "decisions_pending"),
        ("records_completed", "records_on_time", "records_pending"),
        ("letters_sent", "letters_on_time", "letters_pending"),
    ):
        due = f[ON_TIME_OUT_OF[on_time]]
        row(FIGURE_LABELS[done], f[done], _percent(f[done], recorded))
        row(FIGURE_LABELS[on_time], f[on_time], _on_time_note(f[on_time], due))
        row(FIGURE_LABELS[pending], f[pending], "not in the share above yet" if f[pending] else "")
    section("Alerts and escalations")
    raised = f["escalations_raised"]
    row(FIGURE_LABELS["escalations_raised"], raised)
    row(FIGURE_LABELS["escalation_children"], f["escalation_children"])
    row(FIGURE_LABELS["escalations_referred_to_cafcass"], f["escalations_referred_to_cafcass"])
    row(FIGURE_LABELS["good_practice_alerts"], f["good_practice_alerts"])
    lines.append("  By theme (one escalation may have several):")
    for theme, count in f["escalations_by_theme"].items():
        if count:
            row("  " + theme[:44], count, _percent(count, raised))
    lines.append("  By highest stage reached:")
    stage_labels = dict(STAGES)
    for key, count in f["escalations_by_stage"].items():
        row("  " + stage_labels.get(key, key), count)
    lines.append("  By outcome:")
    outcome_labels = dict(OUTCOMES) | {OPEN: "Still open"}
    for key, count in f["escalations_by_outcome"].items():
        row("  " + outcome_labels.get(key, key), count)
    width = max([MIN_LABEL_WIDTH] + [len(line[0]) for line in lines if isinstance(line, tuple)])
    return "\n".join(
        line
        if isinstance(line, str)
        else f"  {line[0]:<{width}} {line[1]!s:>6}  {line[2]}".rstrip()
        for line in lines
    )
