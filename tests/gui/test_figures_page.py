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
