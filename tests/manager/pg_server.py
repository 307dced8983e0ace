"""A throwaway PostgreSQL server for tests: initdb in a temporary folder, 127.0.0.1 on a free
port, trust authentication for the local test user only, stopped and removed at the end.

Debian's `postgresql` package provides the binaries. initdb refuses to run as root, so as root
the server runs as the `postgres` system user (runuser). `unavailable()` says why it cannot run."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else []


def unavailable() -> str | None:
    """None when a server can be started here, else the reason (for pytest.skip)."""
    if _bin_dir() is None:
        return "PostgreSQL binaries not found (Debian package `postgresql`)"
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root without runuser: initdb refuses root"
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the server as"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed (pip install .[postgres])"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a SQLAlchemy URL to an empty database `service`; stops the server afterwards."""
    bin_dir = _bin_dir()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="iro-pg-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    user = _as_user()
    if user:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    log = folder / "server.log"
    started = False
    try:
        subprocess.run(
            [
                *user,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "iro",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            env=env,
            timeout=120,
        )
        subprocess.run(
            [
                *user,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off",
                "start",
            ],
            check=True,
            capture_output=True,
            env=env,
            timeout=90,
        )
        started = True
        subprocess.run(
            [
                *user,
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "iro",
                "service",
            ],
            check=True,
            capture_output=True,
            env=env,
            timeout=60,
        )
        yield f"postgresql+psycopg2://iro@127.0.0.1:{port}/service"
    finally:
        if started:
            subprocess.run(
                [*user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                check=False,
                capture_output=True,
                env=env,
                timeout=60,
            )
        time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)
