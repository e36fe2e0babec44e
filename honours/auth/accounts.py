"""Accounts managed by the admin (every account) and the secretariat (council and nominator accounts): created
as invitations — the owner chooses the password through the emailed link, nobody else ever types or sees it —
and edited (name, email, role, organisation, chair), each change audited with its old and new values."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from honours.core import audit, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.transactions import operation
from honours.organisations.models import Organisation

from . import invitations
from .models import User
from .services import check_account_fields, ensure_may_manage, normalise_email, record_created, record_edited

ACCOUNT_EDITED = audit.Reason("auth.account_edited", audit.N_("Sửa tài khoản: %(changes)s."))


def roles_for(actor: User) -> tuple[str, ...]:
    """The roles this manager may give."""
    return roles.ALL_ROLES if actor.role == roles.ADMIN else (roles.COUNCIL, roles.NOMINATOR)


def _check(actor: User, email: str, full_name: str, role: str, organisation_id: int | None,
           user: User | None = None) -> tuple[str, str, int | None]:
    email, full_name = normalise_email(email), (full_name or "").strip()
    if not full_name:
        raise RuleViolation(_("Vui lòng nhập họ và tên."))
    if role not in roles_for(actor):
        raise RuleViolation(_("Bạn không được cấp vai trò này."))
    check_account_fields(email, role, organisation_id, except_user=user)
    return email, full_name, organisation_id if role == roles.NOMINATOR else None


@operation
def invite_user(actor: User, email: str, full_name: str, role: str, organisation_id: int | None = None,
                is_chair: bool = False) -> User:
    """A new account without a usable password, and the invitation email with its set-password link."""
    email, full_name, organisation_id = _check(actor, email, full_name, role, organisation_id)
    user = User(email=email, full_name=full_name, role=role, organisation_id=organisation_id,
                is_chair=is_chair and role == roles.COUNCIL, password_hash=invitations.unusable_password())
    db.session.add(user)
    _flush_unique(email)
    invitations.send_invitation(user)
    record_created(actor, user)
    return user


def _flush_unique(email: str) -> None:
    """Another form or import may have taken the email since it was checked: the unique index says so."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(_("Email %(email)s đã được dùng cho tài khoản khác.", email=email)) from None


def _organisation_name(organisation_id: int | None) -> str:
    if organisation_id is None:
        return _("không có")
    return db.session.scalar(select(Organisation.name).where(Organisation.id == organisation_id)) or "?"


def _describe(user: User, new: dict) -> list[str]:
    """Each change in words, in Vietnamese (the language of the official record)."""
    yes_no = {True: _("có"), False: _("không")}
    changes = []
    if new["full_name"] != user.full_name:
        changes.append(_("họ và tên “%(old)s” → “%(new)s”", old=user.full_name, new=new["full_name"]))
    if new["email"] != user.email:
        changes.append(_("email %(old)s → %(new)s", old=user.email, new=new["email"]))
    if new["role"] != user.role:
        changes.append(_("vai trò %(old)s → %(new)s", old=str(roles.ROLE_LABELS[user.role]),
                         new=str(roles.ROLE_LABELS[new["role"]])))
    if new["organisation_id"] != user.organisation_id:
        changes.append(_("đơn vị %(old)s → %(new)s", old=_organisation_name(user.organisation_id),
                         new=_organisation_name(new["organisation_id"])))
    if new["is_chair"] != user.is_chair:
        changes.append(_("chủ tịch hội đồng: %(old)s → %(new)s", old=yes_no[user.is_chair],
                         new=yes_no[new["is_chair"]]))
    return changes


@operation
def update_user(actor: User, user: User, email: str, full_name: str, role: str, organisation_id: int | None,
                is_chair: bool) -> bool:
    """Edit an account; False when nothing changed. An invited account whose email changes gets its invitation
    again at the new address. A new role, organisation or chair flag ends the account's
    sessions (models.PRIVILEGES), so no session keeps rights the account no longer has."""
    ensure_may_manage(actor, user)
    if actor.id == user.id and role != user.role:
        raise RuleViolation(_("Bạn không thể tự đổi vai trò của mình."))
    email, full_name, organisation_id = _check(actor, email, full_name, role, organisation_id, user=user)
    new = {"email": email, "full_name": full_name, "role": role, "organisation_id": organisation_id,
           "is_chair": bool(is_chair) and role == roles.COUNCIL}
    with force_locale("vi"):
        changes = _describe(user, new)
    if not changes:
        return False
    old_role, email_changed = user.role, email != user.email
    for name, value in new.items():
        setattr(user, name, value)
    _flush_unique(email)
    if email_changed and invitations.is_pending(user):
        # The invitation went to the old address: a new link goes to the new one, the old link stops working.
        user.password_hash = invitations.unusable_password()
        invitations.send_invitation(user)
    record_edited(actor, user, old_role, ACCOUNT_EDITED(changes="; ".join(changes)))
    db.session.flush()
    return True
