"""The secretariat's page for a council session's signed provincial decision: upload it, see its signatures
checked in words, download it back. The public download is in honours.publication (once the round is published)."""
import os

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from honours.core import audit, roles, storage
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.web import refused, require_role
from honours.council.models import CouncilSession

from . import services
from .forms import SignedDecisionForm

bp = Blueprint("decisions", __name__)


def _session(session_id: int) -> CouncilSession:
    return db.session.get(CouncilSession, session_id, options=[joinedload(CouncilSession.round)]) or abort(404)


def _page(session: CouncilSession, form: SignedDecisionForm, status: int = 200):
    history = [e for e in audit.history("council_session", session.id) if e.action == "signed_decision"]
    try:
        services.ensure_can_upload(current_user, session)
        can_upload = True
    except RuleViolation:
        can_upload = False
    return render_template("decisions/session.html", session=session, form=form, can_upload=can_upload,
                           decision=services.of_session(session.id), history=history), status


@bp.route("/decisions/sessions/<int:session_id>", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def session_page(session_id: int):
    session = _session(session_id)
    form = SignedDecisionForm()
    if request.method == "GET":
        return _page(session, form)
    if not form.validate_on_submit():
        return _page(session, form, 422)
    upload = request.files.get("file")
    try:
        decision = services.record(current_user, session, upload.stream if upload else None,
                                   upload.filename if upload else "", form.note.data or "")
    except RuleViolation as error:
        key = getattr(error, "field_key", None)
        status = refused(error, form[key] if key in ("file", "note") else None)
        return _page(_session(session_id), form, status)
    flash(_("Đã lưu bản quyết định có chữ ký số. Kết quả kiểm tra: %(result)s.", result=decision.status_label),
          "success" if decision.is_valid else "warning")
    return redirect(url_for("decisions.session_page", session_id=session_id))


@bp.get("/decisions/sessions/<int:session_id>/file.pdf")
@require_role(roles.SECRETARIAT)
def download(session_id: int):
    decision = services.of_session(_session(session_id).id) or abort(404)
    path = storage.path_for(decision.stored_name)
    if not os.path.exists(path):
        current_app.logger.error("signed decision %s missing on disk (%s)", decision.id, decision.stored_name)
        abort(404)
    response = send_file(path, mimetype=decision.content_type, as_attachment=True,
                         download_name=decision.download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
