"""The talent pool pages (secretariat): the pool, overdue screenings, an entry and its periodic review."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import audit, clock, roles
from honours.core.errors import RuleViolation
from honours.core.forms import submitted_version
from honours.core.pagination import paginate
from honours.core.reference import AVAILABILITY
from honours.core.web import refused, require_role

from . import pool
from .forms import PoolFilterForm, ReviewForm
from .models import ACTIVE, RETIRED, PoolEntry
from .workflows import POOL_ENTRY


@require_role(roles.SECRETARIAT)
def pool_list():
    form = PoolFilterForm(request.args)
    form.validate()
    status = form.status.data if form.status.data in (ACTIVE, RETIRED, "all") else ACTIVE
    criteria = pool.PoolFilter(q=form.q.data or "", field=form.field.data or None,
                               status=None if status == "all" else status)
    page = paginate(pool.pool_query(criteria))
    return render_template("talent/pool.html", form=form, page=page, today=clock.now().date())


@require_role(roles.SECRETARIAT)
def overdue():
    today = clock.now().date()
    page = paginate(pool.overdue_query(today))
    return render_template("talent/overdue.html", page=page, today=today)


def _load_entry(entry_id: int) -> PoolEntry:
    entry = pool.load_entry(entry_id)
    if entry is None:
        abort(404)
    return entry


@require_role(roles.SECRETARIAT)
def entry(pool_entry_id: int):
    return render_entry(_load_entry(pool_entry_id))


def render_entry(entry: PoolEntry, review_form=None, status: int = 200):
    if review_form is None and POOL_ENTRY.may(current_user, entry, "review_keep"):
        review_form = ReviewForm(obj=entry, formdata=None)
        review_form.version.data = entry.version
        review_form.next_review_on.data = pool.default_next_review()
        review_form.note.data = ""
    return render_template(
        "talent/entry.html", entry=entry, review_form=review_form, matches=pool.matches_of(entry),
        history=audit.history(pool.ENTITY, entry.id), action_labels=pool.ACTION_LABELS,
        field_labels=pool.FIELD_LABELS, availability_labels=AVAILABILITY, today=clock.now().date(),
    ), status


@require_role(roles.SECRETARIAT)
def review(pool_entry_id: int):
    entry = _load_entry(pool_entry_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_entry(entry, form, 422)
    try:
        record = pool.review(current_user, entry, form.to_data(), submitted_version(form))
    except RuleViolation as error:
        status = refused(error)  # shown again with what was typed
        return render_entry(_load_entry(pool_entry_id), form, status)
    flash(_("Đã ghi nhận kết quả sàng lọc định kỳ: %(decision)s.", decision=record.decision_label), "success")
    return redirect(url_for("talent.entry", pool_entry_id=pool_entry_id))
