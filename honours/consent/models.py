from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db, state_check
from honours.core.storage import StoredFile

from .purposes import CHANNELS, CODES, DECISIONS, GIVEN, ONLINE
from .workflows import CONSENT


class ConsentRequest(db.Model):
    """Consent asked of the person a dossier or a referral is about (one request per subject). The choices are
    kept as given, one row per choice made: the latest per purpose is the one in force."""

    __tablename__ = "consent_request"
    __table_args__ = (
        CheckConstraint("(dossier_id IS NULL) <> (referral_id IS NULL)", name="one_subject"),
        CONSENT.check_constraint(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), unique=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), unique=True)
    state: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254), default="")  # where the latest link was sent
    # The nonce the latest link carries; cleared when that link is used (single use) and replaced by a re-send.
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    link_sent_at: Mapped[datetime | None]
    link_used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    dossier = relationship("Dossier")
    referral = relationship("Referral")
    choices: Mapped[list["ConsentChoice"]] = relationship(
        back_populates="request", order_by="ConsentChoice.id", cascade="all, delete-orphan")
    scans: Mapped[list["ConsentScan"]] = relationship(
        back_populates="request", order_by="ConsentScan.id", cascade="all, delete-orphan")

    @property
    def subject(self):
        return self.dossier if self.dossier_id is not None else self.referral

    @property
    def organisation_id(self) -> int:
        return self.subject.organisation_id

    @property
    def state_label(self) -> str:
        return CONSENT.label(self.state)

    @property
    def current(self) -> dict[str, "ConsentChoice"]:
        """The choice in force per purpose (the latest one recorded)."""
        latest = {}
        for choice in self.choices:
            latest[choice.purpose] = choice
        return latest

    def allows(self, purpose: str) -> bool:
        """A consent is in force from the answer that gave it until one withdraws it (a signed letter waiting for
        the secretariat changes nothing yet)."""
        choice = self.current.get(purpose)
        return choice is not None and choice.decision == GIVEN

    @property
    def scan(self) -> "ConsentScan | None":
        return self.scans[-1] if self.scans else None


class ConsentChoice(db.Model):
    """One choice for one purpose: given, refused or withdrawn, with the hash of the exact text shown, the time,
    the client address (online) or who recorded the signed paper (paper)."""

    __tablename__ = "consent_choice"
    __table_args__ = (
        CheckConstraint(f"purpose IN ({', '.join(repr(c) for c in CODES)})", name="purpose_known"),
        state_check("decision", DECISIONS),
        state_check("channel", CHANNELS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("consent_request.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(1))
    decision: Mapped[str] = mapped_column(String(10))
    text_hash: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)
    client_address: Mapped[str] = mapped_column(String(45), default="")
    channel: Mapped[str] = mapped_column(String(10), default=ONLINE)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    request: Mapped[ConsentRequest] = relationship(back_populates="choices")


class ConsentScan(StoredFile, db.Model):
    """The signed paper form, as scanned and uploaded by the nominating organisation (or the secretariat)."""

    __tablename__ = "consent_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("consent_request.id"), index=True)

    request: Mapped[ConsentRequest] = relationship(back_populates="scans")
