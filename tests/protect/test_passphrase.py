"""Passphrase strength (zxcvbn) and the retry limiter that slows down guessing."""

from __future__ import annotations

import json

import pytest

from iro_desktop.db.passphrase import (
    FREE_ATTEMPTS,
    MAX_DELAY_SECONDS,
    RetryLimiter,
    delay_after,
    estimate_strength,
    try_passphrase,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("weak", ["", "password", "password1", "iloveyou", "qwertyuiop",
                                  "Sam2024!"])
def test_weak_passphrases_are_refused_with_a_hint(weak):
    strength = estimate_strength(weak)
    assert not strength.acceptable
    assert strength.hint  # always says what to do


@pytest.mark.parametrize("strong", ["correct horse battery staple", "violet tractor sings at noon"])
def test_strong_passphrases_are_accepted(strong):
    strength = estimate_strength(strong)
    assert strength.acceptable
    assert strength.score >= 3
    assert strength.label in ("Strong", "Very strong")


def test_short_but_random_is_still_refused_for_length():
    strength = estimate_strength("Xq7#pL2!")
    assert not strength.acceptable
    assert "at least 10 characters" in strength.hint


def test_the_iros_own_name_makes_a_passphrase_weaker():
    alone = estimate_strength("samantha okonkwo")
    with_name = estimate_strength("samantha okonkwo", user_inputs=("Samantha", "Okonkwo"))
    assert with_name.score <= alone.score


def test_delays_grow_after_the_free_attempts_and_are_capped():
    assert [delay_after(n) for n in range(FREE_ATTEMPTS)] == [0.0] * FREE_ATTEMPTS
    delays = [delay_after(n) for n in range(FREE_ATTEMPTS, FREE_ATTEMPTS + 6)]
    assert delays == sorted(delays) and delays[0] > 0 and delays[1] == 2 * delays[0]
    assert delay_after(100) == MAX_DELAY_SECONDS


def test_limiter_makes_the_iro_wait_and_survives_a_restart(tmp_path):
    clock = Clock()
    state = tmp_path / "unlock-attempts.json"
    limiter = RetryLimiter(state, clock)
    for _ in range(FREE_ATTEMPTS - 1):
        assert limiter.record_failure() == 0.0
    wait = limiter.record_failure()
    assert wait == delay_after(FREE_ATTEMPTS)
    # Quitting and restarting the app does not reset the wait.
    restarted = RetryLimiter(state, clock)
    assert restarted.failures == FREE_ATTEMPTS
    assert restarted.wait_seconds() == wait
    clock.now += wait
    assert restarted.wait_seconds() == 0.0
    # The state file holds a count and a time, nothing else.
    assert set(json.loads(state.read_text())) == {"failures", "last_failure"}


def test_a_right_passphrase_resets_the_count(tmp_path):
    clock = Clock()
    limiter = RetryLimiter(tmp_path / "s.json", clock)
    for _ in range(FREE_ATTEMPTS + 2):
        limiter.record_failure()
    clock.now += 10_000
    opened, wait = try_passphrase(limiter, lambda: True)
    assert opened and wait == 0
    assert RetryLimiter(tmp_path / "s.json", clock).failures == 0


def test_try_passphrase_does_not_even_try_while_waiting(tmp_path):
    clock = Clock()
    limiter = RetryLimiter(tmp_path / "s.json", clock)
    for _ in range(FREE_ATTEMPTS):
        limiter.record_failure()
    tried = []
    opened, wait = try_passphrase(limiter, lambda: tried.append(1) or True)
    assert not opened and wait > 0 and tried == []


def test_a_clock_set_back_does_not_lock_the_iro_out_for_ever(tmp_path):
    clock = Clock()
    limiter = RetryLimiter(tmp_path / "s.json", clock)
    for _ in range(FREE_ATTEMPTS + 3):
        limiter.record_failure()
    clock.now -= 10 * 365 * 86400
    assert limiter.wait_seconds() <= delay_after(limiter.failures)


def test_a_damaged_state_file_counts_as_no_failures(tmp_path):
    state = tmp_path / "s.json"
    state.write_text("{not json")
    assert RetryLimiter(state, Clock()).failures == 0
