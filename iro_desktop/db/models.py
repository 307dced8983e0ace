"""The caseload tables: SQLAlchemy 2.x typed models, shared by the IRO store and the service DB."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

if TYPE_CHECKING:
    from iro_desktop.rules.reviews import EpisodeFacts

# Stable constraint names so Alembic batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class SiblingGroup(Base):
    """Brothers and sisters the IRO usually reviews together."""

    __tablename__ = "sibling_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))

    children: Mapped[list[Child]] = relationship(back_populates="sibling_group")


class Child(Base):
    """A child in care on the IRO's caseload, keyed by the council's 903 CHILD identifier."""

    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_ref: Mapped[str] = mapped_column(String(10), unique=True)  # 903 CHILD
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str] = mapped_column(String(80), default="")
    preferred_name: Mapped[str] = mapped_column(String(80), default="")
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1), default="U")  # 903 SEX: M, F, U
    ethnicity: Mapped[str] = mapped_column(String(4), default="")  # 903 ETHNIC code, e.g. WBRI
    upn: Mapped[str] = mapped_column(String(13), default="")
    mother: Mapped[bool | None] = mapped_column(Boolean, default=None)  # 903 MOTHER
    mother_child_dob: Mapped[dt.date | None] = mapped_column(Date, default=None)  # 903 MC_DOB
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    interests: Mapped[str] = mapped_column(Text, default="")
    communication_needs: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(60), default="English")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    social_worker_name: Mapped[str] = mapped_column(String(120), default="")
    social_worker_team: Mapped[str] = mapped_column(String(120), default="")
    social_worker_phone: Mapped[str] = mapped_column(String(40), default="")
    social_worker_email: Mapped[str] = mapped_column(String(120), default="")
    carer_name: Mapped[str] = mapped_column(String(120), default="")
    carer_phone: Mapped[str] = mapped_column(String(40), default="")
    sibling_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("sibling_group.id", ondelete="SET NULL"), default=None, index=True
    )
    # Set when the child moved to another IRO (not the same as leaving care).
    transferred_out_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # Service database only (exchange): the IRO who holds the child now, and the export time of
    # the newest export that set the child's facts. Empty in an IRO's own store.
    current_iro_id: Mapped[int | None] = mapped_column(
        ForeignKey("trusted_iro.id", ondelete="SET NULL"), default=None
    )
    exchange_as_of: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    sibling_group: Mapped[SiblingGroup | None] = relationship(back_populates="children")
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Episode.start"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Review.review_date"
    )
    midway_reviews: Mapped[list[MidwayReview]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="MidwayReview.held_on"
    )
    case_notes: Mapped[list[CaseNote]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="CaseNote.noted_on"
    )
    escalations: Mapped[list[Escalation]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="Escalation.raised_on"
    )

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip() or self.child_ref


class Episode(Base):
    """A 903 episode: one legal status and placement from DECOM to DEC."""

    __tablename__ = "episode"
    __table_args__ = (UniqueConstraint("child_id", "start", name="uq_episode_child_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)  # DECOM
    reason_new_episode: Mapped[str] = mapped_column(String(1))  # RNE: S, L, P, T, B, U
    legal_status: Mapped[str] = mapped_column(String(2))  # LS
    cin: Mapped[str] = mapped_column(String(3), default="")  # CIN: N1..N8
    placement: Mapped[str] = mapped_column(String(3))  # PLACE
    placement_provider: Mapped[str] = mapped_column(String(3), default="")  # PLACE_PROVIDER
    end: Mapped[dt.date | None] = mapped_column(Date, default=None)  # DEC
    reason_ended: Mapped[str] = mapped_column(String(3), default="")  # REC
    reason_place_change: Mapped[str] = mapped_column(String(6), default="")
    home_postcode: Mapped[str] = mapped_column(String(8), default="")  # HOME_POST
    placement_postcode: Mapped[str] = mapped_column(String(8), default="")  # PL_POST
    urn: Mapped[str] = mapped_column(String(8), default="")

    child: Mapped[Child] = relationship(back_populates="episodes")

    def facts(self) -> EpisodeFacts:
        """What the statutory rules need of this episode (plain values, no session)."""
        from iro_desktop.rules.reviews import EpisodeFacts

        return EpisodeFacts(
            start=self.start,
            reason_new_episode=self.reason_new_episode,
            legal_status=self.legal_status,
            placement=self.placement,
            end=self.end,
            reason_ended=self.reason_ended,
            placement_postcode=self.placement_postcode,
        )


class Review(Base):
    """A looked-after child review, from a 903 line or recorded in full by the IRO."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("child_id", "review_date", name="uq_review_child_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    review_date: Mapped[dt.date] = mapped_column(Date)  # the first meeting of the series
    participation_code: Mapped[str] = mapped_column(String(3))  # PN0..PN7
    source: Mapped[str] = mapped_column(String(8), default="app")  # app | 903 | import
    # initial | second | subsequent | extra
    kind: Mapped[str] = mapped_column(String(12), default="")
    extra_reason: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(10), default="")  # in_person | virtual | mixed
    venue: Mapped[str] = mapped_column(String(200), default="")
    seen_alone: Mapped[bool | None] = mapped_column(Boolean, default=None)
    consultation_child: Mapped[bool | None] = mapped_column(Boolean, default=None)
    consultation_parents: Mapped[bool | None] = mapped_column(Boolean, default=None)
    consultation_carers: Mapped[bool | None] = mapped_column(Boolean, default=None)
    advocacy: Mapped[str] = mapped_column(String(12), default="")  # discussed | referred | has_one
    independent_visitor: Mapped[str] = mapped_column(String(12), default="")
    communication_needs_met: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # The IRO's record under the usual headings: {"plan_permanence": "...", "health": "...", ...}
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft|circulated|completed
    decisions_circulated_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    record_completed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # Service database only (exchange): who chaired it, and the export time it came from.
    chaired_by_iro_id: Mapped[int | None] = mapped_column(
        ForeignKey("trusted_iro.id", ondelete="SET NULL"), default=None
    )
    exchange_as_of: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    child: Mapped[Child] = relationship(back_populates="reviews")
    meetings: Mapped[list[ReviewMeeting]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewMeeting.held_on"
    )
    participants: Mapped[list[ReviewParticipant]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewParticipant.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Decision.position"
    )
    letter: Mapped[Letter | None] = relationship(
        back_populates="review", cascade="all, delete-orphan", uselist=False
    )


