"""The figures page: this April-March year by default, numbers and shares, participation bars,
and the figures change when a review is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factory import make_child

TODAY = dt.date.today()


def test_figures_for_this_year_and_custom_dates(qtbot: Any, qtmodeltester: Any,
                                                store: Any) -> None:
    from iro_desktop.gui.figures_page import FiguresPage
    from iro_desktop.reports.figures import april_year

    start, end = april_year(TODAY)
    with store.transaction() as session:
        make_child(session, looked_after_since=start - dt.timedelta(days=60),
                   reviews=[start - dt.timedelta(days=40), start + dt.timedelta(days=10)],
                   participation_code="PN1")
    page = FiguresPage(store)
    qtbot.addWidget(page)
    assert page.start.date() == start and page.end.date() == end
    qtmodeltester.check(page.summary_model)
    figures = {page.summary_model.index(r, 0).data(): page.summary_model.index(r, 1).data()
               for r in range(page.summary_model.rowCount())}
    assert figures["Reviews held"] == "1"
    bars = dict(page.participation.bars)
    assert [v for k, v in bars.items() if k.startswith("PN1")] == [1]
    assert "PN1" in page.participation.accessibleDescription()

    page.period.setCurrentIndex(1)  # last year
    assert page.end.date() == start - dt.timedelta(days=1)
    figures = {page.summary_model.index(r, 0).data(): page.summary_model.index(r, 1).data()
               for r in range(page.summary_model.rowCount())}
    assert figures["Reviews held"] == "1"  # the one 40 days before this year began

    page.start.set_text("not a date")
    page.refresh()
    assert not page.error.isHidden()


def test_recording_a_review_moves_the_figures(qtbot: Any, store: Any,
                                              monkeypatch: Any) -> None:
    from iro_desktop.gui import review_parts
    from iro_desktop.gui.figures_page import FiguresPage
    from iro_desktop.gui.review_form import ReviewForm

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)
    with store.transaction() as session:
        child_id = make_child(session, looked_after_since=TODAY - dt.timedelta(days=60)).id
    page = FiguresPage(store)
    qtbot.addWidget(page)
    page.start.set_date(TODAY - dt.timedelta(days=90))  # any April the test runs in
    page.end.set_date(TODAY)
    page.refresh()
    before = dict(page.values)
    form = ReviewForm(store, child_id)
    qtbot.addWidget(form)
    form.meetings.rows[0].held_on.set_date(TODAY - dt.timedelta(days=1))
    form._update_codes()
    form.code.set_value("PN6")
    assert form.save(), form.banner.text()
    page.refresh()
    assert page.values["reviews_held"] == before["reviews_held"] + 1
    assert page.values["participation"]["PN6"] == before["participation"]["PN6"] + 1
    # held 59 days after care began: the first review was due after 20 working days
    assert page.values["reviews_on_time"] == before["reviews_on_time"]


def test_participation_bars_tell_the_codes_apart(qtbot: Any, store: Any) -> None:
    """PN2 read "PN2 Child attends" (cut at the ";"), like PN1 and PN4; and labels cut short
    on screen could not be read in full anywhere."""
    from iro_desktop.gui.figures_page import FiguresPage

    page = FiguresPage(store)
    qtbot.addWidget(page)
    labels = [label for label, _v in page.participation.bars]
    pn2 = next(label for label in labels if label.startswith("PN2"))
    assert "advocate" in pn2
    assert len(set(labels)) == len(labels)
    assert pn2 in page.participation.toolTip()


def test_work_still_within_its_deadline_is_shown_apart_not_as_late(
    qtbot: Any, qtmodeltester: Any, store: Any, monkeypatch: Any
) -> None:
    """Looked at on Monday 30/11/2026: a review of Thursday 26/11 (decisions due 03/12) is pending;
    one of Tuesday 10/11 (decisions due 17/11, record and letter 01/12) has its decisions late."""
    from iro_desktop.gui.figures_page import PENDING_NOTE, FiguresPage
    from iro_desktop.reports import figures

    monkeypatch.setattr(figures, "current_date", lambda: dt.date(2026, 11, 30))
    with store.transaction() as session:
        done = make_child(session, looked_after_since=dt.date(2026, 3, 2),
                          reviews=[dt.date(2026, 10, 1)])
        done.reviews[0].decisions_circulated_on = dt.date(2026, 10, 8)  # due 08/10
        done.reviews[0].record_completed_on = dt.date(2026, 10, 23)  # due 22/10: late
        for held_on in (dt.date(2026, 11, 10), dt.date(2026, 11, 26)):
            make_child(session, looked_after_since=dt.date(2026, 3, 2), reviews=[held_on])
    page = FiguresPage(store)
    qtbot.addWidget(page)
    page.start.set_date(dt.date(2026, 4, 1))
    page.end.set_date(dt.date(2027, 3, 31))
    page.refresh()
    qtmodeltester.check(page.summary_model)
    model = page.summary_model
    rows = {model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
            for r in range(model.rowCount())}
    labels = figures.FIGURE_LABELS
    # 1 on time of the 2 due, not of the 3 recorded; the review of 26/11 is counted apart.
    assert rows[labels["decisions_circulated_on_time"]] == ("1", "50% of 2")
    assert rows[labels["decisions_pending"]] == ("1", PENDING_NOTE)
    assert rows[labels["records_on_time"]] == ("0", "0% of 1")
    assert rows[labels["records_pending"]] == ("2", PENDING_NOTE)
    assert rows[labels["letters_on_time"]] == ("0", "0% of 1")
    assert rows[labels["letters_pending"]] == ("2", PENDING_NOTE)

    monkeypatch.setattr(figures, "current_date", lambda: dt.date(2026, 12, 18))
    page.refresh()
    rows = {model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
            for r in range(model.rowCount())}
    assert rows[labels["decisions_circulated_on_time"]] == ("1", "33% of 3")
    assert rows[labels["decisions_pending"]] == ("0", "")


def test_a_draft_with_no_participation_code_has_a_bar_of_its_own(
    qtbot: Any, store: Any, monkeypatch: Any
) -> None:
    """Two reviews in November 2026 for a 12-year-old: one PN1, one a draft saved before the code
    was chosen. The bars add up to the 2 reviews held, the draft's share 50% of them."""
    from iro_desktop.gui.figures_page import FiguresPage
    from iro_desktop.reports import figures

    monkeypatch.setattr(figures, "current_date", lambda: dt.date(2026, 11, 30))
    with store.transaction() as session:
        child = make_child(session, date_of_birth=dt.date(2014, 3, 9),
                           looked_after_since=dt.date(2026, 3, 2),
                           reviews=[dt.date(2026, 6, 1), dt.date(2026, 11, 26)],
                           participation_code="PN1")
        child.reviews[1].participation_code = ""
        child.reviews[1].status = "draft"
    page = FiguresPage(store)
    qtbot.addWidget(page)
    page.start.set_date(dt.date(2026, 4, 1))
    page.end.set_date(dt.date(2027, 3, 31))
    page.refresh()
    bars = dict(page.participation.bars)
    label = figures.FIGURE_LABELS["participation_not_recorded"]
    assert bars[label] == 1
    assert sum(bars.values()) == page.values["reviews_held"] == 2
    assert f"{label}: 1" in page.participation.toolTip()
    assert page.participation.total == 2
