"""The child processes of the kill test.

`python kill_worker.py PATH PASSPHRASE` starts a small fork server: it imports the app once, then
for each `go RUN` line on stdin forks a real child process that opens the encrypted store and
commits small saves and big imports, printing each one only after its commit returned. The test
SIGKILLs that child at random moments; the server reports `exited PID` and waits for the next
line. Forking skips ~0.5 s of Python start-up per kill; the store is opened fresh each time
(key derivation, WAL recovery), exactly as a restarted app does.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

from sqlalchemy import select

from iro_desktop.db.models import Child, Episode, Setting
from iro_desktop.db.store import open_store

IMPORT_SIZE = 600
IMPORT_EVERY = 5


def report(line: str) -> None:
    """One whole line in one write(2): a pipe write under PIPE_BUF is atomic, so a SIGKILL can
    never leave half a line for the test to read (print() writes the text and the newline
    separately)."""
    os.write(1, (line + "\n").encode())


def work(path: str, passphrase: str, run: str) -> None:
    # The test created and migrated the store; each run is the app reopening it.
    store = open_store(path, passphrase, migrate=False)
    report("ready")
    n = 0
    while True:
        n += 1
        if n % IMPORT_EVERY == 0:
            tag = f"i{run}.{n}"
            report(f"import-begin {tag}")
            with store.transaction() as session:  # one import, one transaction
                for i in range(IMPORT_SIZE):
                    child = Child(child_ref=f"{tag}.{i}", first_name="Imported", last_name=tag,
                                  date_of_birth=dt.date(2012, 1, 1) + dt.timedelta(days=i))
                    child.episodes.append(Episode(start=dt.date(2025, 1, 1), reason_new_episode="S",
                                                  legal_status="C2", placement="U4"))
                    session.add(child)
            report(f"import-done {tag}")
            continue
        with store.transaction() as session:  # one save: a new child and an updated setting
            child = Child(child_ref=f"s{run}.{n}", first_name="Saved", last_name=run,
                          date_of_birth=dt.date(2014, 5, 6))
            session.add(child)
            row = session.scalar(select(Setting).where(Setting.key == f"kill-last-{run}"))
            if row is None:
                session.add(Setting(key=f"kill-last-{run}", value=n))
            else:
                row.value = n
            session.flush()
            child_id = child.id
        report(f"committed {child_id} {n}")


def serve(path: str, passphrase: str) -> None:
    print("server-ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] != "go":
            break
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                report(f"pid {os.getpid()}")
                work(path, passphrase, words[1])
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        print(f"exited {pid} {status}", flush=True)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
