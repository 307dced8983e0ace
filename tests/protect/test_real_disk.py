"""A really full disk and a really read-only folder, not simulated: a child process in its own
mount namespace (`unshare -m`) mounts a tiny tmpfs and a read-only bind mount, which vanish with
it. Tests run as root, where chmod does not stop writes, so this is the honest way to get EROFS
and ENOSPC. Skipped where mount namespaces are not allowed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    r"""
    import json, os, subprocess, sys
    from pathlib import Path

    root = Path(sys.argv[1])
    passphrase = sys.argv[2]
    from sqlalchemy import func, select
    from iro_desktop.db.models import Child
    from iro_desktop.db.store import DiskFull, ReadOnlyFolder, StoreError, open_store
    from tests.factory import make_child
    out = {}

    def count(path):
        store = open_store(path, passphrase)
        with store.session() as s:
            n = s.scalar(select(func.count()).select_from(Child))
        store.close()
        return n

    # A full disk: a 1.5 MB tmpfs.
    full = root / "full"
    full.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(full)], check=True)
    db = full / "caseload.db"
    store = open_store(db, passphrase)
    with store.transaction() as s:
        for _ in range(5):
            make_child(s)
    try:
        with store.transaction() as s:
            for _ in range(3000):
                make_child(s, interests="x" * 1500)
        out["full_error"] = None
    except StoreError as exc:
        out["full_error"] = type(exc).__name__
        out["full_message"] = str(exc)
    store.close()
    out["full_count"] = count(db)

    # A read-only folder: a caseload made normally, then its folder bind-mounted read-only.
    ro = root / "ro"
    ro.mkdir()
    store = open_store(ro / "caseload.db", passphrase)
    with store.transaction() as s:
        for _ in range(3):
            make_child(s)
    store.close()
    before = {p.name: p.read_bytes() for p in ro.iterdir()}
    subprocess.run(["mount", "--bind", str(ro), str(ro)], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
    for label, target in (("ro_open", ro / "caseload.db"), ("ro_new", ro / "new.db")):
        try:
            open_store(target, passphrase).close()
            out[label] = None
        except StoreError as exc:
            out[label] = type(exc).__name__
            out[label + "_message"] = str(exc)
    # Without the up-front access check, SQLite's own error must still come out clearly.
    import iro_desktop.db.store as store_module
    store_module._check_writable_folder = lambda path: None
    try:
        open_store(ro / "caseload.db", passphrase).close()
        out["ro_sqlite"] = None
    except StoreError as exc:
        out["ro_sqlite"] = type(exc).__name__
    out["ro_unchanged"] = before == {p.name: p.read_bytes() for p in ro.iterdir()}
    subprocess.run(["umount", str(ro)], check=True)
    out["ro_count"] = count(ro / "caseload.db")
    print(json.dumps(out))
    """
)


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    if not _can_unshare():
        pytest.skip("needs root and mount namespaces (unshare -m)")
    root = tmp_path_factory.mktemp("realdisk")
    script = root / "script.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(root / "xdg"))
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, str(script), str(root),
         TEST_PASSPHRASE], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_really_full_disk_says_so_and_loses_nothing_committed(results):
    assert results["full_error"] == "DiskFull"
    assert "disk is full" in results["full_message"]
    assert results["full_count"] == 5


def test_a_really_read_only_folder_says_so_and_changes_nothing(results):
    assert results["ro_open"] == "ReadOnlyFolder"
    assert "read-only" in results["ro_open_message"]
    assert results["ro_new"] == "ReadOnlyFolder"
    assert results["ro_sqlite"] == "ReadOnlyFolder"
    assert results["ro_unchanged"] is True
    assert results["ro_count"] == 3
