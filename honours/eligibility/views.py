from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from honours.consent import services as consent
from honours.consent.purposes import DECISIONS
from honours.core import roles, web
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import submitted_version
from honours.core.pagination import page_number
from honours.core.web import refused, require_role
from honours.nominations import services as nominations
from honours.nominations.forms import DecisionForm
from honours.nominations.views import DOSSIER_PAGE_OPTIONS, load_dossier, render_dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round, RoundField
from honours.rounds.services import ROUND_TIMES, pick_current_round

from . import services
from .forms import InboxFilterForm, ReopenCheckForm

bp = Blueprint("eligibility", __name__, url_prefix="/eligibility")
ALL = 0  # "every round" / "every field" / "every organisation"


def _criteria(args: MultiDict) -> tuple[InboxFilterForm, services.InboxFilter]:
    """The inbox's filters from a query string: the current round unless another (or every round) is chosen; a
    value not among the choices (?round_id=<20 digits>) filters nothing."""
    form = InboxFilterForm(args)
    rounds = db.session.execute(select(Round.name, *ROUND_TIMES).order_by(Round.year.desc(), Round.id.desc())).all()
    form.round_id.choices = [(ALL, _("Tất cả đợt"))] + [(r.id, r.name) for r in rounds]
    form.organisation_id.choices = [(ALL, _("Tất cả đơn vị"))] + [
        tuple(o) for o in db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))]
    form.round_id.validate(form)
    if "round_id" not in args or form.round_id.errors:
        form.round_id.errors = []
        form.round_id.data = pick_current_round(rounds) or ALL
    round_id = form.round_id.data or None
    # Fields belong to a round: the chosen round's, or each name once over every round (the filter means the name).
    fields = select(func.min(RoundField.id), RoundField.name).group_by(RoundField.name).order_by(RoundField.name)
    if round_id:
        fields = fields.where(RoundField.round_id == round_id)
    form.field_id.choices = [(ALL, _("Tất cả lĩnh vực"))] + [tuple(f) for f in db.session.execute(fields)]
    form.validate()

    def chosen(field):
        return None if field.errors else field.data or None

    criteria = services.InboxFilter(
        round_id=round_id, field_id=chosen(form.field_id), organisation_id=chosen(form.organisation_id),
        state=chosen(form.state), q=chosen(form.q) or "", sort=services.sort_key(chosen(form.sort)),
    )
    return form, criteria


@bp.get("/")
@require_role(roles.SECRETARIAT)
def inbox():
    form, criteria = _criteria(request.args)
    page, counts = services.inbox_page(criteria, page_number())
    return render_template("eligibility/inbox.html", form=form, page=page, criteria=criteria,
                           tabs=services.TABS, counts=counts,
                           duplicates=services.duplicate_ids(page.items),
                           round_consent=consent.round_consent(d.id for d in page.items), consent_labels=DECISIONS)


def inbox_link(value: str | None) -> str | None:
    """The inbox list a decision came from, if `value` is the inbox's own path with a query string: nothing else
    (another site, another page) is ever redirected to."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path != url_for("eligibility.inbox") or "\\" in value:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.post("/<int:dossier_id>/decision")
@require_role(roles.SECRETARIAT)
def decide(dossier_id: int):
    dossier = load_dossier(dossier_id, *DOSSIER_PAGE_OPTIONS)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_dossier(dossier, form, 422)
    back = inbox_link(form.next.data)
    # Read before the decision moves the dossier out of its tab (and only when it is about to be recorded).
    following = services.next_in_list(_criteria(_query(back))[1], dossier.id) if back and web.confirmed() else None
    try:
        nominations.decide(current_user, dossier, form.action.data, form.reason.data or "", submitted_version(form),
                           supplement_deadline=form.supplement_deadline.data, confirmed=web.confirmed())
    except ConfirmationNeeded as error:
        return web.confirmation_page(error, _("Xác nhận kết luận thẩm định"),
                                     url_for("nominations.show", dossier_id=dossier_id, next=back),
                                     _("Ghi nhận kết luận"))
    except RuleViolation as error:
        status = refused(error, form.reason)
        return render_dossier(dossier, form, status)
    flash(_("Đã ghi nhận kết luận thẩm định: %(state)s.", state=dossier.state_label), "success")
    if following is not None:
        flash(_("Đây là hồ sơ tiếp theo trong danh sách."), "info")
        return redirect(url_for("nominations.show", dossier_id=following, next=back))
    return redirect(back or url_for("eligibility.inbox"))


def _query(link: str) -> MultiDict:
    return MultiDict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


@bp.route("/<int:dossier_id>/reopen", methods=["GET", "POST"])
@require_role(roles.SECRETARIAT)
def reopen(dossier_id: int):
    """Send an eligible dossier back to the check. The page states the consequence and asks the reason: it is the
    confirmation."""
    dossier = load_dossier(dossier_id)
    try:
        nominations.check_reopen(current_user, dossier)
    except RuleViolation as error:  # said before a reason is typed for nothing
        flash(error.message, "danger")
        return redirect(url_for("nominations.show", dossier_id=dossier_id))
    form = ReopenCheckForm(version=dossier.version)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                nominations.reopen_check(current_user, dossier, form.reason.data, submitted_version(form),
                                         confirmed=web.confirmed())
            except ConfirmationNeeded as error:
                return web.confirmation_page(error, _("Đưa hồ sơ về bước thẩm định"),
                                             url_for("nominations.show", dossier_id=dossier_id))
            except RuleViolation as error:
                status = refused(error, form.reason)
            else:
                flash(_("Đã đưa hồ sơ %(name)s về bước thẩm định.", name=dossier.full_name), "success")
                return redirect(url_for("nominations.show", dossier_id=dossier_id))
    return render_template("eligibility/reopen.html", dossier=dossier, form=form), status
