"""Permission rules, shared by views and services. Object rules return False for objects the user may not know."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from honours.nominations import states

from . import roles


def require_role(*allowed: str):
    """Route decorator: login required, then the role must be one of `allowed` (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def ensure_secretariat(actor) -> None:
    """Service-level twin of require_role(SECRETARIAT): services refuse whoever calls them, not only routes."""
    if actor.role != roles.SECRETARIAT:
        from flask_babel import gettext as _

        from honours.errors import RuleViolation

        raise RuleViolation(_("Chỉ Ban thư ký mới được thực hiện thao tác này."))


def can_view_dossier(user, dossier) -> bool:
    if user.role == roles.NOMINATOR:
        return dossier.organisation_id == user.organisation_id
    if user.role == roles.SECRETARIAT:
        return dossier.state != states.DRAFT  # drafts stay private to the organisation
    if user.role == roles.COUNCIL:  # reviewers see the dossiers assigned to them, nothing else
        from honours.reviews.services import is_assigned

        return is_assigned(user, dossier)
    return False


def can_edit_dossier(user, dossier) -> bool:
    return (
        user.role == roles.NOMINATOR
        and dossier.organisation_id == user.organisation_id
        and dossier.state in states.EDITABLE
    )
