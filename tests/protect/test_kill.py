"""Crash safety, proved by killing a real process: SIGKILL at random moments in the middle of
saves and of large import transactions, then check the database file.

Each cycle forks a real child process (tests/protect/kill_worker.py) that opens the encrypted
store and commits, kills it with SIGKILL at a random moment (a third of the time timed to land
inside an import), and opens the file fresh: integrity_check must say ok, every id the worker
reported committed must be there, and every import must be all there or not there at all."""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from iro_desktop.db.store import open_store
from tests.conftest import TEST_PASSPHRASE
from tests.protect.kill_worker import IMPORT_SIZE

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("kill_worker.py")
STORES = 2  # run in parallel, one per core here
KILLS_PER_STORE = 26


@dataclass
class Tally:
    kills: int = 0
    mid_import: int = 0
    committed_ids: set[int] = field(default_factory=set)
    imports_done: set[str] = field(default_factory=set)
    imports_begun: set[str] = field(default_factory=set)
    last_save: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class Server:
    """The fork server of kill_worker.py and a queue of the lines its children print."""

    def __init__(self, path: Path, env: dict) -> None:
        self.errors = path.with_name("worker-stderr.txt").open("w")
        self.proc = subprocess.Popen([sys.executable, str(WORKER), str(path), TEST_PASSPHRASE],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.errors, text=True, env=env)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next(60) == ["server-ready"]

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never fully reported
                self.lines.put(line.split())
        self.lines.put(None)

    def next(self, timeout: float) -> list[str] | None:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def go(self, run: str) -> int:
        self.proc.stdin.write(f"go {run}\n")
        self.proc.stdin.flush()
        words = self.next(60)
        assert words and words[0] == "pid", words
        return int(words[1])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.errors.close()


def _one_cycle(server: Server, path: Path, run: str, rng: random.Random, tally: Tally) -> None:
    pid = server.go(run)
    # Where to kill: a third at a random moment after opening, a third inside an import, a third
    # at a random moment after an import committed (amid the next saves).
    mode = rng.choice(["saves", "import", "after-import"])
    begun_now: str | None = None
    killed = False
    deadline = time.monotonic() + 30
    while True:
        words = server.next(max(0.01, deadline - time.monotonic()))
        if words is None:
            break
        if words[0] == "exited":
            break
        _record(words, run, tally)
        if killed:
            continue
        if ((words[0] == "ready" and mode == "saves")
                or (words[0] == "import-begin" and mode == "import")
                or (words[0] == "import-done" and mode == "after-import")):
            if words[0] == "import-begin":
                begun_now = words[1]
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(pid, signal.SIGKILL)
            killed = True
    if not killed:
        tally.problems.append(f"run {run} ({mode}) ended without being killed: "
                              + path.with_name("worker-stderr.txt").read_text()[-1500:])
        return
    tally.kills += 1
    if begun_now is not None and begun_now not in tally.imports_done:
        tally.mid_import += 1
    _check(path, tally)


def _record(words: list[str], run: str, tally: Tally) -> None:
    if words[0] == "committed":
        tally.committed_ids.add(int(words[1]))
        tally.last_save[run] = int(words[2])
    elif words[0] == "import-begin":
        tally.imports_begun.add(words[1])
    elif words[0] == "import-done":
        tally.imports_done.add(words[1])


def _check(path: Path, tally: Tally) -> None:
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path))  # one fresh connection: one key derivation per check
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = '{TEST_PASSPHRASE}'")
        _check_on(conn, tally)
    finally:
        conn.close()


def _check_on(conn, tally: Tally) -> None:
    def rows(sql: str) -> list[tuple]:
        return conn.execute(sql).fetchall()

    verdict = rows("PRAGMA integrity_check")
    if verdict != [("ok",)]:
        tally.problems.append(f"integrity_check after kill {tally.kills}: {verdict[:3]}")
    present = {r[0] for r in rows("SELECT id FROM child WHERE first_name = 'Saved'")}
    lost = tally.committed_ids - present
    if lost:
        tally.problems.append(f"after kill {tally.kills}: {len(lost)} committed saves lost")
    counts = dict(rows("SELECT last_name, count(*) FROM child WHERE first_name = 'Imported' "
                       "GROUP BY last_name"))
    for tag, count in counts.items():
        if count != IMPORT_SIZE:
            tally.problems.append(f"import {tag}: partial, {count} of {IMPORT_SIZE} rows")
    for tag in tally.imports_done:
        if counts.get(tag) != IMPORT_SIZE:
            tally.problems.append(f"import {tag} reported done but is not all there")
    if rows("SELECT count(*) FROM episode")[0][0] != sum(counts.values()):
        tally.problems.append("episodes do not match imported children")
    stored = dict(rows("SELECT key, value FROM setting WHERE key LIKE 'kill-last-%'"))
    for run, n in tally.last_save.items():
        value = stored.get(f"kill-last-{run}")
        if value is None or int(value) < n:
            tally.problems.append(f"run {run}: setting update {n} lost")


def _kill_many(path: Path, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    try:
        server = Server(path, dict(os.environ, PYTHONPATH=str(ROOT)))
        try:
            for k in range(KILLS_PER_STORE):
                _one_cycle(server, path, f"{seed}x{k}", rng, tally)
        finally:
            server.close()
    except Exception as exc:  # a thread's failure must reach the test's assert
        tally.problems.append(f"store {seed}: {type(exc).__name__}: {exc}")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_kill_9_never_corrupts_or_loses_a_committed_change(tmp_path):
    paths = []
    for n in range(STORES):
        path = tmp_path / f"store{n}" / "caseload.db"
        open_store(path, TEST_PASSPHRASE).close()
        paths.append(path)
    tallies = [Tally() for _ in paths]
    started = time.monotonic()
    threads = [threading.Thread(target=_kill_many, args=(p, 1000 + n, t))
               for n, (p, t) in enumerate(zip(paths, tallies, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    kills = sum(t.kills for t in tallies)
    mid_import = sum(t.mid_import for t in tallies)
    saves = sum(len(t.committed_ids) for t in tallies)
    imports = sum(len(t.imports_done) for t in tallies)
    problems = [p for t in tallies for p in t.problems]
    print(f"\nkill test: {kills} SIGKILLs ({mid_import} inside an import), {saves} committed "
          f"saves and {imports} committed imports checked, {len(problems)} problems, "
          f"{elapsed:.1f} s")
    assert problems == []
    assert kills >= 50
    assert mid_import >= 5  # the kills really did land inside import transactions
    assert saves > 100 and imports >= 5
