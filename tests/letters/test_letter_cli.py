"""`iro-desktop letter CHILD_ID [--review YYYY-MM-DD] --out FILE.pdf [--db PATH]`."""

from __future__ import annotations

import io

from pypdf import PdfReader

from iro_desktop.cli import main
from iro_desktop.db.store import open_store
from iro_desktop.letters.compose import draft_letter, save_letter
from tests.conftest import TEST_PASSPHRASE
from tests.factory import make_child
from tests.letters.conftest import REVIEW_DAY, make_case, set_iro


def _fill(store_path, build):
    store = open_store(store_path, TEST_PASSPHRASE)
    try:
        with store.transaction() as session:
            return build(session)
    finally:
        store.close()


def _text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_writes_a_draft_for_the_latest_review(store_path, tmp_path, capsys):
    ref = _fill(store_path, lambda s: (set_iro(s), make_case(s, "9-12").child.child_ref)[1])
    out = tmp_path / "maya.pdf"
    assert main(["letter", ref, "--out", str(out), "--db", str(store_path)]) == 0
    text = _text(out)
    assert "Dear Maya," in text and "14 October 2026" in text
    message = capsys.readouterr().out
    assert "a draft letter" in message and "14 October 2026" in message
    assert "Maya" not in message  # no names on the terminal beyond the file itself


def test_writes_the_saved_letter_for_a_chosen_review(store_path, tmp_path, capsys):
    def build(session):
        set_iro(session)
        case = make_case(session, "4-8")
        doc = draft_letter(session, case.review_id)
        doc.sections[0].text = "This is the letter I saved for Leo."
        save_letter(session, case.review_id, doc)
        return case.child.child_ref

    ref = _fill(store_path, build)
    out = tmp_path / "leo.pdf"
    code = main(["letter", ref, "--review", REVIEW_DAY.isoformat(), "--out", str(out),
                 "--db", str(store_path)])
    assert code == 0
    assert "This is the letter I saved for Leo." in _text(out)
    assert "the saved letter" in capsys.readouterr().out


def test_clear_errors(store_path, tmp_path, capsys):
    def build(session):
        set_iro(session)
        ref = make_case(session, "13+").child.child_ref
        empty = make_child(session, reviews=[]).child_ref
        return ref, empty

    ref, empty = _fill(store_path, build)
    out = tmp_path / "x.pdf"
    db = ["--db", str(store_path)]
    assert main(["letter", "NOPE1", "--out", str(out), *db]) == 2
    assert "No child with the identifier 'NOPE1'" in capsys.readouterr().err
    assert main(["letter", empty, "--out", str(out), *db]) == 2
    assert "has no reviews yet" in capsys.readouterr().err
    assert main(["letter", ref, "--review", "2026-13-40", "--out", str(out), *db]) == 2
    assert "is not a date in the form YYYY-MM-DD" in capsys.readouterr().err
    assert main(["letter", ref, "--review", "2020-01-01", "--out", str(out), *db]) == 2
    err = capsys.readouterr().err
    assert "has no review on 1 January 2020" in err and "14 October 2026" in err
    assert main(["letter", ref, "--out", str(tmp_path / "missing" / "x.pdf"), *db]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not out.exists()
