"""Who may see or change what in the talent channel. Shared by views and services; object rules return False for
objects the user may not know exist (the views turn that into 404)."""
from honours.core import roles

from .models import DRAFT, Referral, TalentNeed

DEPARTMENT = "department"


def is_department_nominator(user) -> bool:
    """Departments (sở/ngành) post needs: nominator accounts of an organisation of that type."""
    return (user.role == roles.NOMINATOR and user.organisation_id is not None
            and user.organisation is not None and user.organisation.org_type == DEPARTMENT)


def can_view_referral(user, referral: Referral) -> bool:
    if user.role == roles.NOMINATOR:
        return referral.organisation_id == user.organisation_id
    if user.role == roles.SECRETARIAT:
        return referral.state != DRAFT  # drafts stay private to the organisation
    return False


def can_edit_referral(user, referral: Referral) -> bool:
    return (user.role == roles.NOMINATOR and user.organisation_id is not None
            and referral.organisation_id == user.organisation_id and referral.state == DRAFT)


def can_post_need(user) -> bool:
    return user.role == roles.SECRETARIAT or is_department_nominator(user)


def can_view_need(user, need: TalentNeed) -> bool:
    if user.role == roles.SECRETARIAT:
        return True
    return is_department_nominator(user) and need.organisation_id == user.organisation_id


def can_manage_need(user, need: TalentNeed) -> bool:
    """The secretariat manages every need; a department only the needs it posted."""
    return can_view_need(user, need)
