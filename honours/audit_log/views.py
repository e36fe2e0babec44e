"""The audit log for the administrator and the secretariat: read-only list with filters, CSV export."""
from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import audit_labels, clock, roles
from honours.core.pagination import paginate
from honours.core.text import fold
from honours.core.urls import link_args
from honours.core.web import require_role

from . import services
from .forms import LogFilterForm
from .links import links

bp = Blueprint("audit_log", __name__, url_prefix="/audit")
# Both read; nobody can change the log (see AuditEntry's guards).
READERS = (roles.ADMIN, roles.SECRETARIAT)
PER_PAGE = 50


def _choices(codes, label) -> list[tuple[str, str]]:
    """Labels, not codes, in the reader's alphabetical order (the code stays the value)."""
    return [("", _("Tất cả"))] + sorted(((code, label(code)) for code in codes), key=lambda c: fold(c[1]))


def _filter() -> tuple[LogFilterForm, services.LogFilter]:
    form = LogFilterForm(request.args)
    entity_types, actions = services.known_values()
    chosen_type = request.args.get("entity_type", "")
    form.entity_type.choices = _choices(entity_types, audit_labels.entity_label)
    form.action.choices = _choices(actions, lambda code: audit_labels.action_label(chosen_type, code))
    form.validate()

    def valid(field):
        return None if field.errors else field.data

    criteria = services.LogFilter(
        actor=valid(form.actor) or "", entity_type=valid(form.entity_type) or "", entity_id=valid(form.entity_id),
        action=valid(form.action) or "", date_from=valid(form.date_from), date_to=valid(form.date_to),
        q=valid(form.q) or "",
    )
    return form, criteria


@bp.get("/")
@require_role(*READERS)
def index():
    form, criteria = _filter()
    page = paginate(services.log_query(criteria), PER_PAGE)
    return render_template("audit/index.html", form=form, page=page, links=links(current_user, page.items),
                           export_args=link_args(drop=("page",)))


@bp.get("/export.csv")
@require_role(*READERS)
def export_csv():
    _form, criteria = _filter()
    headings = [_("Thời điểm"), _("Email người thực hiện"), _("Người thực hiện"), _("Loại đối tượng"),
                _("Mã đối tượng"), _("Thao tác"), _("Trạng thái trước"), _("Trạng thái sau"), _("Lý do")]
    chunks = services.export_csv(current_user, criteria, headings)
    response = Response(stream_with_context(chunks), mimetype="text/csv; charset=utf-8")
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
