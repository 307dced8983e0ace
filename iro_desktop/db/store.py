"""The one engine and session factory over the IRO's encrypted SQLite store (SQLCipher 4)."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from iro_desktop.db.errors import (  # noqa: F401  (re-exported: the store's public names)
    PLAIN_SQLITE_HEADER,
    DiskFull,
    NewerDatabase,
    NotACaseload,
    PassphraseNeeded,
    ReadOnlyFolder,
    StoreError,
    WrongPassphrase,
    _message_of,
    file_header,
    is_plain_sqlite,
    translate_error,
)

log = logging.getLogger(__name__)


def _is_sqlite_error(error: BaseException) -> bool:
    return isinstance(error, (sqlcipher.Error, sa_exc.DBAPIError, OSError))


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _apply_pragmas(dbapi_conn: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed change survives power loss, not only a crash of the process.
    cursor.execute("PRAGMA synchronous = FULL")
    # Temporary tables and sort spills stay in memory, never as files in /tmp.
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.close()


def connect_encrypted(path: Path, passphrase: str, *, check: bool = True) -> Any:
    """A raw SQLCipher connection keyed with `passphrase` (WrongPassphrase if it does not open)."""
    if not passphrase:  # SQLCipher refuses an empty key; to the IRO it is just a wrong one
        raise WrongPassphrase()
    conn = sqlcipher.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    if check:
        # A wrong key opens fine and fails only on the first read: fail here, with our own error.
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            conn.close()
            if "not a database" in str(exc):
                raise WrongPassphrase() from exc
            mapped = translate_error(exc, path.parent)
            if mapped is not None:
                raise mapped from exc
            raise
    return conn


def _encrypted_engine(path: Path, passphrase: str) -> Engine:
    def connect() -> Any:
        conn = connect_encrypted(path, passphrase)
        _apply_pragmas(conn)
        return conn

    # The key derivation costs ~150 ms per connection, so connections are pooled, never per query.
    # QueuePool, not SQLAlchemy's default SingletonThreadPool for "sqlite://": that one hands the
    # same connection to two sessions of one thread, which would mix their transactions.
    return create_engine(
        "sqlite://", creator=connect, module=sqlcipher, poolclass=QueuePool,
        pool_size=5, max_overflow=10, pool_pre_ping=False,
    )


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
        """One unit of work: everything in the block commits together or not at all.

        A full disk or a read-only folder comes out as DiskFull / ReadOnlyFolder (StoreError),
        with the whole unit rolled back and everything committed before it untouched.
        """
        try:
            with self._factory() as session, session.begin():
                yield session
        except (sa_exc.OperationalError, sqlcipher.OperationalError, OSError) as exc:
            mapped = translate_error(exc, self.path.parent if self.path else None)
            if mapped is None:
                raise
            log.warning("transaction failed: %s", type(mapped).__name__)
            raise mapped from exc

    def check_passphrase(self, passphrase: str) -> bool:
        """True when `passphrase` opens this store (the lock screen asks before showing data)."""
        if not self.encrypted or self.path is None:
            return True
        try:
            conn = connect_encrypted(self.path, passphrase)
        except WrongPassphrase:
            return False
        conn.close()
        return True

    def replace_engine(self, engine: Engine) -> None:
        """Swap in a new engine (after a re-key); sessions made from now on use it."""
        self.engine.dispose()
        self.engine = engine
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    def adopt(self, other: Store) -> None:
        """Take over `other`'s engine (after a restore reopened the file), so every page that
        holds this Store object sees the restored caseload without being rebuilt."""
        self.replace_engine(other.engine)
        self.path = other.path
        self.encrypted = other.encrypted

    def close(self) -> None:
        self.engine.dispose()


def rekey(store: Store, old: str, new: str) -> None:
    """Change the passphrase of an encrypted store file (PRAGMA rekey re-encrypts every page).

    Every pooled connection still holds the old key and would write pages the new key cannot
    read, so the pool is closed first and the store gets a fresh engine keyed with `new`.
    Backups taken before stay encrypted with the old passphrase.
    """
    if not store.encrypted or store.path is None:
        raise StoreError("Only an encrypted caseload file has a passphrase to change.")
    if not new:
        raise StoreError("The new passphrase is empty.")
    path = store.path
    store.engine.dispose()
    conn = connect_encrypted(path, old)  # WrongPassphrase when `old` is not the passphrase
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA rekey = {_quote(new)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.Error as exc:
        mapped = translate_error(exc, path.parent)
        if mapped is not None:
            raise mapped from exc
        raise
    finally:
        conn.close()
    store.replace_engine(_encrypted_engine(path, new))
    if not store.check_passphrase(new):  # pragma: no cover - SQLCipher guarantees this
        raise StoreError("The passphrase change could not be verified.")
    log.info("store re-keyed")


class _DefaultBackup:
    """Sentinel: take the usual pre-migration backup (file stores only)."""


DEFAULT_BACKUP: Any = _DefaultBackup()


def _check_writable_folder(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReadOnlyFolder(folder) from exc
    # WAL needs to create -wal and -shm files beside the database, even only to read it.
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ReadOnlyFolder(folder)


def open_store(
    target: str | Path,
    passphrase: str | None,
    *,
    migrate: bool = True,
    before_migrate: Callable[[Store, str | None], None] | None = DEFAULT_BACKUP,
    backup_folder: Path | None = None,
) -> Store:
    """Open (and create, and bring up to date) a store.

    `before_migrate(store, current_revision)` runs before any schema change to an existing store,
    which is where the backup is taken: by default an encrypted backup into `backup_folder` (or
    the `backup_folder` setting, or data_dir()/backups) for a local file; None for none.

    A local file given a passphrase that turns out to be a plain SQLite file from before
    encryption is encrypted in place, once, with an encrypted backup (db/encrypt.py).
    A store from a newer version raises NewerDatabase and is left byte-for-byte as it was.
    """
    from iro_desktop.db import migrations

    text = str(target)
    is_url = "://" in text
    path = None if is_url else Path(text)
    if path is not None:
        _check_writable_folder(path)
        has_data = path.exists() and path.stat().st_size > 0
        if passphrase is None and has_data and not is_plain_sqlite(path):
            raise PassphraseNeeded()
        if passphrase is not None and is_plain_sqlite(path):
            from iro_desktop.db.encrypt import encrypt_plain_database

            encrypt_plain_database(path, passphrase, backup_folder=backup_folder)
    if before_migrate is DEFAULT_BACKUP:
        before_migrate = None
        if path is not None:
            from iro_desktop.db.backups import backup_before_migrate_into

            before_migrate = backup_before_migrate_into(backup_folder)
    engine = make_engine(target, passphrase)
    store = Store(engine=engine, path=path, encrypted=passphrase is not None)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        if migrate:
            current = migrations.current_revision(engine)
            # Up to date (every normal start): no Alembic import, no script directory read.
            if current != migrations.HEAD_REVISION:
                migrations.check_not_newer(current)
                if current != migrations.head_revision():
                    if current is not None and before_migrate is not None:
                        before_migrate(store, current)
                    migrations.upgrade(engine)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        folder = path.parent if path else None
        mapped = translate_error(exc, folder) if _is_sqlite_error(exc) else None
        if mapped is None and path is not None and "not a database" in _message_of(exc):
            mapped = NotACaseload()
        if mapped is not None:
            raise mapped from exc
        raise
    log.info("store opened (encrypted=%s)", store.encrypted)
    return store


def is_sqlite_url(target: str | Path) -> bool:
    text = str(target)
    return "://" not in text or make_url(text).get_backend_name() == "sqlite"
