"""`iro-desktop --self-test`, the parts without Qt: is this installation (a checkout, a wheel or the
frozen build) complete and working?

Each check is timed and printed as one line:

    ok   resources 0.02 s  (4 fonts, 367 pictograms, 2 icons, 6 migrations)
    ok   migrations 0.61 s  (upgrade head = models, down to 0005 and up again, encrypted)
    FAIL letter 0.40 s  FileNotFoundError: ...Andika-Regular.ttf

The GUI part (the main window offscreen on a temporary demo caseload) lives in
`iro_desktop.gui.app.self_test`, which calls `run_checks()` and adds its own line.

Everything the checks write (two encrypted stores of invented children) stays inside one
temporary folder, removed at the end. Nothing is logged; no personal data exists here.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

PASSPHRASE = "self-test passphrase, not secret"
DEMO_CHILDREN = 4
DEMO_SEED = 7


class SelfTestFailure(Exception):
    """A check found something wrong; the message is the one line shown."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    seconds: float
    detail: str = ""

    def line(self) -> str:
        status = "ok  " if self.ok else "FAIL"
        text = f"{status} {self.name} {self.seconds:.2f} s"
        if self.detail:
            text += f"  ({self.detail})" if self.ok else f"  {self.detail}"
        return text


Check = Callable[[Path], str]


def run_check(name: str, check: Check, folder: Path) -> CheckResult:
    """Run one check in `folder`; any exception is a failure with a one-line reason."""
    start = time.perf_counter()
    try:
        detail = check(folder)
        ok = True
    except Exception as exc:  # a self-test reports every failure as a line, never a traceback
        ok = False
        message = " ".join(str(exc).split()) or "(no message)"
        detail = message if isinstance(exc, SelfTestFailure) else f"{type(exc).__name__}: {message}"
        if len(detail) > 300:
            detail = detail[:297] + "..."
    return CheckResult(name, ok, time.perf_counter() - start, detail or "")


# --- resources -------------------------------------------------------------------------------

ICONS = ("iro-desktop.png", "iro-desktop.ico")
FONT_LICENCE = "OFL.txt"
PICTOGRAM_LICENCE = "LICENSE-CC-BY-SA-4.0.txt"


def check_resources(folder: Path) -> str:
    """Fonts (with their licence), the pictogram catalogue and every SVG it names (with the
    licence), the icons, and the Alembic migrations read as files."""
    import json

    from iro_desktop.letters.pdf import FONT_FILES
    from iro_desktop.paths import package_path, resource_path

    missing: list[str] = []

    def need(path: Path, label: str) -> None:
        if not path.is_file() or path.stat().st_size == 0:
            missing.append(label)

    for filename in [*FONT_FILES.values(), FONT_LICENCE]:
        need(resource_path("fonts", filename), f"fonts/{filename}")
    catalogue_path = resource_path("pictograms", "catalogue.json")
    pictures = 0
    if catalogue_path.is_file():
        catalogue = json.loads(catalogue_path.read_text(encoding="utf-8"))
        for item in catalogue["pictures"]:
            pictures += 1
            file = item["file"]
            need(resource_path("pictograms", *Path(file).parts), f"pictograms/{file}")
        if pictures == 0:
            missing.append("pictograms (the catalogue is empty)")
    else:
        missing.append("pictograms/catalogue.json")
    need(resource_path("pictograms", PICTOGRAM_LICENCE), f"pictograms/{PICTOGRAM_LICENCE}")
    for icon in ICONS:
        need(resource_path("icons", icon), f"icons/{icon}")
    migrations = package_path("db", "migrations")
    need(migrations / "env.py", "migrations/env.py")
    need(migrations / "script.py.mako", "migrations/script.py.mako")
    revisions = sorted((migrations / "versions").glob("*.py"))
    if not revisions:
        missing.append("migrations/versions/*.py")
    if missing:
        more = len(missing) - 5
        shown = ", ".join(missing[:5]) + (f" and {more} more" if more > 0 else "")
        raise SelfTestFailure(f"missing resources: {shown}")
    return (f"{len(FONT_FILES)} fonts, {pictures} pictograms, {len(ICONS)} icons, "
            f"{len(revisions)} migrations")


