"""`make bench`: run every benchmarks/bench_*.py `run()`, print the table, record it in docs/BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
BEGIN = "<!-- latest-run:begin -->"
END = "<!-- latest-run:end -->"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores {cpu}{mem}, "
            f"Python {platform.python_version()}")


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def table(rows: list[dict]) -> str:
    head = "| benchmark | seconds | floor | floor seconds | ratio | target | met |\n|---|---|---|---|---|---|---|"
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['name']} | {fmt(r.get('seconds'))} | {r.get('floor', '')} | "
            f"{fmt(r.get('floor_seconds'))} | {fmt(r.get('ratio'))} | {r.get('target', '')} | "
            f"{'yes' if r.get('met') else ('no' if r.get('met') is False else '')} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    only = set(argv)
    rows: list[dict] = []
    for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        name = path.stem
        if only and name not in only and name.removeprefix("bench_") not in only:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        results = module.run()
        for r in results:
            print("   ", {k: fmt(v) for k, v in r.items()}, flush=True)
        rows.extend(results)
    report = (f"{BEGIN}\n### Latest `make bench` ({dt.date.today():%d/%m/%Y})\n\n"
              f"Machine: {machine()}\n\n{table(rows)}\n{END}")
    print(report)
    if not only:
        text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + report + text[text.index(END) + len(END):]
        else:
            text = text.rstrip() + "\n\n" + report + "\n"
        DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
