"""The manager: service database, trusted IROs, import, annual report."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import importlib
import json
import os
import sys
from pathlib import Path

from iro_desktop.cli import EXIT_BAD_INPUT, EXIT_FAILED, CommandError, read_text_file

MANAGER_PASSPHRASE_ENV = "IRO_DESKTOP_MANAGER_PASSPHRASE"


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        required=True,
        metavar="URL",
        help="service database: a SQLAlchemy URL (postgresql://...) or a SQLite file path",
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    manager = sub.add_parser(
        "manager", help="the IRO manager: service database, import, annual report"
    )
    msub = manager.add_subparsers(dest="manager_command", metavar="MANAGER_COMMAND", required=True)

    init = msub.add_parser("init", help="create the service database and the manager's keys")
    _db(init)
    init.add_argument(
        "--name", default="IRO manager", help="your name, shown to IROs with your key"
    )
    init.set_defaults(handler=run_init)

    key = msub.add_parser("key", help="print the manager's public key (to send to IROs)")
    _db(key)
    key.set_defaults(handler=run_key)

    trust = msub.add_parser("trust", help="accept an IRO's public key")
    trust.add_argument("keyfile", type=Path)
    trust.add_argument("--name", required=True, help="the IRO's name as the report should show it")
    _db(trust)
    trust.set_defaults(handler=run_trust)

    imp = msub.add_parser(
        "import",
        help="import IROs' export files (exit 0 only if every file applied); each file is the "
        "IRO's complete record for its period, so what it no longer holds is removed",
    )
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imp.add_argument(
        "--keep-existing",
        action="store_true",
        help="apply a file whose reviews conflict with another IRO's, keeping the records held",
    )
    _db(imp)
    imp.set_defaults(handler=run_import)

    report = msub.add_parser("report", help="the annual report's figures")
    report.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="first day (default: 1 April of the reporting year)",
    )
    report.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="last day (default: 31 March of the reporting year)",
    )
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    report.add_argument("--xlsx", type=Path, default=None, help="also write a spreadsheet")
    report.add_argument("--pdf", type=Path, default=None, help="also write a PDF")
    report.add_argument("--service-name", default="", metavar="NAME",
                        help="the service's name for the title of the PDF and spreadsheet")
    _db(report)
    report.set_defaults(handler=run_report)

    window = msub.add_parser("gui", help="open the manager's window")
    window.add_argument("--db", default=None, metavar="URL",
                        help="service database to open (a SQLAlchemy URL or a SQLite file path)")
    window.set_defaults(handler=run_window)


def manager_passphrase(*, confirm: bool = False) -> str:
    value = os.environ.get(MANAGER_PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(
            f"The manager's keys need a passphrase: set {MANAGER_PASSPHRASE_ENV} or "
            "run from a terminal.",
            EXIT_BAD_INPUT,
        )
    first = getpass.getpass("Manager passphrase: ")
    if confirm and getpass.getpass("Type it again: ") != first:
        raise CommandError("The two passphrases differ; nothing was created.", EXIT_BAD_INPUT)
    if not first:
        raise CommandError("An empty passphrase cannot protect the keys.", EXIT_BAD_INPUT)
    return first


def _open_service(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    from iro_desktop.db.service import open_service
    from iro_desktop.db.store import StoreError

    try:
        return open_service(url)
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    except OperationalError as exc:
        raise CommandError(
            f"Cannot open the service database: {type(exc.orig).__name__}.", EXIT_BAD_INPUT
        ) from exc


def run_init(args: argparse.Namespace) -> int:
    from iro_desktop.interchange import keys

    store = _open_service(args.db)
    store.close()
    if keys.has_keys(keys.ROLE_MANAGER):
        public = keys.load_public(keys.ROLE_MANAGER)
        print(
            "Service database ready. The manager's keys already exist: "
            f"fingerprint {public.fingerprint}"
        )
        return 0
    public = keys.create_keys(keys.ROLE_MANAGER, args.name, manager_passphrase(confirm=True)).public
    print(f"Service database ready; manager's keys made in {keys.key_dir(keys.ROLE_MANAGER)}.")
    print(f"Fingerprint: {public.fingerprint}\nSend `iro-desktop manager key` output to your IROs.")
    return 0


def run_key(args: argparse.Namespace) -> int:
    from iro_desktop.interchange import keys

    try:
        public = keys.load_public(keys.ROLE_MANAGER)
    except keys.KeyProblem as exc:
        raise CommandError(
            f"{exc} Run `iro-desktop manager init --db URL` first.", EXIT_BAD_INPUT
        ) from exc
    print(public.armored(), end="")
    print(f"\nFingerprint: {public.fingerprint}")
    return 0


def run_trust(args: argparse.Namespace) -> int:
    from iro_desktop.db.service import trust_iro
    from iro_desktop.interchange.keys import KeyFormatError

    text = read_text_file(args.keyfile)
    store = _open_service(args.db)
    try:
        with store.transaction() as session:
            row, added = trust_iro(session, text, args.name)
            fingerprint, name = row.fingerprint, row.name
    except KeyFormatError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    finally:
        store.close()
    verb = "Trusted" if added else "Already trusted (name updated)"
    print(f"{verb}: {name}, fingerprint {fingerprint}. Check it with the IRO by phone.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from iro_desktop.interchange import keys
    from iro_desktop.interchange.manager_import import ALREADY, APPLIED, import_files

    try:
        pair = keys.unlock(keys.ROLE_MANAGER, manager_passphrase())
    except keys.KeyProblem as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    store = _open_service(args.db)
    try:
        outcomes = import_files(store, args.files, pair, keep_existing=args.keep_existing)
    finally:
        store.close()
    for outcome in outcomes:
        print(outcome.line())
    applied = sum(o.status == APPLIED for o in outcomes)
    already = sum(o.status == ALREADY for o in outcomes)
    removed = sum(o.removed_count for o in outcomes if o.status == APPLIED)
    print(f"{applied} of {len(outcomes)} file(s) applied"
          + (f", {already} already imported before" if already else "")
          + f"; {removed} record(s) removed that IROs' exports no longer hold.")
    # A file imported before is applied already: running the same import twice is not a failure.
    return 0 if applied + already == len(outcomes) else EXIT_FAILED


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    from iro_desktop.reports.figures import april_year

    anchor = args.start or args.end or dt.date.today()
    start = args.start or april_year(anchor)[0]
    end = args.end or april_year(start)[1]
    if end < start:
        raise CommandError(
            f"--to {end.isoformat()} is before --from {start.isoformat()}.", EXIT_BAD_INPUT
        )
    return start, end


def _writer(module: str, function: str):  # type: ignore[no-untyped-def]
    try:
        return getattr(importlib.import_module(f"iro_desktop.reports.{module}"), function)
    except (ImportError, AttributeError) as exc:
        raise CommandError(
            f"This version cannot write that format yet "
            f"(iro_desktop/reports/{module}.py: {function} is missing)."
        ) from exc


def run_report(args: argparse.Namespace) -> int:
    from iro_desktop.reports.annual import annual_report

    start, end = _period(args)
    writers = []
    if args.xlsx:
        writers.append((_writer("annual_xlsx", "write_xlsx"), args.xlsx))
    if args.pdf:
        writers.append((_writer("annual_pdf", "write_pdf"), args.pdf))
    store = _open_service(args.db)
    try:
        with store.session() as session:
            report = annual_report(session, start, end)
    finally:
        store.close()
    if args.service_name.strip():
        report["service_name"] = args.service_name.strip()
    for write, path in writers:
        write(report, path)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report))
    for _write, path in writers:
        print(f"Wrote {path}")
    return 0


def run_window(args: argparse.Namespace) -> int:
    try:
        from iro_desktop.gui.manager_window import run_manager_window
    except ImportError as exc:  # Qt libraries missing on this machine
        raise CommandError(f"The manager's window cannot start here: {exc}") from exc
    return run_manager_window(args.db)


def format_report(r: dict[str, object]) -> str:
    """A short plain-text summary (the full tables are in --json, --xlsx and --pdf)."""
    c = r["children"]  # type: ignore[index]
    p = r["percent"]  # type: ignore[index]
    lines = [
        f"IRO service report {r['from']} to {r['to']}",
        f"Children looked after in the period: {c['children_looked_after_in_period']} "  # type: ignore[index]
        f"(at the end: {c['children_looked_after_at_end']}; started {c['children_started']}, "  # type: ignore[index]
        f"ceased {c['children_ceased']})",  # type: ignore[index]
        f"Reviews held: {r['reviews_held']}, on time: {r['reviews_on_time']} "
        f"({p['reviews_on_time']}%)",  # type: ignore[index]
        f"Children whose every review was on time: {r['children_all_reviews_on_time']} of "
        f"{r['children_reviewed']} ({p['children_all_reviews_on_time']}%)",  # type: ignore[index]
        "Participation: "
        + ", ".join(f"{k} {v}" for k, v in r["participation"].items())  # type: ignore[attr-defined]
        + (
            f", not recorded yet (drafts) {r['participation_not_recorded']}"
            if r.get("participation_not_recorded")
            else ""
        ),
        f"Midway reviews: {r['midway_reviews_held']}",
        f"Escalations: {r['escalations_raised']} for {r['escalation_children']} children; "
        f"good-practice alerts: {r['good_practice_alerts']}",
        # Out of the reviews whose deadline has come (done, or past it): the pending ones, still
        # within their deadline on the report date, are not late yet and are counted apart.
        f"On time, of those due by {_report_day(r)} (pending: still within the deadline): "
        + "; ".join(
            _on_time(r, p, label, key, due, pending)
            for label, key, due, pending in (
                ("decisions circulated", "decisions_circulated_on_time", "decisions_due",
                 "decisions_pending"),
                ("records", "records_on_time", "records_due", "records_pending"),
                ("letters", "letters_on_time", "letters_due", "letters_pending"),
            )
        ),
        "Caseloads (guidance 50-70):",
    ]
    for row in r["caseloads"]["per_iro"]:  # type: ignore[index]
        lines.append(f"  {row['iro']}: {row['children']} ({row['against_guidance']})")
    return "\n".join(lines)


def _report_day(r: dict[str, object]) -> str:
    day = r.get("report_date")
    return dt.date.fromisoformat(str(day)).strftime("%d/%m/%Y") if day else "today"


def _on_time(  # noqa: PLR0917 - one caller, a row of names
    r: dict[str, object], p: dict[str, object], label: str, key: str, due: str, pending: str
) -> str:
    """'records 40 of 52 (76.9%), 3 pending': the share is out of those due, not all recorded."""
    share = p.get(key)
    text = f"{label} {r[key]} of {r[due]}" + (f" ({share}%)" if share is not None else "")
    waiting = int(r.get(pending) or 0)  # type: ignore[call-overload]
    return text + (f", {waiting} pending" if waiting else "")
