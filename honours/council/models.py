"""Council sessions, attendance and secret ballots.

A ballot cannot be linked to its voter: `BallotReceipt` records who voted (one per member), written when they
vote; `Ballot` records how, under a random id with no voter, no timestamp and no sequence number. Ballots are not
written when cast: they wait sealed in the session's `BallotUrn` (urn.py) and are inserted all together, shuffled,
when voting closes, so on PostgreSQL they share the closer's transaction id (xmin) and their physical order
(ctid) is random. Receipts have random ids too, and on SQLite the tables are WITHOUT ROWID. docs/ballot-secrecy.md
says what a database administrator can and cannot learn.
"""
import uuid
from datetime import date, datetime
from itertools import chain

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from honours.core import clock
from honours.core.db import append_only, db
from honours.rounds.models import COUNCIL_CONFIRMED, COUNCIL_DELIBERATING, Round

from .workflows import CLOSED, CONFIRMED, COUNCIL_SESSION, OPEN  # noqa: F401 (the states are imported from here)


class CouncilSession(db.Model):
    __tablename__ = "council_session"
    __table_args__ = (COUNCIL_SESSION.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    opened_at: Mapped[datetime] = mapped_column(default=clock.now)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    members_total: Mapped[int]  # the council's size when the session opened (the quorum base)
    closed_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The provincial decision conferring the title.
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None]
    decision_signer: Mapped[str] = mapped_column(String(200), default="")
    # The council's secretary who keeps the minutes (a name: often a member of the secretariat, not an account).
    secretary_name: Mapped[str] = mapped_column(String(200), default="")

    round = relationship("Round")
    attendees: Mapped[list["Attendance"]] = relationship(cascade="all, delete-orphan")

    @property
    def decision_recorded(self) -> bool:
        """The provincial decision's number, date and signer are all recorded."""
        return bool(self.decision_number.strip() and self.decision_date and self.decision_signer.strip())
    # The vote-counting board (ban kiểm phiếu) the council elects among the members present; the first is its head.
    counting_board: Mapped[list["CountingBoardMember"]] = relationship(
        cascade="all, delete-orphan", order_by="CountingBoardMember.position")
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])


@event.listens_for(Session, "before_flush")
def _mirror_council_stage(session, flush_context, instances) -> None:
    """Keep Round.council_stage in step with the round's sessions, whoever writes them."""
    for record in chain(session.new, session.dirty):
        if isinstance(record, CouncilSession):
            round_ = session.get(Round, record.round_id)
            stage = COUNCIL_CONFIRMED if record.status == CONFIRMED else COUNCIL_DELIBERATING
            if round_ is not None and round_.council_stage != stage:
                round_.council_stage = stage


class Attendance(db.Model):
    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    user = relationship("User")


class CountingBoardMember(db.Model):
    __tablename__ = "council_counting_member"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # 0: head of the board (trưởng ban)

    user = relationship("User")


def _random_id() -> str:
    return uuid.uuid4().hex


UNORDERED = {"sqlite_with_rowid": False}


class BallotReceipt(db.Model):
    """Who has voted in a session: makes "one vote per member" enforceable, says nothing of the vote."""

    __tablename__ = "ballot_receipt"
    __table_args__ = (UniqueConstraint("session_id", "user_id"), UNORDERED)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)


class Ballot(db.Model):
    __tablename__ = "ballot"
    __table_args__ = (UNORDERED,)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)

    choices: Mapped[list["BallotChoice"]] = relationship(cascade="all, delete-orphan")


class BallotChoice(db.Model):
    __tablename__ = "ballot_choice"
    __table_args__ = (UNORDERED,)

    ballot_id: Mapped[str] = mapped_column(ForeignKey("ballot.id"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), primary_key=True, index=True)
    agree: Mapped[bool]


class BallotUrn(db.Model):
    """The ballots cast in an open session, shuffled and encrypted (urn.py); deleted when voting closes."""

    __tablename__ = "ballot_urn"
    __table_args__ = (UNORDERED,)

    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text, default="")


class ResultSnapshot(db.Model):
    """The result the chair confirmed, as it was confirmed: ranked rows, scores, votes, criteria and weights, rules
    and ballot counts (record.py), with the sha256 of that text. Written once by the confirmation and never changed:
    the minutes and the published list are rendered from it, not recomputed from the round's live settings."""

    __tablename__ = "council_result_snapshot"

    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))


class ResultSnapshotIsImmutable(Exception):
    pass


append_only(ResultSnapshot, ResultSnapshotIsImmutable, "a confirmed result cannot be changed or deleted")
