"""The command line end to end: a manager and an IRO, each with their own data folder."""

from __future__ import annotations

import importlib.util
import json

from iro_desktop.cli import main
from tests.manager.helpers import DEMO_TODAY

PERIOD = ["--from", "2025-04-01", "--to", "2026-03-31"]


class Actor:
    """Runs the CLI as one person: their own XDG_DATA_HOME and passphrases."""

    def __init__(self, monkeypatch, folder, env):
        self.monkeypatch, self.folder, self.env = monkeypatch, folder, env
        folder.mkdir(parents=True, exist_ok=True)

    def run(self, capsys, *argv):
        self.monkeypatch.setenv("XDG_DATA_HOME", str(self.folder))
        for key, value in self.env.items():
            self.monkeypatch.setenv(key, value)
        capsys.readouterr()
        status = main(list(argv))
        out = capsys.readouterr()
        return status, out.out, out.err


def test_manager_and_iro_end_to_end(tmp_path, monkeypatch, capsys):
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.db.store import open_store

    service = str(tmp_path / "service.db")
    manager = Actor(
        monkeypatch, tmp_path / "manager", {"IRO_DESKTOP_MANAGER_PASSPHRASE": "manager pw"}
    )
    iro = Actor(monkeypatch, tmp_path / "iro", {"IRO_DESKTOP_PASSPHRASE": "iro pw"})
    iro_db = tmp_path / "iro" / "caseload.db"
    store = open_store(iro_db, "iro pw")
    with store.transaction() as s:
        make_demo_caseload(s, children=30, seed=5, today=DEMO_TODAY)
    store.close()

    status, out, _ = manager.run(
        capsys, "manager", "init", "--db", service, "--name", "Pat Manager"
    )
    assert status == 0 and "Fingerprint:" in out
    status, manager_key, _ = manager.run(capsys, "manager", "key", "--db", service)
    assert status == 0 and "Role: manager" in manager_key
    (tmp_path / "manager.pub").write_text(manager_key)

    status, out, err = iro.run(
        capsys, "export", "--out", str(tmp_path / "x.iroexport"), "--db", str(iro_db)
    )
    assert status == 2 and "keys add-manager" in err
    status, out, _ = iro.run(
        capsys, "keys", "add-manager", str(tmp_path / "manager.pub"), "--db", str(iro_db)
    )
    assert status == 0 and manager_key.split("Fingerprint: ")[1][:19] in out
    status, iro_key, _ = iro.run(capsys, "keys", "show", "--db", str(iro_db))
    assert status == 0 and "Role: iro" in iro_key and "Pat Manager" in iro_key
    (tmp_path / "iro.pub").write_text(iro_key)
    export = tmp_path / "sam-2025-26.iroexport"
    status, out, _ = iro.run(capsys, "export", "--out", str(export), *PERIOD, "--db", str(iro_db))
    assert status == 0 and "children" in out
    status, stats, _ = iro.run(capsys, "stats", *PERIOD, "--json", "--db", str(iro_db))
    assert status == 0

    # Not trusted yet: refused, exit 1.
    status, out, _ = manager.run(capsys, "manager", "import", str(export), "--db", service)
    assert status == 1 and "refused" in out and "does not trust" in out
    status, out, _ = manager.run(
        capsys,
        "manager",
        "trust",
        str(tmp_path / "iro.pub"),
        "--name",
        "Sam Taylor",
        "--db",
        service,
    )
    assert status == 0 and "Trusted: Sam Taylor" in out
    status, out, _ = manager.run(capsys, "manager", "import", str(export), "--db", service)
    assert status == 0 and ": applied (Sam Taylor" in out
    status, out, _ = manager.run(
        capsys, "manager", "import", str(export), str(tmp_path / "missing"), "--db", service
    )
    assert status == 1 and "already imported" in out and "missing: refused" in out
    status, out, _ = manager.run(capsys, "manager", "import", str(export), "--db", service)
    assert status == 0 and "already imported" in out

    status, out, _ = manager.run(capsys, "manager", "report", *PERIOD, "--json", "--db", service)
    assert status == 0
    report, own = json.loads(out), json.loads(stats)
    for key, value in own.items():
        assert report[key] == value, key
    assert report["by_iro"][0]["iro"] == "Sam Taylor"
    status, out, _ = manager.run(capsys, "manager", "report", *PERIOD, "--db", service)
    assert status == 0 and "Reviews held:" in out and "Sam Taylor" in out
    # The spreadsheet and PDF writers are another engineer's; when present they get the report.
    for option, module in (("--xlsx", "annual_xlsx"), ("--pdf", "annual_pdf")):
        target = tmp_path / f"report.{option[2:]}"
        status, out, err = manager.run(
            capsys, "manager", "report", *PERIOD, option, str(target), "--db", service
        )
        if importlib.util.find_spec(f"iro_desktop.reports.{module}") is None:
            assert status == 1 and f"{module}.py" in err
        else:
            assert status == 0 and target.stat().st_size > 0, err


def test_a_report_format_not_installed_gives_a_clear_error(tmp_path, monkeypatch, capsys):
    import importlib

    real = importlib.import_module

    def without_xlsx(name, *args):
        if name == "iro_desktop.reports.annual_xlsx":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr("iro_desktop.commands.manager.importlib.import_module", without_xlsx)
    status = main(
        ["manager", "report", "--xlsx", str(tmp_path / "r.xlsx"), "--db", str(tmp_path / "s.db")]
    )
    err = capsys.readouterr().err
    assert status == 1 and "annual_xlsx.py" in err and not (tmp_path / "r.xlsx").exists()
    assert not (tmp_path / "s.db").exists()  # refused before opening anything


def test_manager_import_needs_the_passphrase(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("IRO_DESKTOP_MANAGER_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    status = main(["manager", "import", str(tmp_path / "f"), "--db", str(tmp_path / "s.db")])
    assert status == 2 and "IRO_DESKTOP_MANAGER_PASSPHRASE" in capsys.readouterr().err


def test_report_pdf_carries_the_service_name(tmp_path, monkeypatch, capsys):
    from pypdf import PdfReader

    service = str(tmp_path / "service.db")
    manager = Actor(
        monkeypatch, tmp_path / "manager", {"IRO_DESKTOP_MANAGER_PASSPHRASE": "manager pw"}
    )
    assert manager.run(capsys, "manager", "init", "--db", service)[0] == 0
    pdf = tmp_path / "report.pdf"
    status, out, _ = manager.run(capsys, "manager", "report", *PERIOD, "--pdf", str(pdf),
                                 "--service-name", "Northtown IRO Service", "--db", service)
    assert status == 0 and f"Wrote {pdf}" in out
    first_page = PdfReader(pdf).pages[0].extract_text()
    assert "Northtown IRO Service" in first_page
