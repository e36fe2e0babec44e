"""A round's certificate template (text, signer, optional logo) and each honouree's certificate code."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db

from .workflows import CERTIFICATE, ISSUED

DEFAULT_TITLE = "GIẤY CHỨNG NHẬN"
DEFAULT_TEXT = "Đã được tôn vinh danh hiệu \u201cTrí thức tiêu biểu tỉnh Bắc Ninh\u201d"
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"


class CertificateTemplate(db.Model):
    """What the secretariat adjusts on a round's certificates; a round without one prints the defaults. Official
    text, so always Vietnamese."""

    __tablename__ = "certificate_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), unique=True)
    title: Mapped[str] = mapped_column(String(120), default=DEFAULT_TITLE)
    text: Mapped[str] = mapped_column(String(500), default=DEFAULT_TEXT)
    signer_capacity: Mapped[str] = mapped_column(String(120), default="")  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    signer_title: Mapped[str] = mapped_column(String(120), default=DEFAULT_SIGNER_TITLE)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    # The logo (JPEG or PNG, checked by honours.core.storage), outside static/ under a generated name.
    logo_stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    logo_content_type: Mapped[str] = mapped_column(String(50), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Certificate(db.Model):
    """An honouree's certificate: its unguessable verification code (printed with a QR code) and whether the
    secretariat revoked it."""

    __tablename__ = "certificate"
    __table_args__ = (CERTIFICATE.check_constraint(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), unique=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=ISSUED)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    dossier = relationship("Dossier")

    @property
    def state_label(self) -> str:
        return CERTIFICATE.label(self.state)
