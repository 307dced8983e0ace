"""The text of a crash report: versions and where the code failed, never what it was working on.

An exception's message can carry data (`invalid literal for int(): 'Amira'`, an IntegrityError
quoting the row's values), and so can local variables, so the report keeps only the exception's
type and, for each frame, the file, line number and function name. Files are shown from the
package folder down, so the IRO's home folder (their user name) is not in the report either.
The IRO can paste the report into an email to support as it is.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import traceback
from types import TracebackType

MAX_CHAIN = 5


def _short_file(filename: str) -> str:
    path = filename.replace("\\", "/")
    for marker in ("/iro_desktop/", "/site-packages/", "/lib/python"):
        if marker in path:
            tail = path.split(marker, 1)[1]
            return ("iro_desktop/" + tail) if marker == "/iro_desktop/" else tail
    return path.rsplit("/", 1)[-1]


def _type_name(exc_type: type[BaseException]) -> str:
    module = exc_type.__module__
    if module in ("builtins", "__main__"):
        return exc_type.__qualname__
    return f"{module}.{exc_type.__qualname__}"


def _frames(tb: TracebackType | None) -> list[str]:
    return [f'  File "{_short_file(f.filename)}", line {f.lineno}, in {f.name}'
            for f in traceback.extract_tb(tb)]


def versions() -> list[str]:
    from iro_desktop import APP_NAME, __version__

    lines = [
        f"{APP_NAME} {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"OS: {platform.system()} {platform.release()} ({platform.machine()})",
    ]
    qt = sys.modules.get("PySide6.QtCore")
    if qt is not None:
        pyside = getattr(sys.modules.get("PySide6"), "__version__", "?")
        lines.append(f"Qt {qt.qVersion()}, PySide6 {pyside}")
    try:
        import sqlcipher3.dbapi2 as sqlcipher

        lines.append(f"SQLite {sqlcipher.sqlite_version}")
    except ImportError:  # pragma: no cover - the store cannot run without it
        pass
    return lines


def crash_report(exc_type: type[BaseException], exc: BaseException | None,
                 tb: TracebackType | None, *, when: dt.datetime | None = None) -> str:
    """The report text for an uncaught exception (types and code locations only)."""
    when = when or dt.datetime.now()
    lines = ["IRO Desktop crash report", f"Time: {when:%Y-%m-%d %H:%M:%S}", *versions(), "",
             "The message of the error is left out on purpose: it could contain case details.", ""]
    chain: list[tuple[type[BaseException], TracebackType | None, str]] = [(exc_type, tb, "")]
    seen = {id(exc)}
    current = exc
    while current is not None and len(chain) < MAX_CHAIN:
        cause = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if cause is None or id(cause) in seen:
            break
        seen.add(id(cause))
        how = "caused by" if current.__cause__ is cause else "while handling"
        chain.append((type(cause), cause.__traceback__, how))
        current = cause
    for kind, trace, how in chain:
        if how:
            lines.append(f"({how} the error below)")
        lines.append(f"{_type_name(kind)}")
        lines.append("Traceback (most recent call last):")
        lines.extend(_frames(trace))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
