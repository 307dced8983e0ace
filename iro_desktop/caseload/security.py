"""Changing the caseload passphrase: the store and the IRO's export keys move together."""

from __future__ import annotations

import logging

from iro_desktop.db.store import Store, rekey

log = logging.getLogger(__name__)


def change_passphrase(store: Store, old: str, new: str) -> str | None:
    """Re-key the store, then re-wrap the IRO's private keys (they are kept under the store
    passphrase). Returns a sentence for the IRO when the keys could not follow, else None."""
    from iro_desktop.interchange import keys  # cryptography and age: not on the start-up path

    rekey(store, old, new)
    if not keys.has_keys(keys.ROLE_IRO):
        return None
    try:
        keys.rewrap(keys.ROLE_IRO, old, new)
    except keys.KeyProblem as exc:
        log.warning("IRO keys not re-wrapped: %s", type(exc).__name__)
        return ("Your passphrase has been changed, but your export keys are still protected by "
                "a different passphrase; they keep working with that one.")
    return None
