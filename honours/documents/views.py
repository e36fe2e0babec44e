"""Downloads of a council session's official documents (PDF and Word) and the page listing them. The minutes keep
their address under /council (linked from e-mails and bookmarks before this package existed)."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from honours.core import roles
from honours.core.db import db
from honours.core.web import require_role
from honours.council.models import OPEN, Attendance, CouncilSession, CountingBoardMember
from honours.reviews.services import membership
from honours.rounds.models import Round

from . import content, services

bp = Blueprint("documents", __name__)


def _load_session(session_id: int) -> CouncilSession:
    """The session, if the user may know of it (404) and read its documents (403)."""
    session = db.session.get(CouncilSession, session_id, options=[
        joinedload(CouncilSession.round).selectinload(Round.fields),
        selectinload(CouncilSession.attendees).joinedload(Attendance.user),
        selectinload(CouncilSession.counting_board).joinedload(CountingBoardMember.user),
        joinedload(CouncilSession.confirmed_by),
    ]) or abort(404)
    if current_user.role == roles.COUNCIL and membership(session.round_id, current_user.id) is None:
        abort(404)
    if not services.can_read(current_user, session):
        abort(403)
    return session


def _not_yet(session: CouncilSession):
    if session.status == OPEN:
        flash(_("Văn bản của phiên họp có sau khi đóng bỏ phiếu."), "warning")
    else:
        flash(_("Văn bản này có sau khi Chủ tịch Hội đồng xác nhận kết quả."), "warning")
    if current_user.role == roles.SECRETARIAT:
        return redirect(url_for("council.round_page", round_id=session.round_id))
    return redirect(url_for("council.ballot", session_id=session.id))


def _download(document, fmt: str):
    mimetype, _render = services.FORMATS[fmt]
    response = make_response(services.render(document, fmt))
    response.mimetype = mimetype
    disposition = "inline" if fmt == "pdf" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{document.file_stem}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents/sessions/<int:session_id>")
@require_role(roles.SECRETARIAT, roles.COUNCIL)
def index(session_id: int):
    session = _load_session(session_id)
    if not services.available(session):
        return _not_yet(session)
    confirmed = services.confirmed(session)
    organisations = content.organisations_of(content.session_record(session)) if confirmed else {}
    kinds = [(kind, label, not needs or confirmed) for kind, (label, _b, needs) in services.KINDS.items()]
    return render_template("documents/index.html", session=session, kinds=kinds, confirmed=confirmed,
                           organisations=organisations)


@bp.get("/documents/sessions/<int:session_id>/<kind>.pdf", endpoint="pdf", defaults={"fmt": "pdf"})
@bp.get("/documents/sessions/<int:session_id>/<kind>.docx", endpoint="docx", defaults={"fmt": "docx"})
@require_role(roles.SECRETARIAT, roles.COUNCIL)
def download(session_id: int, kind: str, fmt: str):
    session = _load_session(session_id)
    if kind not in services.KINDS:
        abort(404)
    if not services.available(session) or (services.KINDS[kind][2] and not services.confirmed(session)):
        return _not_yet(session)
    return _download(services.build(session, kind), fmt)


@bp.get("/documents/sessions/<int:session_id>/thong-bao/<int:organisation_id>.pdf", endpoint="notice_pdf",
        defaults={"fmt": "pdf"})
@bp.get("/documents/sessions/<int:session_id>/thong-bao/<int:organisation_id>.docx", endpoint="notice_docx",
        defaults={"fmt": "docx"})
@require_role(roles.SECRETARIAT, roles.COUNCIL)
def notice(session_id: int, organisation_id: int, fmt: str):
    session = _load_session(session_id)
    if not services.confirmed(session):
        return _not_yet(session)
    document = content.notice(content.session_record(session), organisation_id)
    if document is None:  # the organisation nominated nobody in this round's result
        abort(404)
    return _download(document, fmt)


@bp.get("/council/sessions/<int:session_id>/minutes.pdf")
@require_role(roles.SECRETARIAT, roles.COUNCIL)
def minutes(session_id: int):
    session = _load_session(session_id)
    if not services.available(session):
        flash(_("Biên bản có sau khi đóng bỏ phiếu."), "warning")
        if current_user.role == roles.SECRETARIAT:
            return redirect(url_for("council.round_page", round_id=session.round_id))
        return redirect(url_for("council.ballot", session_id=session.id))
    return _download(services.build(session, "bien-ban-hop"), "pdf")
