"""Caseload commands: `due` (and, from the foundation issue, `demo` and `import-903`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from iro_desktop.caseload.overview import caseload_rows
from iro_desktop.cli import add_db_option, open_cli_store


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