# --- migrations ------------------------------------------------------------------------------


def check_migrations(folder: Path) -> str:
    """A new encrypted store: `upgrade head` gives exactly the models' schema; down one and up."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from iro_desktop.db import migrations
    from iro_desktop.db.models import Base
    from iro_desktop.db.store import open_store

    store = open_store(folder / "migrations.db", PASSPHRASE, before_migrate=None)
    try:
        engine = store.engine
        head = migrations.head_revision()
        if migrations.current_revision(engine) != head:
            raise SelfTestFailure(f"a new store is not at the newest schema ({head})")

        def differences() -> list:
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                return list(compare_metadata(context, Base.metadata))

        diff = differences()
        if diff:
            raise SelfTestFailure(
                f"upgrade head differs from the models in {len(diff)} ways, first: {diff[0]!r}")
        previous = migrations.script_directory().get_revision(head).down_revision
        migrations.downgrade(engine, "-1")
        if migrations.current_revision(engine) != previous:
            raise SelfTestFailure(f"downgrade from {head} did not reach {previous}")
        migrations.upgrade(engine)
        if migrations.current_revision(engine) != head or differences():
            raise SelfTestFailure(f"upgrade after a downgrade did not give {head} again")
        with engine.connect() as conn:
            cipher = conn.exec_driver_sql("PRAGMA cipher_version").scalar()
        if not cipher:
            raise SelfTestFailure("the store is not encrypted (no SQLCipher)")
    finally:
        store.close()
    header = (folder / "migrations.db").read_bytes()[:16]
    if header.startswith(b"SQLite format 3"):
        raise SelfTestFailure("the store was written unencrypted")
    return f"upgrade head = models, down to {previous} and up again, SQLCipher {cipher}"


# --- one letter ------------------------------------------------------------------------------


def _latest_review_id(session) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from iro_desktop.db.models import Review

    review_id = session.scalar(select(Review.id).order_by(Review.review_date.desc(), Review.id))
    if review_id is None:
        raise SelfTestFailure("the demo caseload has no reviews to write a letter about")
    return review_id


def check_letter(folder: Path) -> str:
    """Draft a letter from an invented child's latest review and render it to PDF in memory;
    score its reading ease; draw its first page with PDFium (what the preview shows)."""
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.db.store import open_store
    from iro_desktop.letters.compose import draft_letter
    from iro_desktop.letters.pdf import render_letter_pdf
    from iro_desktop.letters.readability import score_letter

    store = open_store(folder / "letter.db", PASSPHRASE, before_migrate=None)
    try:
        with store.transaction() as session:
            make_demo_caseload(session, children=DEMO_CHILDREN, seed=DEMO_SEED)
        with store.session() as session:
            doc = draft_letter(session, _latest_review_id(session))
    finally:
        store.close()
    buffer = io.BytesIO()
    render_letter_pdf(doc, buffer)
    pdf = buffer.getvalue()
    if not pdf.startswith(b"%PDF") or len(pdf) < 2000:
        raise SelfTestFailure(f"the letter is not a PDF ({len(pdf)} bytes)")
    if b"Andika" not in pdf:
        raise SelfTestFailure("the letter's font (Andika) is not embedded")
    readability = score_letter(doc)
    pages, width, height = _draw_first_page(pdf)
    return (f"{pages} page{'s' if pages != 1 else ''}, {len(pdf) // 1024} KB, "
            f"{len(doc.sections)} sections, reading ease {readability.reading_ease:.0f}, "
            f"page 1 drawn {width}x{height}")


def _draw_first_page(pdf: bytes) -> tuple[int, int, int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = len(document)
        page = document[0]
        bitmap = page.render(scale=40 / 72)
        width, height = bitmap.width, bitmap.height
        bitmap.close()
        page.close()
    finally:
        document.close()
    if pages < 1 or width < 100 or height < 100:
        raise SelfTestFailure("PDFium could not draw the letter")
    return pages, width, height


# --- libraries with data files or native code ------------------------------------------------


def check_libraries(folder: Path) -> str:
    """The libraries the frozen build must carry with their data: bank holidays (holidays),
    passphrase strength (zxcvbn frequency lists), the encrypted exchange (age, Ed25519), the
    annual spreadsheet (openpyxl) and the IRO's own pictures in letters (Pillow: PNG, JPEG)."""
    from iro_desktop.rules.workdays import add_working_days, is_bank_holiday

    if not is_bank_holiday(dt.date(2026, 12, 28)) or is_bank_holiday(dt.date(2026, 12, 29)):
        raise SelfTestFailure("bank holidays for England are wrong (28/12/2026 is the substitute)")
    if add_working_days(dt.date(2026, 12, 24), 1) != dt.date(2026, 12, 29):
        raise SelfTestFailure("working days over Christmas 2026 are wrong")

    from iro_desktop.db.passphrase import estimate_strength

    weak, strong = estimate_strength("password1"), estimate_strength("violet tugboat quarry anthem")
    if not weak.score < strong.score:
        raise SelfTestFailure("passphrase strength is not estimated (zxcvbn)")

    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    identity = pyrage.x25519.Identity.generate()
    sealed = pyrage.encrypt(b"self-test", [identity.to_public()])
    if pyrage.decrypt(sealed, [identity]) != b"self-test":
        raise SelfTestFailure("age encryption does not round-trip")
    key = Ed25519PrivateKey.generate()
    key.public_key().verify(key.sign(b"self-test"), b"self-test")

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["self-test", 1])
    sheet = io.BytesIO()
    book.save(sheet)
    if not sheet.getvalue().startswith(b"PK"):
        raise SelfTestFailure("the spreadsheet writer made no file")
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    png = io.BytesIO()
    Image.new("RGB", (12, 8), (200, 40, 40)).save(png, "PNG")
    jpeg = io.BytesIO()
    Image.new("RGB", (12, 8), (40, 40, 200)).save(jpeg, "JPEG")
    for picture in (png, jpeg):
        picture.seek(0)
        if ImageReader(picture).getSize() != (12, 8):
            raise SelfTestFailure("own pictures (PNG, JPEG) cannot be read")
    try:  # a manager may keep the service database on PostgreSQL
        import psycopg2  # noqa: F401
    except ImportError as exc:
        raise SelfTestFailure("the PostgreSQL driver (psycopg2) is missing") from exc
    return "holidays, zxcvbn, age, Ed25519, openpyxl, Pillow, psycopg2"


