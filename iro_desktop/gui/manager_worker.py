"""The manager's window's background jobs: importing IROs' export files, making the annual report
and writing it as PDF or XLSX, each on a worker thread so the window stays responsive.

`JobRunner` runs one job at a time on a one-thread pool of its own. A job is a plain Python
object: its `work()` runs on the worker thread and makes its own session (or store) there, so no
session crosses a thread, and it touches no widget. It reaches the window only through the
runner's signals, which Qt queues to the GUI thread (the runner lives there).

A failure ends as one line for the manager in `job.error`: a `JobFailed` message as written, or
else the exception's type, never its text (a database error's text quotes the SQL and its
parameters, which can be a child's data). The log gets the type only, too.

The pool is the runner's child: if the window is destroyed while a job runs, the pool waits for
it first, so no thread outlives the objects it reports to.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from iro_desktop.gui.manager_models import view_tables
from iro_desktop.reports.annual_xlsx import ReportTable

log = logging.getLogger(__name__)


class JobFailed(Exception):
    """A job could not do its work, with a one-line message that is safe to show and log."""


class ManagerJob:
    """One piece of background work. Subclasses give `title` and `work()`."""

    #: How the window names the job: "The import is still running."
    title = "The job"

    def __init__(self) -> None:
        #: What `work()` returned; None until it has, and after a failure.
        self.result: Any = None
        #: The one-line message when the job failed, else None.
        self.error: str | None = None
        self._runner: JobRunner | None = None

    def work(self) -> Any:  # pragma: no cover - every job says what it does
        raise NotImplementedError

    def describe_failure(self, exc: Exception) -> str:
        """The one line for an unexpected failure: what failed and the error's type."""
        return f"{self.title} failed ({type(exc).__name__})."

    def run(self) -> None:
        """On the worker thread: `work()`, keeping its result or its one-line error."""
        try:
            self.result = self.work()
        except JobFailed as exc:
            self.error = str(exc)
            log.info("manager window: %s stopped (%s)", self.title.lower(),
                     type(exc.__cause__ or exc).__name__)
        except Exception as exc:  # any failure: the window shows one line, the app carries on
            self.error = self.describe_failure(exc)
            log.warning("manager window: %s failed (%s)", self.title.lower(), type(exc).__name__)

    def progress(self, done: int, total: int) -> None:
        """From `work()`: how far it has got (queued to the window)."""
        if self._runner is not None:
            _emit(self._runner.progress, done, total)

    def item_done(self, item: Any) -> None:
        """From `work()`: one item's result (queued to the window)."""
        if self._runner is not None:
            _emit(self._runner.item_done, item)


def _emit(signal: Any, *args: Any) -> None:
    """Emit from the worker thread; when the window (and so the runner) is being destroyed there
    is no one left to tell, and the job simply carries on to its end."""
    try:
        signal.emit(*args)
    except RuntimeError:  # "Signal source has been deleted"
        log.debug("manager window: a job outlived its window")


