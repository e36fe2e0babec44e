"""What every view shares: the role gate, loading an object or 404, and turning a refused action into a response."""
from functools import wraps

from flask import abort, flash
from flask_login import current_user, login_required

from honours.core.db import db
from honours.core.errors import RuleViolation, StaleEdit


def require_role(*allowed: str):
    """Route decorator: login required, then the role must be one of `allowed` (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


def load_or_404(model, object_id, can_view=None, *options):
    """The object if it exists and `can_view(current_user, obj)` allows it; 404 otherwise, so that others' ids are
    not confirmed to exist."""
    if options:
        from sqlalchemy import select

        obj = db.session.scalar(select(model).options(*options).where(model.id == object_id))
    else:
        obj = db.session.get(model, object_id)
    if obj is None or (can_view is not None and not can_view(current_user, obj)):
        abort(404)
    return obj


def refused(error: RuleViolation, field=None) -> int:
    """A service refused the action: roll back whatever it had done, say why (next to `field` when the rule is
    about one field, else as a message at the top), and return the status to answer with: 409 when the record
    changed under the form, 422 otherwise. Every view's `except RuleViolation` goes through here."""
    db.session.rollback()
    if field is not None:
        field.errors = [*field.errors, error.message]  # a tuple until the form was validated
    else:
        flash(error.message, "danger")
    return 409 if isinstance(error, StaleEdit) else 422


# ---------------------------------------------------------------- confirmation of irreversible steps

def confirmed() -> bool:
    """Whether the posted form comes from a confirmation page (core/confirm.py)."""
    from flask import request

    return request.form.get("confirmed") == "1"


def override_reason() -> str:
    from flask import request

    return request.form.get("override_reason", "")


def confirmation_page(error, title: str, cancel_url: str, button: str | None = None):
    """Answer a ConfirmationNeeded: the consequence, any "too early" warnings with a reason box, and a button that
    posts the same form again (every field kept) with confirmed=1. Status 200: nothing went wrong."""
    from flask import render_template, request

    db.session.rollback()
    kept = [(name, value) for name in request.form
            for value in request.form.getlist(name)
            if name not in {"csrf_token", "confirmed", "override_reason"}]
    return render_template("core/confirm.html", error=error, title=title, cancel_url=cancel_url,
                           button=button, kept=kept, action=request.path,
                           reason=request.form.get("override_reason", ""))
