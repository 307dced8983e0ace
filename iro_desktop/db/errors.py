"""What can go wrong with the store, in words the IRO can act on, and what a file is, without
opening it: all without SQLAlchemy or SQLCipher, so the unlock screen can show these before the
database libraries have loaded (issue 7: the prompt appears as fast as a bare window).
`iro_desktop.db.store` re-exports every name here."""

from __future__ import annotations

import errno
from pathlib import Path

PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(Exception):
    """A problem with the store that the user can understand and act on; the message says what."""


class WrongPassphrase(StoreError):
    def __init__(self) -> None:
        super().__init__("That passphrase does not open this caseload. Check it and try again.")


class NewerDatabase(StoreError):
    def __init__(self, revision: str) -> None:
        super().__init__(
            "This caseload was saved by a newer version of IRO Desktop "
            f"(schema {revision}). Install the newer version to open it; nothing was changed."
        )
        self.revision = revision


class DiskFull(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The disk is full, so the last change was not saved. Everything saved before it is "
            "safe. Free some space (or move the caseload to a bigger disk) and try again."
        )


class ReadOnlyFolder(StoreError):
    def __init__(self, folder: Path | None = None) -> None:
        where = f" ({folder})" if folder is not None else ""
        super().__init__(
            f"IRO Desktop cannot write to the caseload's folder{where}: it is read-only or you "
            "do not have permission. Nothing was changed. Choose a folder you can write to, or "
            "ask your IT team for write access."
        )
        self.folder = folder


class PassphraseNeeded(StoreError):
    def __init__(self) -> None:
        super().__init__("This caseload is encrypted: a passphrase is needed to open it.")


class NotACaseload(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "This file is not an IRO Desktop caseload, or it is damaged. Nothing was changed; "
            "restore a backup if you have one."
        )


def _message_of(error: BaseException) -> str:
    return str(getattr(error, "orig", None) or error).lower()


def translate_error(error: BaseException, folder: Path | None = None) -> StoreError | None:
    """The user-facing StoreError for a low-level SQLite or OS error, or None if it is not one
    we can explain (then it is a bug and goes to the crash report)."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return DiskFull()
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyFolder(folder)
        return None
    text = _message_of(error)
    if "database or disk is full" in text:
        return DiskFull()
    if "readonly database" in text or "read-only" in text or "unable to open database file" in text:
        return ReadOnlyFolder(folder)
    return None


def file_header(path: Path) -> bytes:
    """The first 16 bytes of a file (b"" when missing or empty)."""
    try:
        with path.open("rb") as f:
            return f.read(16)
    except FileNotFoundError:
        return b""


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file: SQLCipher files start with random salt instead."""
    return file_header(path) == PLAIN_SQLITE_HEADER
