"""No child's name or date of birth, in readable form, in ANY file the app writes: the database,
its WAL and SHM (while open and after), backups, logs, the retry state, settings, QSettings and
temporary files. A realistic workflow runs first (demo caseload, 903 import, saves, backups,
re-key, a crash report), then every byte under the test's folders is searched."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from iro_desktop.db.models import Child
from iro_desktop.db.store import open_store, rekey
from iro_desktop.paths import default_db_path
from tests.conftest import TEST_PASSPHRASE

IMPORTED = [("P001", "Persephone", "Vantablack", "17/11/2013"),
            ("P002", "Thaddeus", "Oyelaran-Pike", "02/04/2016")]


def _write_903(folder: Path) -> None:
    folder.mkdir(parents=True)
    header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    episodes = ["CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
                "PL_POST,URN"]
    reviews = ["CHILD,DOB,REVIEW,REVIEW_CODE"]
    names = ["CHILD,FIRST_NAME,LAST_NAME,PREFERRED_NAME"]
    for ref, first, last, dob in IMPORTED:
        header.append(f"{ref},F,{dob},WBRI,,,")
        episodes.append(f"{ref},01/05/2025,S,C2,N1,U4,PR1,,,,ZZ1 1ZZ,ZZ2 2ZZ,")
        reviews.append(f"{ref},{dob},02/06/2025,PN1")
        names.append(f"{ref},{first},{last},")
    for name, lines in (("header.csv", header), ("episodes.csv", episodes),
                        ("reviews.csv", reviews), ("children.csv", names)):
        (folder / name).write_text("\n".join(lines) + "\n")


def _needles(children: list[tuple[str, str, str, dt.date]]) -> dict[bytes, str]:
    """What must not appear: full names, distinctive name parts, and each date of birth written
    the ways people and programs write dates."""
    found: dict[bytes, str] = {}
    for first, last, preferred, dob in children:
        for part in (first, last, preferred):
            if len(part) >= 6:  # shorter fragments turn up by chance in encrypted bytes
                found[part.encode()] = part
        found[f"{first} {last}".encode()] = f"{first} {last}"
        for form in (f"{dob:%Y-%m-%d}", f"{dob:%d/%m/%Y}", f"{dob.day}/{dob.month}/{dob.year}",
                     f"{dob:%d.%m.%Y}", f"{dob:%Y%m%d}", f"{dob:%d %B %Y}"):
            found[form.encode()] = form
    return found


def _scan(roots: list[Path], needles: dict[bytes, str], skip: set[Path]) -> list[str]:
    leaks = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or any(path.is_relative_to(s) for s in skip):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for needle, label in needles.items():
                if needle in data:
                    leaks.append(f"{path.relative_to(root)}: {label}")
    return leaks


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The app's temporary files (tempfile, Qt) land here, so they get searched too."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def _new_system_temp_files(since: float) -> list[Path]:
    system = Path("/tmp")
    found = []
    for entry in system.iterdir() if system.is_dir() else []:
        try:
            if entry.is_file() and entry.stat().st_mtime >= since:
                found.append(entry)
        except OSError:
            continue
    return found


def test_no_personal_data_in_any_file_the_app_writes(tmp_path, private_tmp, isolated_user_folders):
    from iro_desktop import settings
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.db.backups import backup_now, daily_backup_if_due
    from iro_desktop.db.passphrase import RetryLimiter
    from iro_desktop.interchange.import903 import import_903_folder
    from iro_desktop.logs import setup_logging

    started = time.time()
    log_file = setup_logging()
    incoming = tmp_path / "incoming-903"  # the council's files: the IRO's own, not the app's
    _write_903(incoming)
    store = open_store(default_db_path(), TEST_PASSPHRASE)
    with store.transaction() as session:
        make_demo_caseload(session, children=70, seed=3)
    with store.transaction() as session:
        result = import_903_folder(session, incoming)
        assert result.ok, result.summary()
    with store.transaction() as session:
        settings.put(session, "iro_name", "Morwenna Tregarthen")
        child = session.scalars(select(Child).order_by(Child.id)).first()
        child.interests = "football and drawing"
    values = {"backup_folder": "", "backups_kept": 14}
    daily_backup_if_due(store, values)
    backup_now(store, tmp_path / "usb")
    limiter = RetryLimiter.default()
    limiter.record_failure()
    limiter.record_success()

    # An uncaught error whose message carries a child's name goes through the hook and the log.
    from iro_desktop.gui import crash_dialog

    with store.session() as session:
        people = [(c.first_name, c.last_name, c.preferred_name, c.date_of_birth)
                  for c in session.scalars(select(Child))]
    assert len(people) == 72
    needles = _needles(people)
    needles[b"Morwenna"] = "the IRO's name (a setting)"
    try:
        raise ValueError(f"cannot save {people[0][0]} {people[0][1]}, born {people[0][3]:%d/%m/%Y}")
    except ValueError:
        original = crash_dialog.CrashDialog.show_report
        crash_dialog.CrashDialog.show_report = staticmethod(lambda report, parent=None: None)
        try:
            crash_dialog.handle_exception(*sys.exc_info())
        finally:
            crash_dialog.CrashDialog.show_report = original

    # While the store is open its WAL holds recent pages: SQLCipher encrypts those too.
    db = default_db_path()
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    skip = {incoming}
    open_leaks = _scan([tmp_path], needles, skip)
    rekey(store, TEST_PASSPHRASE, "a second passphrase for the scan")
    store.close()
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    assert log_file.exists() and log_file.stat().st_size > 0

    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                     if p.is_file() and not p.is_relative_to(incoming))
    assert any(w.endswith("caseload.db") for w in written)
    assert any("backups" in w for w in written) and any("usb" in w for w in written)
    assert any(w.endswith(".log") for w in written)
    assert open_leaks == []
    assert _scan([tmp_path], needles, skip) == []
    # Nothing of ours went to the system temporary folder either.
    for path in _new_system_temp_files(started):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        assert not any(n in data for n in needles), path
    # The needles are real: the same search finds them in the council's plain files.
    assert _scan([incoming], needles, set())


def test_no_personal_data_in_qt_settings_after_using_the_window(qtbot, store, tmp_path,
                                                                private_tmp, isolated_user_folders):
    main_window = pytest.importorskip("iro_desktop.gui.main_window")
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.gui.app import make_application

    make_application()
    with store.transaction() as session:
        make_demo_caseload(session, children=20, seed=5)
    with store.session() as session:
        people = [(c.first_name, c.last_name, c.preferred_name, c.date_of_birth)
                  for c in session.scalars(select(Child))]
        first_id = session.scalars(select(Child.id)).first()
    window = main_window.MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    search = getattr(window, "search", None)
    if search is not None and hasattr(search, "setText"):
        search.setText(people[0][1])  # the IRO types a child's surname into the search box
    window.open_child(first_id)
    window.close()
    main_window.QSettings().sync()
    store.close()
    config = Path(os.environ["XDG_CONFIG_HOME"])
    assert any(p.is_file() for p in config.rglob("*")), "QSettings wrote nothing to scan"
    assert _scan([tmp_path], _needles(people), set()) == []