CHECKS: tuple[tuple[str, Check], ...] = (
    ("resources", check_resources),
    ("migrations", check_migrations),
    ("letter", check_letter),
    ("libraries", check_libraries),
)


@contextmanager
def _work_folder(folder: Path | None) -> Iterator[Path]:
    if folder is not None:
        work = Path(tempfile.mkdtemp(prefix="checks-", dir=folder))
        yield work
        return
    with tempfile.TemporaryDirectory(prefix="iro-self-test-") as made:
        yield Path(made)


def run_checks(out: TextIO | None = None, *, folder: Path | None = None,
               checks: Sequence[tuple[str, Check]] | None = None) -> list[CheckResult]:
    """Run every check, printing one line each to `out` (stdout) as it finishes.

    Works in a new temporary folder removed at the end, or inside `folder` (the caller's own
    temporary folder, which the caller removes)."""
    out = out if out is not None else sys.stdout
    checks = CHECKS if checks is None else checks
    results = []
    with _work_folder(folder) as work:
        for name, check in checks:
            result = run_check(name, check, work)
            print(result.line(), file=out, flush=True)
            results.append(result)
    return results


def exit_status(results: Sequence[CheckResult]) -> int:
    return 0 if results and all(r.ok for r in results) else 1


def main() -> int:
    """`python -m iro_desktop.selftest`: the checks without Qt (`--self-test` adds the window)."""
    started = time.perf_counter()
    results = run_checks()
    status = exit_status(results)
    failed = [r.name for r in results if not r.ok]
    verdict = "ok" if status == 0 else "FAILED: " + ", ".join(failed)
    print(f"self-test: {verdict} in {time.perf_counter() - started:.2f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
