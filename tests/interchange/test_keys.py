"""Keys: armored public keys and fingerprints, private keys encrypted at rest, a folder per
actor."""

from __future__ import annotations

import base64
import stat

import pyrage
import pytest

from iro_desktop.interchange import keys


def test_public_key_round_trip_and_fingerprint_shape():
    pair = keys.generate(keys.ROLE_IRO, "Sam  Taylor")
    text = pair.public.armored()
    assert text.startswith(keys.ARMOR_BEGIN) and "Name: Sam Taylor" in text
    again = keys.parse_public_key("Hello Pat, my key:\n\n" + text + "\nThanks")
    assert again == pair.public
    assert keys.format_fingerprint_ok(pair.public.fingerprint)
    assert len(pair.public.fingerprint) == 19
    # The name is a label: renaming keeps the fingerprint.
    assert pair.public.with_name("Samantha").fingerprint == pair.public.fingerprint


def test_fingerprints_differ_and_cover_both_keys():
    a, b = keys.generate(keys.ROLE_IRO, "A"), keys.generate(keys.ROLE_IRO, "B")
    assert a.public.fingerprint != b.public.fingerprint
    mixed = keys.PublicKey(keys.ROLE_IRO, "A", a.public.ed25519, b.public.age_recipient)
    assert mixed.fingerprint not in {a.public.fingerprint, b.public.fingerprint}


@pytest.mark.parametrize(
    "mangle, words",
    [
        (lambda t: t.replace(keys.ARMOR_END, ""), "not an IRO Desktop public key"),
        (
            lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("Age:")),
            "Age line is missing",
        ),
        (lambda t: t.replace("Role: iro", "Role: admin"), "unknown role"),
        (lambda t: t.replace("Ed25519: ", "Ed25519: AAAA"), "Ed25519"),
        (lambda t: t.replace("Age: age1", "Age: age2"), "not an age recipient"),
    ],
)
def test_damaged_public_keys_are_refused(mangle, words):
    text = keys.generate(keys.ROLE_IRO, "A").public.armored()
    with pytest.raises(keys.KeyFormatError, match=words):
        keys.parse_public_key(mangle(text))


def test_a_swapped_key_line_breaks_the_stated_fingerprint():
    a, b = keys.generate(keys.ROLE_IRO, "A"), keys.generate(keys.ROLE_IRO, "B")
    text = a.public.armored().replace(a.public.age_recipient, b.public.age_recipient)
    with pytest.raises(keys.KeyFormatError, match="fingerprint line does not match"):
        keys.parse_public_key(text)


def test_signatures_verify_only_over_the_same_bytes():
    pair = keys.generate(keys.ROLE_IRO, "A")
    signature = pair.sign(b"payload")
    assert pair.public.verify(signature, b"payload")
    assert not pair.public.verify(signature, b"payload!")
    assert not keys.generate(keys.ROLE_IRO, "B").public.verify(signature, b"payload")


def test_keys_saved_encrypted_in_the_data_folder_and_unlocked(isolated_user_folders):
    pair = keys.create_keys(keys.ROLE_IRO, "Sam Taylor", "store passphrase")
    folder = keys.key_dir(keys.ROLE_IRO)
    assert str(folder).startswith(str(isolated_user_folders))  # XDG_DATA_HOME of this actor
    private = (folder / "private.age").read_bytes()
    assert private.startswith(b"age-encryption.org/v1\n-> scrypt ")
    secret = str(pair.age_identity).encode()
    raw_signing = pair.signing_key.private_bytes_raw()
    assert secret not in private and base64.b64encode(raw_signing) not in private
    assert stat.S_IMODE((folder / "private.age").stat().st_mode) == 0o600
    assert keys.load_public(keys.ROLE_IRO) == pair.public
    unlocked = keys.unlock(keys.ROLE_IRO, "store passphrase")
    assert unlocked.public == pair.public
    # The age identity opens files encrypted to the public recipient.
    assert (
        pyrage.decrypt(pyrage.encrypt(b"x", [pair.public.recipient()]), [unlocked.age_identity])
        == b"x"
    )
    with pytest.raises(keys.WrongKeyPassphrase):
        keys.unlock(keys.ROLE_IRO, "wrong")
    with pytest.raises(keys.KeyProblem, match="already exist"):
        keys.create_keys(keys.ROLE_IRO, "Again", "x")
    keys.rewrap(keys.ROLE_IRO, "store passphrase", "new passphrase")
    assert keys.unlock(keys.ROLE_IRO, "new passphrase").public == pair.public


def test_each_actor_has_its_own_folder(isolated_user_folders, monkeypatch, tmp_path):
    keys.create_keys(keys.ROLE_IRO, "One", "p")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other"))
    assert not keys.has_keys(keys.ROLE_IRO)
    with pytest.raises(keys.NoKeys):
        keys.load_public(keys.ROLE_IRO)


def test_mismatched_private_and_public_files_are_refused(isolated_user_folders):
    keys.create_keys(keys.ROLE_MANAGER, "M", "p")
    other = keys.generate(keys.ROLE_MANAGER, "Other")
    (keys.key_dir(keys.ROLE_MANAGER) / "public.txt").write_text(other.public.armored())
    with pytest.raises(keys.KeyProblem, match="do not belong together"):
        keys.unlock(keys.ROLE_MANAGER, "p")
