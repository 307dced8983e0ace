"""Fixtures for the protect tests: raw looks at store files, and a store that may be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_PASSPHRASE


def raw_query(path: Path, sql: str, passphrase: str | None = TEST_PASSPHRASE) -> list[tuple]:
    """Run one query on a store file with a fresh SQLCipher connection (no app code between)."""
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def files_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def passphrase() -> str:
    return TEST_PASSPHRASE
