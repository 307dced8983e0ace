"""Three IROs' year exports imported twice: the service's figures are the sum of the IROs' own."""

from __future__ import annotations

from sqlalchemy import func, select

from iro_desktop.db.models import Child, ChildAllocation, Episode, ImportLog, MidwayReview, Review
from iro_desktop.interchange.manager_import import ALREADY, APPLIED, import_bytes
from iro_desktop.reports.annual import annual_report
from tests.manager.conftest import trust_all
from tests.manager.helpers import REPORT_DAY, YEAR_END, YEAR_START, add_numbers, snapshot

STATS_KEYS = (
    "reviews_held",
    "reviews_on_time",
    "children_reviewed",
    "children_all_reviews_on_time",
    "participation",
    "midway_reviews_held",
    "escalations_raised",
    "escalations_by_theme",
    "escalations_by_stage",
    "escalations_by_outcome",
    "records_on_time",
    "records_completed",
    "letters_sent",
    "letters_on_time",
    "decisions_due",
    "decisions_pending",
    "records_due",
    "records_pending",
    "letters_due",
    "letters_pending",
    "report_date",
)


def _counts(service):
    with service.session() as s:
        return {
            m.__name__: s.scalar(select(func.count()).select_from(m))
            for m in (Child, Episode, Review, MidwayReview, ChildAllocation, ImportLog)
        }


def test_three_iros_imported_twice_add_up_to_their_own_stats(service, demo_iros, manager_keys):
    trust_all(service, demo_iros)
    first = [
        import_bytes(service, iro.export, manager_keys, name=f"{iro.name}.iroexport")
        for iro in demo_iros
    ]
    assert [o.status for o in first] == [APPLIED] * 3, [o.line() for o in first]
    after_first = snapshot(service)
    second = [import_bytes(service, iro.export, manager_keys) for iro in demo_iros]
    assert [o.status for o in second] == [ALREADY] * 3
    assert snapshot(service) == after_first  # row for row: the second round changed nothing

    counts = _counts(service)
    exported = [o.counts for o in first]
    assert counts["Child"] == sum(c["children"] for c in exported)
    assert counts["Review"] == sum(c["reviews"] for c in exported)
    assert counts["Episode"] == sum(c["episodes"] for c in exported)
    assert counts["MidwayReview"] == sum(c["midway_reviews"] for c in exported)
    assert counts["ChildAllocation"] == counts["Child"]
    assert counts["ImportLog"] == 3

    with service.session() as session:
        report = annual_report(session, YEAR_START, YEAR_END, today=REPORT_DAY)
    total = demo_iros[0].stats
    for iro in demo_iros[1:]:
        total = add_numbers(total, iro.stats)
    assert report["reviews_held"] > 100  # a real test: the demo caseloads have work in the year
    for key in (*STATS_KEYS, *total.keys()):
        assert report[key] == total[key], key
    by_name = {entry["iro"]: entry for entry in report["by_iro"]}
    for iro in demo_iros:
        for key, value in iro.stats.items():
            assert by_name[iro.name][key] == value, (iro.name, key)


def test_report_tables_are_consistent(service, demo_iros, manager_keys):
    trust_all(service, demo_iros)
    for iro in demo_iros:
        assert import_bytes(service, iro.export, manager_keys).status == APPLIED
    with service.session() as session:
        report = annual_report(session, YEAR_START, YEAR_END)
    children = report["children"]
    at_end = children["children_looked_after_at_end"]
    for table in ("by_age_band", "by_sex", "by_ethnicity", "by_legal_status", "by_placement"):
        assert sum(row["children"] for row in children[table]) == at_end, table
    assert (
        sum(m["midway_reviews"] for m in report["midway_reviews_by_month"])
        == report["midway_reviews_held"]
    )
    assert len(report["midway_reviews_by_month"]) == 12
    assert sum(report["participation"].values()) == report["reviews_held"]
    band_total = sum(b["reviews"] for b in report["participation_by_age_band"])
    assert band_total == report["reviews_held"] - report["participation"]["PN0"]
    per_iro = report["caseloads"]["per_iro"]
    assert [row["iro"] for row in per_iro] == sorted(iro.name for iro in demo_iros)
    assert sum(row["children"] for row in per_iro) == at_end
    assert all(row["against_guidance"] in {"below", "within", "above"} for row in per_iro)
