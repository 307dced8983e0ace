"""Timing helpers shared by the benchmarks: best-of-N wall time and the result row shape."""

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
