"""Passphrases: how strong a new one is (zxcvbn), and a limit on fast retries of a wrong one.

The retry limiter keeps a tiny state file (a failure count and a time: nothing personal, nothing
about the passphrase) so that quitting and restarting the app does not reset the delay.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MINIMUM_SCORE = 3  # zxcvbn 0..4; 3 = "safely unguessable: moderate protection from offline attack"
MINIMUM_LENGTH = 10
SCORE_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")

FREE_ATTEMPTS = 3
FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str
    acceptable: bool


def estimate_strength(passphrase: str, user_inputs: Sequence[str] = ()) -> Strength:
    """How hard `passphrase` is to guess, with one sentence of advice; `user_inputs` are words
    the IRO is likely to use (their name, council) that make a passphrase weaker."""
    from zxcvbn import zxcvbn

    if not passphrase:
        return Strength(0, SCORE_LABELS[0],
                        "Choose a passphrase: several unrelated words work well.", False)
    # zxcvbn is slow on very long input and gains nothing past ~100 characters.
    result = zxcvbn(passphrase[:100], user_inputs=[u for u in user_inputs if u])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    parts = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    hint = " ".join(p.strip() for p in parts if p and p.strip())
    too_short = len(passphrase) < MINIMUM_LENGTH
    if too_short:
        hint = f"Use at least {MINIMUM_LENGTH} characters. " + hint
    acceptable = score >= MINIMUM_SCORE and not too_short
    if acceptable and not hint:
        hint = "Good: this passphrase would be hard to guess."
    elif not acceptable and not hint.strip():
        hint = "Add another word or two that are not obviously connected."
    return Strength(score, SCORE_LABELS[score], hint.strip(), acceptable)


def delay_after(failures: int) -> float:
    """Seconds to wait before the next try after `failures` wrong passphrases in a row:
    none for the first few (typing slips), then doubling up to five minutes."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS))


class RetryLimiter:
    """Counts wrong passphrases in a row and says how long to wait before the next try."""

    def __init__(self, state_file: Path, clock: Callable[[], float] = time.time) -> None:
        self.state_file = state_file
        self.clock = clock
        self.failures = 0
        self.last_failure = 0.0
        self._load()

    @classmethod
    def default(cls) -> RetryLimiter:
        from iro_desktop.paths import data_dir

        return cls(data_dir() / "unlock-attempts.json")

    def _load(self) -> None:
        try:
            state = json.loads(self.state_file.read_text())
            self.failures = max(0, int(state.get("failures", 0)))
            self.last_failure = float(state.get("last_failure", 0.0))
        except (OSError, ValueError, TypeError, AttributeError):
            self.failures, self.last_failure = 0, 0.0

    def _save(self) -> None:
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_name(self.state_file.name + ".tmp")
            state = {"failures": self.failures, "last_failure": self.last_failure}
            tmp.write_text(json.dumps(state))
            os.replace(tmp, self.state_file)
        except OSError:  # a read-only folder must not stop the IRO from unlocking
            log.warning("retry state not saved")

    def wait_seconds(self) -> float:
        """Seconds left before another try is allowed (0 when a try is allowed now)."""
        if self.failures < FREE_ATTEMPTS:
            return 0.0
        now = self.clock()
        self.last_failure = min(self.last_failure, now)  # the clock went back: count from now
        return max(0.0, self.last_failure + delay_after(self.failures) - now)

    def record_failure(self) -> float:
        self.failures += 1
        self.last_failure = self.clock()
        self._save()
        log.info("wrong passphrase (failures in a row: %d)", self.failures)
        return self.wait_seconds()

    def record_success(self) -> None:
        if self.failures:
            self.failures = 0
            self.last_failure = 0.0
            self._save()


def try_passphrase(limiter: RetryLimiter, attempt: Callable[[], bool]) -> tuple[bool, float]:
    """Run `attempt` (True when the passphrase opened the store) unless the limiter says wait.
    Returns (opened, seconds to wait before the next try)."""
    wait = limiter.wait_seconds()
    if wait > 0:
        return False, wait
    if attempt():
        limiter.record_success()
        return True, 0.0
    return False, limiter.record_failure()
