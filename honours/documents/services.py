"""Which official documents a session has, and who may read them.

The minutes and the vote-count record exist once voting has closed (drafts until the chair confirms); the
submission, the draft decision and the notices to the nominating organisations only from the confirmed result.
"""
from flask_babel import lazy_gettext as _l

from honours.core import roles, signing
from honours.council.models import CLOSED, CONFIRMED, CouncilSession
from honours.council.record import snapshot_of
from honours.council.services import is_chair_of

from . import content, docx, pdf
from .layout import OfficialDocument

# URL name -> (what it is, the builder, whether it needs the confirmed result)
KINDS = {
    "bien-ban-hop": (_l("Biên bản họp hội đồng"), content.minutes, False),
    "bien-ban-kiem-phieu": (_l("Biên bản kiểm phiếu"), content.vote_count, False),
    "to-trinh": (_l("Tờ trình đề nghị tặng danh hiệu"), content.submission, True),
    "du-thao-quyet-dinh": (_l("Dự thảo quyết định và danh sách kèm theo"), content.decision, True),
}
FORMATS = {"pdf": ("application/pdf", pdf.render),
           "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.render)}


def can_read(user, session: CouncilSession) -> bool:
    """The secretariat, and the chair of the round's council (who signs them)."""
    return user.role == roles.SECRETARIAT or is_chair_of(user, session.round_id)


def available(session: CouncilSession) -> bool:
    return session.status in (CLOSED, CONFIRMED)


def confirmed(session: CouncilSession) -> bool:
    return session.status == CONFIRMED and snapshot_of(session) is not None


def build(session: CouncilSession, kind: str, record: "content.SessionRecord | None" = None) -> OfficialDocument:
    _, builder, _ = KINDS[kind]
    return builder(record or content.session_record(session))


def render(document: OfficialDocument, fmt: str) -> bytes:
    """The document in `fmt`; a PDF signed with the organisation's certificate when one is configured."""
    data = FORMATS[fmt][1](document)
    return signing.sign_pdf(data) if fmt == "pdf" else data


def minutes_pdf(session: CouncilSession) -> bytes:
    return render(build(session, "bien-ban-hop"), "pdf")
