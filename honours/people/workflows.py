"""The workflow of a proposed change to a person record: pending until the secretariat accepts or rejects it; a
newer submission of the same dossier or referral supersedes what it proposed before."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import SYSTEM, Transition, Workflow

PENDING = "pending"
ACCEPTED = "accepted"
REJECTED = "rejected"
SUPERSEDED = "superseded"

PERSON_CHANGE = Workflow("person_change", {
    PENDING: _l("Chờ duyệt"),
    ACCEPTED: _l("Đã chấp nhận"),
    REJECTED: _l("Đã từ chối"),
    SUPERSEDED: _l("Đã được thay bằng đề xuất mới"),
}, (
    Transition("accept", (PENDING,), ACCEPTED, (roles.SECRETARIAT,)),
    Transition("reject", (PENDING,), REJECTED, (roles.SECRETARIAT,)),
    # The source was submitted again (or the record now holds the value): whoever's step caused it.
    Transition("supersede", (PENDING,), SUPERSEDED, (roles.NOMINATOR, roles.SECRETARIAT, SYSTEM)),
))
