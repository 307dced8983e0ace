"""The manager's service database: the same models and migrations as an IRO's store, on SQLite
(a plain file path) or any SQLAlchemy URL (PostgreSQL: `postgresql://user@host/db`)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop.db.models import ImportLog, TrustedIro
from iro_desktop.db.store import Store, open_store
from iro_desktop.interchange.keys import ROLE_IRO, KeyFormatError, PublicKey, parse_public_key


def service_url(target: str | Path) -> str:
    """A SQLAlchemy URL for `target`: URLs pass through; a plain path means a SQLite file."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def open_service(target: str | Path, *, migrate: bool = True) -> Store:
    """Open (creating and migrating when needed) the service database. Not encrypted by us: a
    service keeps it on its own protected server or drive (docs/EXCHANGE.md)."""
    url = service_url(target)
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    return open_store(url, None, migrate=migrate)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def trust_iro(session: Session, key_text: str, name: str) -> tuple[TrustedIro, bool]:
    """Add an IRO's public key (or rename an already trusted one). Returns (row, newly added)."""
    key = parse_public_key(key_text)
    if key.role != ROLE_IRO:
        raise KeyFormatError("This is not an IRO's public key (it is a manager's).")
    name = " ".join(name.split())[:120] or key.name
    row = session.scalar(select(TrustedIro).where(TrustedIro.fingerprint == key.fingerprint))
    if row is not None:
        row.name = name
        row.revoked_at = None
        return row, False
    row = TrustedIro(
        name=name,
        fingerprint=key.fingerprint,
        ed25519_public=base64.b64encode(key.ed25519).decode("ascii"),
        age_recipient=key.age_recipient,
        public_key=key.armored(),
        trusted_at=_now(),
    )
    session.add(row)
    session.flush()
    return row, True


def public_key_of(row: TrustedIro) -> PublicKey:
    return PublicKey(ROLE_IRO, row.name, base64.b64decode(row.ed25519_public), row.age_recipient)


def trusted_keys(session: Session) -> dict[str, tuple[TrustedIro, PublicKey]]:
    rows = session.scalars(select(TrustedIro).where(TrustedIro.revoked_at.is_(None))).all()
    return {r.fingerprint: (r, public_key_of(r)) for r in rows}


def iros_with_last_import(session: Session) -> list[tuple[TrustedIro, ImportLog | None]]:
    """Each trusted IRO and their latest applied import (the manager window's list)."""
    result = []
    for row in session.scalars(select(TrustedIro).order_by(TrustedIro.name)).all():
        last = session.scalar(
            select(ImportLog)
            .where(ImportLog.trusted_iro_id == row.id)
            .order_by(ImportLog.exported_at.desc())
            .limit(1)
        )
        result.append((row, last))
    return result
