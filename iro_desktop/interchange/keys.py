"""Each actor's keys: an Ed25519 signing key (cryptography) and an age X25519 identity (pyrage).

Layout, in the actor's data folder (`paths.data_dir()`, which honours XDG_DATA_HOME):

    keys/<role>/public.txt    the armored public key (name, Ed25519 key, age recipient): to email
    keys/<role>/private.age   both private keys, encrypted with an age passphrase (scrypt); the
                              standard age format, so `age -d private.age` can open it too

`role` is "iro" (an IRO's install) or "manager". The IRO's passphrase is the store passphrase;
the manager's comes from IRO_DESKTOP_MANAGER_PASSPHRASE or is asked for. Unlocking costs one
scrypt derivation (about a second): do it once per export or once per import run, never per file.
No cryptography is done here beyond calling those two libraries.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from iro_desktop.paths import data_dir

ROLE_IRO = "iro"
ROLE_MANAGER = "manager"
ROLES = (ROLE_IRO, ROLE_MANAGER)

ARMOR_BEGIN = "-----BEGIN IRO DESKTOP PUBLIC KEY-----"
ARMOR_END = "-----END IRO DESKTOP PUBLIC KEY-----"
PRIVATE_MAGIC = "IRO-DESKTOP-PRIVATE-KEYS 1"
_FINGERPRINT_CONTEXT = b"iro-desktop public key v1\x00"
_FINGERPRINT_RE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")
_AGE_RECIPIENT_RE = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")
_MAX_NAME = 120


class KeyProblem(Exception):
    """A key problem the user can act on; the message says what (never contains key material)."""


class KeyFormatError(KeyProblem):
    """A public key file that is not one of ours, or is damaged."""


class WrongKeyPassphrase(KeyProblem):
    def __init__(self) -> None:
        super().__init__("That passphrase does not unlock the keys in this data folder.")


class NoKeys(KeyProblem):
    pass


def fingerprint(ed25519_public: bytes, age_recipient: str) -> str:
    """Four groups of four base32 characters of SHA-256 over both public keys (80 bits), to read
    over the phone: 'K4QX-7TMB-...'. The name is a label and is not covered."""
    digest = hashlib.sha256(
        _FINGERPRINT_CONTEXT + ed25519_public + b"\x00" + age_recipient.encode()
    ).digest()
    text = base64.b32encode(digest).decode("ascii")[:16]
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True, slots=True)
class PublicKey:
    """Someone's public keys: who, what for, and the two keys."""

    role: str
    name: str
    ed25519: bytes  # raw 32 bytes
    age_recipient: str  # age1...

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.ed25519, self.age_recipient)

    def armored(self) -> str:
        return "\n".join(
            [
                ARMOR_BEGIN,
                f"Role: {self.role}",
                f"Name: {self.name}",
                f"Ed25519: {base64.b64encode(self.ed25519).decode('ascii')}",
                f"Age: {self.age_recipient}",
                f"Fingerprint: {self.fingerprint}",
                ARMOR_END,
                "",
            ]
        )

    def recipient(self) -> pyrage.x25519.Recipient:
        return pyrage.x25519.Recipient.from_str(self.age_recipient)

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.ed25519).verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def with_name(self, name: str) -> PublicKey:
        return PublicKey(self.role, _clean_name(name), self.ed25519, self.age_recipient)


@dataclass(frozen=True, slots=True)
class KeyPair:
    """Unlocked private keys, held in memory only for one export or one import run."""

    public: PublicKey
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity

    def sign(self, data: bytes) -> bytes:
        return self.signing_key.sign(data)


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    return name[:_MAX_NAME]


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def parse_public_key(text: str) -> PublicKey:
    """Read an armored public key (from a file or pasted from an email). Checks the fingerprint
    line, when present, against the keys, so a mangled copy is caught."""
    if ARMOR_BEGIN not in text or ARMOR_END not in text:
        raise KeyFormatError(
            "This is not an IRO Desktop public key (the BEGIN/END lines are missing)."
        )
    body = text.split(ARMOR_BEGIN, 1)[1].split(ARMOR_END, 1)[0]
    fields: dict[str, str] = {}
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if ":" not in line:
            raise KeyFormatError("This public key is damaged: a line has no 'Field: value' shape.")
        key, value = line.split(":", 1)
        fields[key.strip().lower()] = value.strip()
    for needed in ("role", "name", "ed25519", "age"):
        if needed not in fields:
            raise KeyFormatError(
                f"This public key is damaged: the {needed.title()} line is missing."
            )
    if fields["role"] not in ROLES:
        raise KeyFormatError("This public key has an unknown role (expected iro or manager).")
    try:
        ed = base64.b64decode(fields["ed25519"], validate=True)
    except ValueError as exc:
        raise KeyFormatError("This public key is damaged: the Ed25519 line is not base64.") from exc
    if len(ed) != 32:
        raise KeyFormatError("This public key is damaged: the Ed25519 key is not 32 bytes.")
    try:
        Ed25519PublicKey.from_public_bytes(ed)
    except ValueError as exc:
        raise KeyFormatError("This public key is damaged: not an Ed25519 key.") from exc
    age = fields["age"]
    if not _AGE_RECIPIENT_RE.match(age):
        raise KeyFormatError("This public key is damaged: the Age line is not an age recipient.")
    try:
        pyrage.x25519.Recipient.from_str(age)
    except pyrage.RecipientError as exc:
        raise KeyFormatError(
            "This public key is damaged: the Age line is not an age recipient."
        ) from exc
    key = PublicKey(fields["role"], _clean_name(fields["name"]), ed, age)
    stated = fields.get("fingerprint")
    if stated is not None and stated.upper() != key.fingerprint:
        raise KeyFormatError(
            "This public key is damaged or was changed: "
            "its fingerprint line does not match its keys."
        )
    return key


