"""What the public side adds to a round and to an honouree: the round's guidance documents (PDF) and the photo
chosen for publication (re-encoded at fixed widths, never the uploaded file itself)."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from honours.core import clock
from honours.core.db import db
from honours.core.storage import StoredFile

# What a round's document is; the public home page lists them in this order.
DOCUMENT_KINDS = {
    "plan": _l("Kế hoạch"),
    "regulation": _l("Quy chế"),
    "form": _l("Mẫu biểu"),
    "other": _l("Tài liệu khác"),
}
# The widths (px) a publication photo is kept at: card, honouree page, sharing image (Open Graph).
PHOTO_WIDTHS = (160, 480, 1200)


class RoundDocument(StoredFile, db.Model):
    """A PDF the secretariat attaches to a round for the public (the plan, the regulation, forms)."""

    __tablename__ = "round_document"
    __table_args__ = (CheckConstraint("kind IN ('plan', 'regulation', 'form', 'other')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))

    @property
    def kind_label(self) -> str:
        return str(DOCUMENT_KINDS.get(self.kind, self.kind))


class PublicationPhoto(db.Model):
    """The photo of an honouree shown on the public pages: one per dossier, stored as JPEG files at PHOTO_WIDTHS
    (named "<key>-<width>"), metadata stripped. The uploaded original is not kept."""

    __tablename__ = "publication_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), unique=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    # The widths actually stored (an image narrower than a width is not enlarged: its own width is used instead).
    widths: Mapped[str] = mapped_column(String(40))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def width_list(self) -> list[int]:
        return [int(w) for w in self.widths.split(",") if w]

    def stored_name(self, width: int) -> str:
        return f"{self.key}-{width}"

    @property
    def stored_names(self) -> list[str]:
        return [self.stored_name(w) for w in self.width_list]
