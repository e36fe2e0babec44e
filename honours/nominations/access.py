"""Who may see and edit a dossier. Object rules return False for dossiers the user may not know exist.

Council members see the dossiers assigned to them; assignment belongs to a later stage (reviews), which answers
through the `council_member_may_view` signal instead of being imported here.
"""
from blinker import Namespace

from honours.core import roles

from . import states

signals = Namespace()
# Receivers: (user, dossier=...) -> bool. reviews connects "is assigned to review it".
council_member_may_view = signals.signal("council-member-may-view")


def can_view_dossier(user, dossier) -> bool:
    if user.role == roles.NOMINATOR:
        return dossier.organisation_id == user.organisation_id
    if user.role == roles.SECRETARIAT:
        return dossier.state != states.DRAFT  # drafts stay private to the organisation
    if user.role == roles.COUNCIL:  # reviewers see the dossiers assigned to them, nothing else
        return any(allowed for _receiver, allowed in council_member_may_view.send(user, dossier=dossier))
    return False


def can_edit_dossier(user, dossier) -> bool:
    return (
        user.role == roles.NOMINATOR
        and dossier.organisation_id == user.organisation_id
        and dossier.state in states.EDITABLE
    )