class JobRunner(QObject):
    """Runs the window's jobs one at a time on a worker thread of its own."""

    #: (done, of) from the running job: for an import, files done and files in all.
    progress = Signal(int, int)
    #: One item's result from the running job: for an import, one file's
    #: {"file", "status", "details", "line", "tooltip"} (applied, already imported, refused).
    item_done = Signal(object)
    #: The job is over (on the GUI thread, the runner idle again): the job, whose `result` or
    #: `error` says how it went.
    finished = Signal(object)
    #: Emitted on the worker thread when a job's run returns; queued to `_on_over`.
    _over = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.job: ManagerJob | None = None
        self._over.connect(self._on_over)
        app = QCoreApplication.instance()
        if app is not None:  # the app quitting waits for the job rather than cut it off
            app.aboutToQuit.connect(self.wait)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, job: ManagerJob) -> bool:
        """Run `job` on the worker thread; False (and nothing run) while another job runs."""
        if self.job is not None:
            return False
        self.job = job
        job._runner = self
        self._pool.start(lambda: self._run(job))
        return True

    def _run(self, job: ManagerJob) -> None:
        try:
            job.run()
        finally:
            _emit(self._over, job)

    def _on_over(self, job: ManagerJob) -> None:
        if job is self.job:
            self.job = None
        self.finished.emit(job)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running job is over (True), or `msecs` have passed (False)."""
        return self._pool.waitForDone(msecs)


# --- The jobs ---------------------------------------------------------------------------------

class ImportJob(ManagerJob):
    """Unlocks the manager's keys once, puts the files in import order once (each IRO's oldest
    first: `manager_import.import_order`), then imports each in turn into a store of its own
    (each file all or nothing). The result is the number of files applied."""

    title = "The import"

    def __init__(self, url: str, paths: Sequence[Path], passphrase: str,
                 keep_existing: bool = False) -> None:
        super().__init__()
        self.url, self.paths, self.keep_existing = url, list(paths), keep_existing
        self._passphrase = passphrase
        #: Files finished so far (applied, already imported or refused).
        self.files_done = 0

    def work(self) -> int:
        from iro_desktop.db.service import open_service
        from iro_desktop.interchange import keys
        from iro_desktop.interchange.manager_import import import_files, import_order

        try:
            pair = keys.unlock(keys.ROLE_MANAGER, self._passphrase)
        except keys.WrongKeyPassphrase as exc:
            raise JobFailed("That passphrase does not unlock the manager's keys.") from exc
        except keys.KeyProblem as exc:
            raise JobFailed(str(exc)) from exc
        finally:
            self._passphrase = ""
        try:
            store = open_service(self.url)
        except Exception as exc:
            raise JobFailed(f"Cannot open the service database ({type(exc).__name__}).") from exc
        applied = 0
        try:
            total = len(self.paths)
            self.progress(0, total)
            # Each IRO's files oldest first, whatever order the manager picked them in: one file
            # at a time below would otherwise refuse an older file after a newer one.
            ordered = import_order(self.paths, pair)
            for done, path in enumerate(ordered, start=1):
                (outcome,) = import_files(store, [path], pair, keep_existing=self.keep_existing)
                applied += outcome.status == "applied"
                self.files_done = done
                self.item_done(file_result(Path(path).name, outcome))
                self.progress(done, total)
        finally:
            store.close()
        return applied


#: How many of a file's removed records its row's tooltip lists.
REMOVED_SHOWN = 40


def file_result(name: str, outcome: Any) -> dict[str, str]:
    """One file's row for the window: {"file", "status", "details", "line", "tooltip"}.

    `details` says what happened in words without repeating the status: for an applied file
    its counts and what it removed (`removal_summary`); for an older export, why it was not
    applied. `tooltip` lists the records removed (903 ids and dates), or gives the full message.
    Plain strings only: the row crosses to the GUI thread."""
    from iro_desktop.interchange.manager_import import ALREADY, APPLIED

    line = outcome.line()
    tooltip = ""
    if outcome.status == APPLIED:
        details = _applied_details(outcome)
        removed = list(getattr(outcome, "removed", []) or [])
        if removed:
            more = len(removed) - REMOVED_SHOWN
            tooltip = "\n".join(
                ["Removed, no longer in the IRO's export:", *removed[:REMOVED_SHOWN]]
                + ([f"… and {more} more"] if more > 0 else [])
            )
    elif getattr(outcome, "reason", "") == "older_export":
        who = outcome.iro or "this IRO"
        details = (
            f"Not applied: an older export. A newer export from {who} is already imported, and "
            "an IRO's newest export is their whole record, so this older one would bring back "
            "records they have deleted since. Nothing was changed. If it covers a period the "
            "newer one does not, ask the IRO for a new export of that period."
        )
        tooltip = outcome.message  # with both exports' dates
    elif outcome.status == ALREADY:
        details = outcome.message or _details(line, outcome.status)
    else:
        details = getattr(outcome, "message", "") or _details(line, outcome.status)
    return {"file": name, "status": outcome.status, "details": details, "line": line,
            "tooltip": tooltip or details}


def _applied_details(outcome: Any) -> str:
    c = outcome.counts
    start, end = outcome.period or ("", "")
    parts = [
        f"{outcome.iro}, {_day(start)} to {_day(end)}: {c.get('children', 0)} children, "
        f"{c.get('reviews', 0)} reviews, {outcome.changes.get('reviews_added', 0)} new"
    ]
    if not outcome.removals_checked:
        parts.append("removals not checked: a schema 1 file from an older IRO Desktop")
    else:
        parts.append(outcome.removal_summary() or "nothing removed")
    if outcome.superseded:
        parts.append(f"{len(outcome.superseded)} review(s) superseded by this newer export")
    if outcome.conflicts:
        parts.append(f"{len(outcome.conflicts)} conflict(s) kept as existing: "
                     + ", ".join(outcome.conflicts[:5]))
    return "; ".join(parts)


def _day(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _details(line: str, status: str) -> str:
    """The reason part of an outcome's line, without the status the Result column shows."""
    details = line.split(": ", 1)[-1]
    if details.startswith(status):
        details = details[len(status):].lstrip(" :")
        if details.startswith("(") and details.endswith(")"):
            details = details[1:-1]
    return details


@dataclass(frozen=True)
class MadeReport:
    """A report job's result: the report's figures and the tables the window lists."""

    report: dict[str, Any]
    tables: dict[str, ReportTable]


class ReportJob(ManagerJob):
    """The annual report for `start`..`end`, from a session of its own on `store`'s engine."""

    title = "The report"

    def __init__(self, store: Any, start: dt.date, end: dt.date) -> None:
        super().__init__()
        self.store, self.start, self.end = store, start, end

    def work(self) -> MadeReport:
        from iro_desktop.reports.annual import annual_report

        with self.store.session() as session:  # made, used and closed on this thread
            report = annual_report(session, self.start, self.end)
        return MadeReport(report, view_tables(report))

    def describe_failure(self, exc: Exception) -> str:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            return ("Cannot make the report: the service database could not be read "
                    f"({type(exc).__name__}).")
        return f"Cannot make the report ({type(exc).__name__})."


class ExportJob(ManagerJob):
    """Writes `report` to `path` as "pdf" or "xlsx"; the result is the path written."""

    title = "The export"

    def __init__(self, kind: str, report: dict[str, Any], path: Path) -> None:
        super().__init__()
        self.kind, self.report, self.path = kind, report, Path(path)

    def work(self) -> Path:
        if self.kind == "pdf":
            from iro_desktop.reports.annual_pdf import write_pdf as write
        else:
            from iro_desktop.reports.annual_xlsx import write_xlsx as write
        try:
            write(self.report, self.path)
        except OSError as exc:
            raise JobFailed(f"Cannot write the file ({exc.strerror or 'error'}).") from exc
        return self.path

    def describe_failure(self, exc: Exception) -> str:
        return f"Cannot write the report ({type(exc).__name__})."


__all__ = ["ExportJob", "ImportJob", "JobFailed", "JobRunner", "MadeReport", "ManagerJob",
           "ReportJob", "file_result"]
