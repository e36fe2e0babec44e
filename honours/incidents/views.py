from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from honours.core import clock
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.forms import posted_version
from honours.core.pagination import paginate
from honours.core.web import refused, require_role

from . import services
from .forms import IncidentForm
from .models import Incident

bp = Blueprint("incidents", __name__, url_prefix="/su-co-du-lieu")


@bp.get("/")
@require_role(*services.MANAGERS)
def index():
    query = select(Incident).order_by(Incident.closed_at.is_not(None), Incident.found_at.desc(), Incident.id.desc())
    return render_template("incidents/index.html", page=paginate(query, 50), now=clock.now())


@bp.get("/so-su-co.xlsx")
@require_role(*services.MANAGERS)
def export():
    workbook = services.export_xlsx(current_user)
    return Response(workbook, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=so-su-co-du-lieu.xlsx"})


@bp.route("/moi", methods=["GET", "POST"])
@require_role(*services.MANAGERS)
def create():
    return _edit(None)


@bp.route("/<int:incident_id>", methods=["GET", "POST"])
@require_role(*services.MANAGERS)
def edit(incident_id: int):
    return _edit(db.get_or_404(Incident, incident_id))


def _edit(incident: Incident | None):
    form = IncidentForm(obj=incident)
    status = 200
    if form.validate_on_submit():
        try:
            if incident is None:
                services.record(current_user, form.data)
            else:
                services.update(current_user, incident, form.data, posted_version(form.version))
        except RuleViolation as error:
            status = refused(error, form[error.field] if getattr(error, "field", None) else None)
        else:
            flash(_("Đã lưu sự cố."), "success")
            return redirect(url_for("incidents.index"))
    elif request.method == "POST":
        status = 422
    if incident is not None:
        form.version.data = incident.version
    return render_template("incidents/form.html", form=form, incident=incident, now=clock.now()), status
