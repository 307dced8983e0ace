"""The command line never shows a traceback: a broken pipe is quiet, anything else one line."""

from __future__ import annotations

import subprocess
import sys

from iro_desktop import cli
from iro_desktop.cli import main


def test_unexpected_error_is_one_line_and_a_report_without_the_message(monkeypatch, capsys,
                                                                         isolated_user_folders):
    def boom(_args):
        raise RuntimeError("Jasmine Example, born 01/02/2015")  # a message that carries data

    monkeypatch.setattr(cli, "build_parser", _parser_with(boom))
    assert main(["boom"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError" in err and "Traceback" not in err
    assert "Jasmine" not in err
    logs = list(isolated_user_folders.rglob("*.log"))
    assert logs, "the crash report goes to the log file"
    text = "".join(p.read_text() for p in logs)
    assert "RuntimeError" in text and "Jasmine" not in text and "01/02/2015" not in text


def test_a_closed_pipe_is_not_a_traceback(store_path):
    # `iro-desktop due | head -1`: the reader goes away. Here it has gone before the command
    # writes anything (Python takes far longer to start than the close), so every write fails.
    assert main(["demo", "--db", str(store_path), "--replace"]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "iro_desktop", "due", "--db", str(store_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def _parser_with(handler):
    real = cli.build_parser

    def build():
        parser = real()
        sub = next(a for a in parser._actions if a.dest == "command")
        sub.add_parser("boom").set_defaults(handler=handler)
        return parser

    return build
