"""Caseload commands: `due`, `demo` (a synthetic caseload) and `import-903` (SSDA903 CSV files)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from iro_desktop.caseload.overview import caseload_rows
from iro_desktop.cli import EXIT_BAD_INPUT, CommandError, add_db_option, open_cli_store


def parse_iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    due = sub.add_parser("due", help="when each child's next review is due")
    add_db_option(due)
    due.add_argument("--today", type=parse_iso_date, default=None, help="count from this date")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(handler=run_due)

    demo = sub.add_parser("demo", help="fill a caseload with invented children (to try the app)")
    add_db_option(demo)
    demo.add_argument("--children", type=_positive_int, default=60, help="how many (default 60)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same caseload")
    demo.add_argument("--today", type=parse_iso_date, default=None,
                      help="build it around this date")
    demo.add_argument("--replace", action="store_true",
                      help="delete the children already in the caseload first")
    demo.set_defaults(handler=run_demo)

    imp = sub.add_parser("import-903", help="import SSDA903 header, episodes and reviews CSV files")
    imp.add_argument("folder", type=Path,
                     help="folder holding header.csv, episodes.csv, reviews.csv")
    add_db_option(imp)
    imp.add_argument("--today", type=parse_iso_date, default=None, help=argparse.SUPPRESS)
    imp.set_defaults(handler=run_import_903)


class _Refused(Exception):
    """The import found errors: roll the transaction back (nothing was written anyway)."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("give a number from 1 to 100000")
    return value


def run_demo(args: argparse.Namespace) -> int:
    from iro_desktop.caseload.demo import CaseloadNotEmpty, make_demo_caseload

    store = open_cli_store(args.db)
    try:
        with store.transaction() as session:
            summary = make_demo_caseload(session, children=args.children, seed=args.seed,
                                         today=args.today, replace=args.replace)
    except CaseloadNotEmpty as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    finally:
        store.close()
    print(f"Made an invented caseload of {summary.children} children: {summary.reviews} reviews, "
          f"{summary.sibling_groups} sibling groups, {summary.midway_reviews} midway reviews, "
          f"{summary.case_notes} case notes, {summary.escalations} escalations.")
    return 0


def run_import_903(args: argparse.Namespace) -> int:
    from iro_desktop.interchange.import903 import import_903_folder

    store = open_cli_store(args.db)
    try:
        with store.transaction() as session:
            result = import_903_folder(session, args.folder, today=args.today)
            if result.errors:
                raise _Refused  # leave the transaction by rolling it back
    except _Refused:
        pass
    finally:
        store.close()
    for problem in result.errors:
        print(f"error: {problem}", file=sys.stderr)
    for problem in result.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    if result.errors:
        raise CommandError(result.summary() + " The caseload was not changed.", EXIT_BAD_INPUT)
    print(result.summary())
    return 0


def run_due(args: argparse.Namespace) -> int:
    today = args.today or dt.date.today()
    store = open_cli_store(args.db)
    try:
        with store.session() as session:
            rows = [r for r in caseload_rows(session, today) if r.next_review is not None]
    finally:
        store.close()
    rows.sort(key=lambda r: (r.next_review.due, r.child_ref))  # type: ignore[union-attr]
    if args.json:
        print(json.dumps([
            {
                "child_id": r.child_ref,
                "name": r.name,
                "next_review_kind": str(r.next_review.kind),  # type: ignore[union-attr]
                "next_review_due": r.next_review.due.isoformat(),  # type: ignore[union-attr]
                "last_review": r.last_review.isoformat() if r.last_review else None,
                "days_until_due": r.days_until_due,
                "placement_changed_since_last_review": r.placement_changed,
            }
            for r in rows
        ], indent=2))
        return 0
    if not rows:
        print("No children in care on this caseload.")
        return 0
    print(f"{'Child':<10} {'Name':<28} {'Next review':<11} {'Due':<10} {'Days':>5}  Last review")
    for r in rows:
        nxt = r.next_review
        assert nxt is not None
        flag = "  OVERDUE" if r.overdue else ("  due soon" if r.due_soon else "")
        last = r.last_review.strftime("%d/%m/%Y") if r.last_review else "none yet"
        print(f"{r.child_ref:<10} {r.name[:28]:<28} {nxt.kind:<11} {nxt.due:%d/%m/%Y} "
              f"{r.days_until_due:>5}  {last}{flag}")
    return 0

