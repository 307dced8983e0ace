"""`make bench`: run every benchmarks/bench_*.py `run()`, print the table, record it in
docs/BENCHMARKS.md (between the latest-run markers; every other section is left as it is).

    python -m benchmarks                 # all of them, and rewrite the latest-run block
    python -m benchmarks app letters     # only these (printed, docs untouched)

Each benchmark module runs in its own Python process, so one that fails, hangs or crashes
(a Qt abort) becomes a row saying so, and the others still run on a clean interpreter.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
BEGIN = "<!-- latest-run:begin -->"
END = "<!-- latest-run:end -->"
TIMEOUT_SECONDS = 1800  # per benchmark module
COLUMNS = ("benchmark", "result", "floor", "floor result", "ratio", "target", "met")


# --- the machine -----------------------------------------------------------------------------


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        return ""


def _load() -> str:
    try:
        return " ".join(f"{n:.1f}" for n in os.getloadavg())
    except OSError:
        return "?"


def _versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    for label, probe in (
        ("PySide6", lambda: __import__("PySide6").__version__),
        ("SQLAlchemy", lambda: __import__("sqlalchemy").__version__),
        ("SQLCipher", lambda: __import__("sqlcipher3.dbapi2").dbapi2.connect(":memory:")
            .execute("PRAGMA cipher_version").fetchone()[0]),
        ("reportlab", lambda: __import__("reportlab").Version),
    ):
        try:
            parts.append(f"{label} {probe()}")
        except Exception:  # a missing library is noted, not fatal
            parts.append(f"{label} ?")
    return ", ".join(parts)


def machine() -> str:
    memory = _memory()
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores {_cpu()}"
            f"{', ' + memory if memory else ''}; {_versions()}")


# --- the table -------------------------------------------------------------------------------


def fmt_seconds(value: Any) -> str:
    if not isinstance(value, int | float):
        return ""
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _cell(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        if r.get("error"):
            cells = [r["name"], "**failed**", "", "", "", r.get("target", ""),
                     f"error: {r['error']}"]
        else:
            result = r.get("value") or fmt_seconds(r.get("seconds"))
            floor_result = r.get("floor_value") or fmt_seconds(r.get("floor_seconds"))
            ratio = r.get("ratio")
            met = r.get("met")
            cells = [r.get("name", "?"), result, r.get("floor", ""), floor_result,
                     f"{ratio:.2f}x" if isinstance(ratio, int | float) else "",
                     r.get("target", ""), "yes" if met else ("**no**" if met is False else "")]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _print_row(r: dict) -> None:
    if r.get("error"):
        print(f"    FAILED {r['name']}: {r['error']}", flush=True)
        return
    result = r.get("value") or fmt_seconds(r.get("seconds"))
    floor = r.get("floor_value") or fmt_seconds(r.get("floor_seconds"))
    ratio = r.get("ratio")
    extra = f" vs {floor} ({ratio:.2f}x)" if floor and isinstance(ratio, int | float) else ""
    met = {True: " [met]", False: " [MISSED]"}.get(r.get("met"), "")  # type: ignore[call-overload]
    print(f"    {r.get('name')}: {result}{extra}{met}", flush=True)


# --- running ---------------------------------------------------------------------------------


def _clean(rows: Any, module: str) -> list[dict]:
    """Rows as the table expects them; anything else is an error row for that module."""
    if not isinstance(rows, list) or not rows:
        return [{"name": module, "error": f"run() returned {type(rows).__name__}, not rows"}]
    out = []
    for r in rows:
        if isinstance(r, dict) and r.get("name"):
            out.append({k: v for k, v in r.items() if isinstance(v, str | int | float | bool)
                        or v is None})
        else:
            out.append({"name": module, "error": f"a row without a name: {r!r:.100}"})
    return out


def run_one_here(module: str) -> list[dict]:
    """Import benchmarks.<module> and call run(); an exception becomes one error row."""
    import importlib

    try:
        rows = importlib.import_module(f"benchmarks.{module}").run()
    except Exception as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f" ({Path(last.filename).name}:{last.lineno})"
        return [{"name": module, "error": f"{type(exc).__name__}: {exc}"[:400] + where}]
    return _clean(rows, module)


def run_one(module: str, timeout: float = TIMEOUT_SECONDS) -> tuple[list[dict], float]:
    """One benchmark module in a fresh interpreter; its rows, and the wall time it took."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="iro-bench-") as tmp:
        out = Path(tmp) / "rows.json"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        try:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks", "--child", module, str(out)],
                cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True, check=False)
        except subprocess.TimeoutExpired:
            return [{"name": module, "error": f"timed out after {timeout:.0f} s"}], timeout
        elapsed = time.perf_counter() - start
        if done.stdout.strip():
            print(textwrap_indent(done.stdout.rstrip()), flush=True)
        if out.exists():
            return json.loads(out.read_text()), elapsed
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        return [{"name": module, "error": f"exit {done.returncode}: {tail[0][:300]}"}], elapsed


def textwrap_indent(text: str) -> str:
    return "\n".join("      | " + line for line in text.splitlines())


def modules(only: set[str]) -> list[str]:
    found = sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))
    if not only:
        return found
    return [m for m in found if m in only or m.removeprefix("bench_") in only]


def write_doc(report: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text and text.index(BEGIN) < text.index(END):
        text = text[: text.index(BEGIN)] + report + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## Latest run\n\n" + report + "\n"
    DOC.write_text(text)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:  # inside the fresh interpreter of run_one
        module, out = argv[1], Path(argv[2])
        out.write_text(json.dumps(run_one_here(module)))
        return 0
    only = set(argv)
    names = modules(only)
    if only and not names:
        print(f"no benchmark matches {' '.join(sorted(only))}", file=sys.stderr)
        return 2
    started = dt.datetime.now()
    load_before = _load()
    rows: list[dict] = []
    for name in names:
        print(f"== {name}", flush=True)
        module_rows, seconds = run_one(name)
        for r in module_rows:
            _print_row(r)
        print(f"   ({seconds:.0f} s)", flush=True)
        rows.extend(module_rows)
    failed = sum(1 for r in rows if r.get("error"))
    missed = sum(1 for r in rows if r.get("met") is False)
    report = (
        f"{BEGIN}\n### Latest `make bench` ({started:%d/%m/%Y %H:%M})\n\n"
        f"Machine: {machine()}. Load average (1, 5, 15 min) {load_before} at the start, "
        f"{_load()} at the end. Each figure is the best of several runs; the floor is measured "
        f"in the same run.\n\n{table(rows)}\n\n"
        f"{len(rows) - failed} figures, {failed} failed, {missed} targets missed.\n{END}"
    )
    print()
    print(report)
    if not only:
        write_doc(report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