class ReviewMeeting(Base):
    """One meeting of a review held as a series."""

    __tablename__ = "review_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    format: Mapped[str] = mapped_column(String(10), default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="meetings")


# Who came to which meeting of a review held as a series (a person may come to several).
review_meeting_attendance = Table(
    "review_meeting_attendance",
    Base.metadata,
    Column(
        "participant_id", ForeignKey("review_participant.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "meeting_id",
        ForeignKey("review_meeting.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class ReviewParticipant(Base):
    """Someone invited to a review, whether they attended, and at which meetings of the series."""

    __tablename__ = "review_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(40))  # child | parent | carer | social_worker | ...
    invited: Mapped[bool] = mapped_column(Boolean, default=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)

    review: Mapped[Review] = relationship(back_populates="participants")
    meetings_attended: Mapped[list[ReviewMeeting]] = relationship(
        secondary=review_meeting_attendance, order_by="ReviewMeeting.held_on"
    )


class Decision(Base):
    """A review decision: what, who, by when."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    owner_role: Mapped[str] = mapped_column(String(60))
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    key_decision: Mapped[bool] = mapped_column(Boolean, default=False)  # "starred"

    review: Mapped[Review] = relationship(back_populates="decisions")


class MidwayReview(Base):
    """The IRO's check between reviews that the last review's decisions are being carried out."""

    __tablename__ = "midway_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("review.id", ondelete="SET NULL"), default=None, index=True
    )
    held_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(40), default="")  # call | visit | email | meeting
    note: Mapped[str] = mapped_column(Text, default="")
    # Service database only (exchange): who held it; "<IRO fingerprint>:<id in the IRO's store>".
    iro_id: Mapped[int | None] = mapped_column(
        ForeignKey("trusted_iro.id", ondelete="SET NULL"), default=None
    )
    exchange_key: Mapped[str | None] = mapped_column(String(60), default=None, unique=True)

    child: Mapped[Child] = relationship(back_populates="midway_reviews")
    progress: Mapped[list[DecisionProgress]] = relationship(
        back_populates="midway_review", cascade="all, delete-orphan"
    )


class DecisionProgress(Base):
    """What a midway review found about one decision."""

    __tablename__ = "decision_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    midway_review_id: Mapped[int] = mapped_column(
        ForeignKey("midway_review.id", ondelete="CASCADE"), index=True
    )
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))  # done | on_track | drifting | not_started
    note: Mapped[str] = mapped_column(Text, default="")

    midway_review: Mapped[MidwayReview] = relationship(back_populates="progress")
    decision: Mapped[Decision] = relationship()


class CaseNote(Base):
    """The IRO's footprint: a visit, call or contact about the child."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))  # visit | call | pre_meeting | consultation | ...
    seen_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text, default="")

    child: Mapped[Child] = relationship(back_populates="case_notes")


class Escalation(Base):
    """An alert or escalation through the dispute resolution process, or a good-practice alert."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    # escalation | good_practice
    kind: Mapped[str] = mapped_column(String(14), default="escalation")
    raised_on: Mapped[dt.date] = mapped_column(Date)
    concern: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cafcass_referred_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str] = mapped_column(String(20), default="")  # resolved | partly_resolved | ...
    outcome_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    midway_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("midway_review.id", ondelete="SET NULL"), default=None
    )
    # Service database only (exchange): who raised it; "<IRO fingerprint>:<id in the IRO's store>".
    iro_id: Mapped[int | None] = mapped_column(
        ForeignKey("trusted_iro.id", ondelete="SET NULL"), default=None
    )
    exchange_key: Mapped[str | None] = mapped_column(String(60), default=None, unique=True)

    child: Mapped[Child] = relationship(back_populates="escalations")
    stages: Mapped[list[EscalationStage]] = relationship(
        back_populates="escalation",
        cascade="all, delete-orphan",
        order_by="EscalationStage.position",
    )


class EscalationStage(Base):
    """One rung of the ladder: who it went to, when a response is due, and what came back."""

    __tablename__ = "escalation_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # informal_sw | informal_tm | team_manager | service_manager | head_of_service | director
    stage: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[dt.date] = mapped_column(Date)
    response_due_on: Mapped[dt.date] = mapped_column(Date)
    response_received_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    response: Mapped[str] = mapped_column(Text, default="")

    escalation: Mapped[Escalation] = relationship(back_populates="stages")


class Letter(Base):
    """The letter to the child after a review: its sections as the IRO left them, and when sent."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), unique=True, index=True
    )
    age_band: Mapped[str] = mapped_column(String(6), default="")  # 4-8 | 9-12 | 13+
    # [{"key": "hello", "title": "...", "text": "...", "picture": "house"}, ...]
    sections: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sent_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # Who wrote it and how to reach them then (greeting, sign-off, IRO name, contact, photo):
    # kept with the letter so it still reads true years later, whatever the settings say now.
    header: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    review: Mapped[Review] = relationship(back_populates="letter")


class Picture(Base):
    """A picture the IRO added (their photo, a speech and language therapist's icons), encrypted."""

    __tablename__ = "picture"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    topic: Mapped[str] = mapped_column(String(40), default="my pictures")
    keywords: Mapped[str] = mapped_column(Text, default="")
    mime_type: Mapped[str] = mapped_column(String(40))  # image/png | image/svg+xml | image/jpeg
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Setting(Base):
    """A setting whose value may identify people (the IRO's name and contact): kept in the store."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# ---- The manager's service database (exchange). The tables exist in an IRO's store too, empty.


class TrustedIro(Base):
    """An IRO whose exports this service accepts: their public key, checked by fingerprint."""

    __tablename__ = "trusted_iro"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    fingerprint: Mapped[str] = mapped_column(String(19), unique=True)
    ed25519_public: Mapped[str] = mapped_column(String(64))  # base64 of the raw 32 bytes
    age_recipient: Mapped[str] = mapped_column(String(80))
    public_key: Mapped[str] = mapped_column(Text)  # the armored text as received
    trusted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)


class ImportLog(Base):
    """One export file applied to the service database."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    export_id: Mapped[str] = mapped_column(String(36), unique=True)
    trusted_iro_id: Mapped[int] = mapped_column(ForeignKey("trusted_iro.id"), index=True)
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    exported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    schema_version: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the import did: added/updated/unchanged per kind, superseded and kept records.
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class ChildAllocation(Base):
    """Which IROs have held a child, as seen in their exports (the history of current_iro_id)."""

    __tablename__ = "child_allocation"
    __table_args__ = (
        UniqueConstraint("child_id", "trusted_iro_id", name="uq_child_allocation_child_iro"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    trusted_iro_id: Mapped[int] = mapped_column(ForeignKey("trusted_iro.id", ondelete="CASCADE"))
    first_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)  # export time
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    transferred_out_on: Mapped[dt.date | None] = mapped_column(Date, default=None)


class CaseNoteTally(Base):
    """Case-note counts per child, IRO and month: the service sees counts, never the notes."""

    __tablename__ = "case_note_tally"
    __table_args__ = (
        UniqueConstraint("child_id", "trusted_iro_id", "month",
                         name="uq_case_note_tally_child_iro_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id", ondelete="CASCADE"), index=True)
    trusted_iro_id: Mapped[int] = mapped_column(ForeignKey("trusted_iro.id", ondelete="CASCADE"))
    month: Mapped[dt.date] = mapped_column(Date)  # the first of the month
    notes: Mapped[int] = mapped_column(Integer, default=0)
    seen_alone: Mapped[int] = mapped_column(Integer, default=0)
