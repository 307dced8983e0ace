"""The one engine and session factory over the IRO's encrypted SQLite store (SQLCipher 4)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


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


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _apply_pragmas(dbapi_conn: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed change survives power loss, not only a crash of the process.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _encrypted_engine(path: Path, passphrase: str) -> Engine:
    def connect() -> Any:
        conn = sqlcipher.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_quote(passphrase)}")
        # A wrong key opens fine and fails only on the first read: fail here, with our own error.
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            conn.close()
            raise WrongPassphrase() from exc
        _apply_pragmas(conn)
        return conn

    # The key derivation costs ~150 ms per connection, so connections are pooled, never per query.
    return create_engine("sqlite://", creator=connect, module=sqlcipher, pool_pre_ping=False)


def _plain_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            _apply_pragmas(dbapi_conn)

    return engine


def make_engine(target: str | Path, passphrase: str | None) -> Engine:
    """An engine for a store file (encrypted when a passphrase is given) or any SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        if passphrase is not None:
            raise StoreError("A passphrase only applies to a local caseload file.")
        return _plain_engine(text)
    path = Path(text)
    if passphrase is None:
        return _plain_engine(f"sqlite:///{path}")
    return _encrypted_engine(path, passphrase)


@dataclass
class Store:
    """An open store: the engine, the session factory, and where it lives."""

    engine: Engine
    path: Path | None
    encrypted: bool
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._factory()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: everything in the block commits together or not at all."""
        with self._factory() as session, session.begin():
            yield session

    def check_passphrase(self, passphrase: str) -> bool:
        """True when `passphrase` opens this store (the lock screen asks before showing data)."""
        if not self.encrypted or self.path is None:
            return True
        conn = sqlcipher.connect(str(self.path))
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = {_quote(passphrase)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        except sqlcipher.DatabaseError:
            return False
        finally:
            conn.close()

    def close(self) -> None:
        self.engine.dispose()


def open_store(
    target: str | Path,
    passphrase: str | None,
    *,
    migrate: bool = True,
    before_migrate: Callable[[Store, str | None], None] | None = None,
) -> Store:
    """Open (and create, and bring up to date) a store.

    `before_migrate(store, current_revision)` runs before any schema change to an existing store,
    which is where the backup is taken.
    """
    from iro_desktop.db import migrations

    text = str(target)
    is_url = "://" in text
    path = None if is_url else Path(text)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(target, passphrase)
    store = Store(engine=engine, path=path, encrypted=passphrase is not None)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        if migrate:
            current = migrations.current_revision(engine)
            migrations.check_not_newer(current)
            if current != migrations.head_revision():
                if current is not None and before_migrate is not None:
                    before_migrate(store, current)
                migrations.upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    log.info("store opened (encrypted=%s)", store.encrypted)
    return store


def is_sqlite_url(target: str | Path) -> bool:
    text = str(target)
    return "://" not in text or make_url(text).get_backend_name() == "sqlite"
