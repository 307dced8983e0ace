"""Make the example letters in this folder: invented children aged 5, 10 and 16 (and 2), their
reviews recorded through the review use case, drafted and rendered as a child would get them.

    .venv/bin/python docs/letters/make_examples.py      # then: pdftoppm -png -r 80 ...

Everything is synthetic (tests/letters/conftest.py); the store is a throw-away encrypted file.
The IRO's "photo" is an OpenMoji person: a real IRO adds their own photo in Settings.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from iro_desktop import settings  # noqa: E402
from iro_desktop.db.store import open_store  # noqa: E402
from iro_desktop.letters.compose import draft_letter  # noqa: E402
from iro_desktop.letters.pdf import render_letter_pdf  # noqa: E402
from iro_desktop.letters.pictures import add_picture  # noqa: E402
from iro_desktop.letters.readability import score_letter  # noqa: E402
from tests.letters.conftest import make_case, set_iro  # noqa: E402

EXAMPLES = {"age2": "0-3", "age5": "4-8", "age10": "9-12", "age16": "13+"}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "examples.db", "examples only")
        try:
            with store.transaction() as session:
                set_iro(session)
                photo = ROOT / "resources" / "pictograms" / "svg" / "woman-brown-skin.svg"
                picture_id = add_picture(session, "IRO photo (example)", photo.read_bytes(),
                                         "image/svg+xml")
                settings.put(session, "iro_photo", f"own:{picture_id}")
                for name, band in EXAMPLES.items():
                    case = make_case(session, band)
                    doc = draft_letter(session, case.review_id)
                    out = HERE / f"letter-{name}.pdf"
                    pages = render_letter_pdf(doc, out)
                    result = score_letter(doc)
                    print(f"{out.name}: {pages} pages, reading ease {result.reading_ease}, "
                          f"grade {result.grade} ({result.label})")
                    for old in HERE.glob(f"letter-{name}*.png"):
                        old.unlink()
                    subprocess.run(["pdftoppm", "-png", "-r", "80", str(out),
                                    str(HERE / f"letter-{name}")], check=True)
                session.rollback()
        finally:
            store.close()


if __name__ == "__main__":
    main()