def format_fingerprint_ok(text: str) -> bool:
    return bool(_FINGERPRINT_RE.match(text))


# ---- storage --------------------------------------------------------------------------------


def key_dir(role: str) -> Path:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return data_dir() / "keys" / role


def has_keys(role: str) -> bool:
    folder = key_dir(role)
    return (folder / "public.txt").exists() and (folder / "private.age").exists()


def _write_private_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Atomic write (same folder, then rename); the bytes are already encrypted, or public."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _private_text(pair: KeyPair) -> bytes:
    der = pair.signing_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return "\n".join(
        [
            PRIVATE_MAGIC,
            f"role: {pair.public.role}",
            f"age: {pair.age_identity}",
            f"ed25519-pkcs8: {base64.b64encode(der).decode('ascii')}",
            "",
        ]
    ).encode("ascii")


def generate(role: str, name: str) -> KeyPair:
    """New keys in memory (not saved)."""
    signing = Ed25519PrivateKey.generate()
    identity = pyrage.x25519.Identity.generate()
    public = PublicKey(role, _clean_name(name), _raw_public(signing), str(identity.to_public()))
    return KeyPair(public, signing, identity)


def save(pair: KeyPair, passphrase: str) -> None:
    if not passphrase:
        raise KeyProblem("A passphrase is needed to protect the private keys.")
    folder = key_dir(pair.public.role)
    sealed = pyrage.passphrase.encrypt(_private_text(pair), passphrase)
    _write_private_file(folder / "private.age", sealed)
    _write_private_file(folder / "public.txt", pair.public.armored().encode("utf-8"), 0o644)


def create_keys(role: str, name: str, passphrase: str) -> KeyPair:
    """Make and save this actor's keys; refuses to replace existing ones."""
    if has_keys(role):
        raise KeyProblem("Keys already exist in this data folder; they were not replaced.")
    pair = generate(role, name)
    save(pair, passphrase)
    return pair


def load_public(role: str) -> PublicKey:
    path = key_dir(role) / "public.txt"
    if not path.exists():
        raise NoKeys(f"No {role} keys in this data folder yet.")
    return parse_public_key(path.read_text(encoding="utf-8"))


def unlock(role: str, passphrase: str) -> KeyPair:
    """Decrypt the private keys (one scrypt derivation) and check they match the public file."""
    path = key_dir(role) / "private.age"
    if not path.exists():
        raise NoKeys(f"No {role} keys in this data folder yet.")
    public = load_public(role)
    try:
        text = pyrage.passphrase.decrypt(path.read_bytes(), passphrase).decode("ascii")
    except pyrage.DecryptError as exc:
        raise WrongKeyPassphrase() from exc
    fields: dict[str, str] = {}
    lines = text.splitlines()
    if not lines or lines[0] != PRIVATE_MAGIC:
        raise KeyProblem("The private key file is not one this version understands.")
    for line in lines[1:]:
        if ": " in line:
            k, v = line.split(": ", 1)
            fields[k] = v
    try:
        identity = pyrage.x25519.Identity.from_str(fields["age"])
        signing = serialization.load_der_private_key(
            base64.b64decode(fields["ed25519-pkcs8"]), None
        )
    except (KeyError, ValueError, pyrage.IdentityError) as exc:
        raise KeyProblem("The private key file is damaged.") from exc
    if not isinstance(signing, Ed25519PrivateKey):
        raise KeyProblem("The private key file is damaged.")
    if _raw_public(signing) != public.ed25519 or str(identity.to_public()) != public.age_recipient:
        raise KeyProblem(
            "The private and public key files in this data folder do not belong together."
        )
    return KeyPair(public, signing, identity)


def ensure_keys(role: str, name: str, passphrase: str) -> PublicKey:
    """This actor's public key, creating the keys on first use."""
    if not has_keys(role):
        return create_keys(role, name, passphrase).public
    return load_public(role)


def rewrap(role: str, old_passphrase: str, new_passphrase: str) -> None:
    """Re-encrypt the private keys under a new passphrase (when the store passphrase changes)."""
    save(unlock(role, old_passphrase), new_passphrase)
