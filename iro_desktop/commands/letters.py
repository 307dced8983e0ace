"""Letters to children: `letter CHILD_ID [--review YYYY-MM-DD] --out FILE.pdf [--db PATH]`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from iro_desktop.cli import EXIT_BAD_INPUT, EXIT_FAILED, CommandError, add_db_option, open_cli_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    letter = sub.add_parser(
        "letter", help="write a child's letter about a review as a PDF",
        description="Writes the letter to the child about one review as a PDF: the letter you "
                    "saved, or a draft made from the review if you have not saved one.")
    letter.add_argument("child_id", metavar="CHILD_ID", help="the child's 903 identifier (CHILD)")
    letter.add_argument("--review", metavar="YYYY-MM-DD", default=None,
                        help="the date of the review (default: the latest review)")
    letter.add_argument("--out", metavar="FILE.pdf", type=Path, required=True,
                        help="where to write the PDF")
    add_db_option(letter)
    letter.set_defaults(handler=run_letter)


def _review_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date in the form YYYY-MM-DD.", EXIT_BAD_INPUT) \
            from None


def run_letter(args: argparse.Namespace) -> int:
    from iro_desktop.db.models import Child, Review
    from iro_desktop.letters.compose import has_saved_letter, load_letter, short_date
    from iro_desktop.letters.pdf import render_letter_pdf

    day = _review_date(args.review)
    out: Path = args.out
    if out.exists() and out.is_dir():
        raise CommandError(f"{out} is a folder: give a file name ending in .pdf.", EXIT_BAD_INPUT)
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.", EXIT_BAD_INPUT)
    store = open_cli_store(args.db)
    try:
        with store.session() as session:
            child = session.scalar(select(Child).where(Child.child_ref == args.child_id))
            if child is None:
                raise CommandError(f"No child with the identifier {args.child_id!r} in this "
                                   "caseload.", EXIT_BAD_INPUT)
            query = select(Review).where(Review.child_id == child.id)
            if day is not None:
                review = session.scalar(query.where(Review.review_date == day))
                if review is None:
                    dates = [short_date(d) for d in session.scalars(
                        select(Review.review_date).where(Review.child_id == child.id)
                        .order_by(Review.review_date.desc()).limit(5))]
                    known = f" Reviews: {', '.join(dates)}." if dates else " They have no reviews."
                    raise CommandError(f"Child {args.child_id} has no review on "
                                       f"{short_date(day)}.{known}", EXIT_BAD_INPUT)
            else:
                review = session.scalar(query.order_by(Review.review_date.desc()).limit(1))
                if review is None:
                    raise CommandError(f"Child {args.child_id} has no reviews yet, so there is "
                                       "no letter to write.", EXIT_BAD_INPUT)
            saved = has_saved_letter(session, review.id)
            doc = load_letter(session, review.id)
            review_day = review.review_date
        try:
            pages = render_letter_pdf(doc, out)
        except OSError as exc:
            raise CommandError(f"Could not write {out}: {exc.strerror or exc}.", EXIT_FAILED) \
                from exc
    finally:
        store.close()
    what = "the saved letter" if saved else "a draft letter (none was saved)"
    print(f"Wrote {what} for the review on {short_date(review_day)} to {out} "
          f"({pages} page{'s' if pages != 1 else ''}).")
    return 0
