from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import submitted_version
from honours.core.pagination import page_number
from honours.core.web import refused, require_role
from honours.nominations import services as nominations
from honours.nominations.forms import DecisionForm
from honours.nominations.states import STATE_LABELS
from honours.nominations.views import DOSSIER_PAGE_OPTIONS, load_dossier, render_dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round, RoundField

from . import services
from .forms import InboxFilterForm

bp = Blueprint("eligibility", __name__, url_prefix="/eligibility")


@bp.get("/")
@require_role(roles.SECRETARIAT)
def inbox():
    form = InboxFilterForm(request.args)
    rounds = db.session.execute(select(Round.id, Round.name).order_by(Round.year.desc(), Round.id.desc())).all()
    form.round_id.choices = [(0, _("Tất cả đợt"))] + [(r.id, r.name) for r in rounds]
    fields = db.session.execute(select(RoundField.id, RoundField.name).order_by(RoundField.name)).all()
    form.field_id.choices = [(0, _("Tất cả lĩnh vực"))] + [(f.id, f.name) for f in fields]
    organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation_id.choices = [(0, _("Tất cả đơn vị"))] + [(o.id, o.name) for o in organisations]
    form.state.choices = [("", _("Tất cả trạng thái"))] + [
        (key, label) for key, label in STATE_LABELS.items() if key in services.VISIBLE_STATES
    ]
    form.validate()

    def chosen(field):  # a value not among the choices (?round_id=<20 digits>) filters nothing
        return None if field.errors else field.data or None

    criteria = services.InboxFilter(
        round_id=chosen(form.round_id), field_id=chosen(form.field_id),
        organisation_id=chosen(form.organisation_id), state=chosen(form.state), q=chosen(form.q) or "",
    )
    page = services.inbox_page(criteria, page_number())
    return render_template("eligibility/inbox.html", form=form, page=page,
                           duplicates=services.duplicate_ids(page.items))


@bp.post("/<int:dossier_id>/decision")
@require_role(roles.SECRETARIAT)
def decide(dossier_id: int):
    dossier = load_dossier(dossier_id, *DOSSIER_PAGE_OPTIONS)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_dossier(dossier, form, 422)
    try:
        nominations.decide(current_user, dossier, form.action.data, form.reason.data or "", submitted_version(form),
                           supplement_deadline=form.supplement_deadline.data)
    except RuleViolation as error:
        status = refused(error, form.reason)
        return render_dossier(dossier, form, status)
    flash(_("Đã ghi nhận kết luận thẩm định: %(state)s.", state=dossier.state_label), "success")
    return redirect(url_for("eligibility.inbox"))
