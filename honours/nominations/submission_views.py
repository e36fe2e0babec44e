"""Read-only pages of a dossier's submissions, the comparison of two, and the printed dossier (PDF)."""
from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from honours.core.db import db

from .models import Dossier, DossierSubmission
from .printing import dossier_pdf
from .submissions import (
    achievement_label,
    attachment_label,
    can_view_submissions,
    changes_between,
    facts,
    receipt_number,
    submission_numbered,
)

bp = Blueprint("submissions", __name__, url_prefix="/dossiers")


def _load(dossier_id: int) -> Dossier:
    """The dossier with its submissions if the current user may read them; 404 otherwise."""
    dossier = db.session.scalar(select(Dossier).options(
        joinedload(Dossier.round), joinedload(Dossier.organisation), joinedload(Dossier.field),
        selectinload(Dossier.submissions).joinedload(DossierSubmission.submitted_by),
    ).where(Dossier.id == dossier_id))
    if dossier is None or not can_view_submissions(current_user, dossier):
        abort(404)
    return dossier


def _numbered(dossier: Dossier, number: int) -> DossierSubmission:
    return submission_numbered(dossier, number) or abort(404)


@bp.get("/<int:dossier_id>/submissions/<int:number>")
@login_required
def show(dossier_id: int, number: int):
    dossier = _load(dossier_id)
    submission = _numbered(dossier, number)
    return render_template("nominations/submission.html", dossier=dossier, submission=submission,
                           facts=facts(submission.snapshot), receipt=receipt_number(dossier, number),
                           achievement_label=achievement_label, attachment_label=attachment_label)


@bp.get("/<int:dossier_id>/submissions/<int:number>/changes")
@login_required
def changes(dossier_id: int, number: int):
    """What submission `number` changed from submission ?from= (the one before it unless chosen)."""
    dossier = _load(dossier_id)
    after = _numbered(dossier, number)
    earlier = request.args.get("from", type=int) or number - 1
    if earlier == number:
        abort(404)
    before = _numbered(dossier, earlier)
    return render_template("nominations/submission_changes.html", dossier=dossier, before=before, after=after,
                           changes=changes_between(before.snapshot, after.snapshot),
                           achievement_label=achievement_label, attachment_label=attachment_label)


@bp.get("/<int:dossier_id>/print.pdf")
@login_required
def print_latest(dossier_id: int):
    """The last submission as sent (a returned dossier being corrected prints what the secretariat holds); a
    draft prints as it is now, marked as not sent."""
    dossier = _load(dossier_id)  # a draft's achievements and files load once each, when printed
    return _pdf(dossier, dossier.submissions[-1] if dossier.submissions else None)


@bp.get("/<int:dossier_id>/submissions/<int:number>/print.pdf")
@login_required
def print_submission(dossier_id: int, number: int):
    dossier = _load(dossier_id)
    return _pdf(dossier, _numbered(dossier, number))


def _pdf(dossier: Dossier, submission: DossierSubmission | None):
    response = make_response(dossier_pdf(dossier, submission))
    response.headers["Content-Type"] = "application/pdf"
    suffix = f"-lan-{submission.number}" if submission is not None else "-nhap"
    response.headers["Content-Disposition"] = f'inline; filename="ho-so-{dossier.id}{suffix}.pdf"'
    return response
