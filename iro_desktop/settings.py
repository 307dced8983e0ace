"""Settings as data: every setting declared once, with its label and default, stored in the
encrypted store (some identify people: the IRO's name and contact). A settings page is generated
from `DEFINITIONS`; code reads values with `get(session, key)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from iro_desktop.db.models import Setting

ESCALATION_THEMES = [
    "Inadequate care plan",
    "Care plan delay (drift and delay)",
    "CLA safeguarding",
    "CLA social work (visits, no allocated worker, worker changes)",
    "CLA placement",
    "Education",
    "Health",
    "18+ / pathway planning",
    "Follow-up of review decisions",
    "Permanence",
    "Family time",
    "Paperwork not available for the review",
    "Other",
]


@dataclass(frozen=True, slots=True)
class SettingDef:
    key: str
    label: str
    default: Any
    kind: str  # int | bool | str | text | list | path | picture
    group: str
    help: str = ""
    minimum: int | None = None
    maximum: int | None = None
    editable: bool = True  # False: set by its own dialog or command, not on the settings page


DEFINITIONS: tuple[SettingDef, ...] = (
    # The IRO (letters, exports)
    SettingDef("iro_name", "Your name", "", "str", "About you",
               "Shown on letters to children and in exports."),
    SettingDef("iro_first_name", "The name children call you", "", "str", "About you",
               "Used in letters: \"I am Sam, your IRO\"."),
    SettingDef("iro_phone", "Your phone number", "", "str", "About you"),
    SettingDef("iro_email", "Your email address", "", "str", "About you"),
    SettingDef("iro_council", "Your council or service", "", "str", "About you"),
    SettingDef("iro_photo", "Your photo (for letters)", "", "picture", "About you",
               "A picture you added; children see it at the top of their letter."),
    # Local practice timescales (IRO_GUIDE.md, "Timescales that are local practice")
    SettingDef("decisions_circulated_days", "Decisions circulated within (working days)", 5, "int",
               "Timescales", minimum=1, maximum=60),
    SettingDef("record_completed_days", "Review record completed within (working days)", 15, "int",
               "Timescales", "Some councils use 20.", minimum=1, maximum=60),
    SettingDef("letter_sent_days", "Letter to the child sent within (working days)", 15, "int",
               "Timescales", minimum=1, maximum=60),
    SettingDef("midway_fraction_percent", "Midway review at (% of the way to the next review)", 50,
               "int", "Timescales", "50 is the midpoint between the last review and the next.",
               minimum=10, maximum=90),
    SettingDef("escalation_response_days", "Response to an alert at each stage (working days)", 10,
               "int", "Timescales", minimum=1, maximum=60),
    SettingDef("not_seen_months", "Flag a child not seen by you for (months)", 6, "int",
               "Timescales", minimum=1, maximum=24),
    SettingDef("due_soon_days", "Mark reviews due within (days)", 28, "int", "Timescales",
               minimum=1, maximum=120),
    # Lists the IRO can edit
    SettingDef("escalation_themes", "Escalation themes", ESCALATION_THEMES, "list", "Lists"),
    SettingDef("letter_glossary", "Words to avoid in letters (your changes)", [], "list", "Lists",
               "One line each: \"term = child-friendly words\" adds a word or changes what is "
               "suggested; \"term =\" stops marking it. The built-in list needs no lines."),
    # Protection
    SettingDef("lock_after_minutes", "Lock after this many minutes without use", 10, "int",
               "Security", minimum=1, maximum=240),
    SettingDef("backup_folder", "Backup folder", "", "path", "Security",
               "Empty: the backups folder inside your data folder. Point it at a USB drive if you "
               "like; backups are encrypted with your passphrase."),
    SettingDef("backups_kept", "Daily backups kept", 14, "int", "Security", minimum=1, maximum=365),
    # Exchange
    SettingDef("export_names", "Include children's names in exports", False, "bool", "Exchange",
               "Only if your manager asks for them."),
    SettingDef("manager_public_key", "Your manager's public key", "", "text", "Exchange",
               "Set with Keys > Import manager's key (or `iro-desktop keys add-manager`).",
               editable=False),
)

_BY_KEY = {d.key: d for d in DEFINITIONS}
EDITABLE: tuple[SettingDef, ...] = tuple(d for d in DEFINITIONS if d.editable)


def definition(key: str) -> SettingDef:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}: declare it in iro_desktop/settings.py") from None


def get(session: Session, key: str) -> Any:
    """The stored value, or the declared default."""
    default = definition(key).default
    row = session.get(Setting, key)
    return default if row is None else row.value


def get_all(session: Session) -> dict[str, Any]:
    values = {d.key: d.default for d in DEFINITIONS}
    for row in session.query(Setting).all():
        if row.key in values:
            values[row.key] = row.value
    return values


def put(session: Session, key: str, value: Any) -> None:
    """Store a value (the caller's transaction commits it). Ints are range-checked."""
    spec = definition(key)
    if spec.kind == "int":
        value = int(value)
        if spec.minimum is not None and value < spec.minimum:
            raise ValueError(f"{spec.label}: at least {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise ValueError(f"{spec.label}: at most {spec.maximum}")
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
