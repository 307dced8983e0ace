"""Timing helpers shared by the benchmarks: best-of-N wall time and the result row shape.

A row is a dict: `name`, `seconds`, `floor` (what the floor is), `floor_seconds`, `ratio`
(seconds / floor_seconds), `target` (text), `met` (True, False or None when there is no target).
Figures that are not times (memory) give `value` and `floor_value` as text instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by the other core's load)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(name: str, seconds: float, *, floor: str = "", floor_seconds: float | None = None,
        target: str = "", met: bool | None = None) -> dict[str, Any]:
    ratio = seconds / floor_seconds if floor_seconds else None
    return {"name": name, "seconds": seconds, "floor": floor, "floor_seconds": floor_seconds,
            "ratio": ratio, "target": target, "met": met}


def value_row(name: str, value: float, unit: str, *, floor: str = "",
              floor_value: float | None = None, target: str = "",
              met: bool | None = None) -> dict[str, Any]:
    """A figure that is not a time (peak memory in MiB), with its floor in the same unit."""
    return {"name": name, "seconds": None, "value": f"{value:.0f} {unit}", "floor": floor,
            "floor_seconds": None,
            "floor_value": f"{floor_value:.0f} {unit}" if floor_value is not None else "",
            "ratio": value / floor_value if floor_value else None, "target": target, "met": met}
