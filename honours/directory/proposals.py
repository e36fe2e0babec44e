"""Changes that nominations and referrals propose to existing person records: listed side by side (the record's
value now, the proposed one) for the secretariat, who accepts or rejects each. Accepting writes the record, with
its audit entry; nothing else a submission brings ever does."""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from honours.core import audit, clock
from honours.core.concurrency import check_version
from honours.core.db import db, lock_row, touch
from honours.core.errors import RuleViolation
from honours.core.pagination import Page
from honours.core.roles import ensure_secretariat
from honours.core.transactions import operation
from honours.organisations.models import Organisation
from honours.people.linking import BOOLEAN_FIELDS, as_text, from_text
from honours.people.models import Person, PersonChangeProposal
from honours.people.workflows import PENDING, PERSON_CHANGE

from .services import LABELS, PER_PAGE, UNLOGGED_VALUES

CHANGE_ACCEPTED = audit.Reason("directory.change_accepted", audit.N_(
    "Chấp nhận đề xuất #%(id)s (%(source)s #%(source_id)s): %(field)s: %(old)s → %(new)s"))
SOURCE_LABELS = {"dossier": audit.N_("hồ sơ đề cử"), "referral": audit.N_("phiếu tiến cử"),
                 "person_intake": audit.N_("danh sách nhập từ Excel")}
ACCEPT, REJECT = "accept", "reject"
FIELD_LABELS = {**LABELS, "organisation_id": _l("Đơn vị đề cử, tiến cử gần nhất")}


@dataclass
class PersonProposals:
    person: Person
    proposals: list[PersonChangeProposal]

    @property
    def conflicting(self) -> bool:
        """Two sources propose different values for one field: only one-by-one decisions make sense."""
        fields = [p.field for p in self.proposals]
        return len(fields) != len(set(fields))


@dataclass
class Pending:
    page: Page  # of PersonProposals
    total: int  # pending proposals, every page
    organisations: dict[int, str]  # names of the organisations the values on the page mention


def pending_count() -> int:
    return db.session.scalar(select(func.count(PersonChangeProposal.id))
                             .where(PersonChangeProposal.state == PENDING))


PENDING_SHOWN = 999  # a staff list can bring thousands; the database page says "999+" rather than count them


def pending_count_shown() -> str:
    """The pending proposals as the database page's button says it, counting at most PENDING_SHOWN + 1."""
    limited = (select(PersonChangeProposal.id).where(PersonChangeProposal.state == PENDING)
               .limit(PENDING_SHOWN + 1).subquery())
    count = db.session.scalar(select(func.count()).select_from(limited))
    return f"{PENDING_SHOWN}+" if count > PENDING_SHOWN else str(count)


def pending(page: int = 1, per_page: int = PER_PAGE) -> Pending:
    """The persons with pending proposals (oldest proposal first), a page at a time, in four queries."""
    page = max(1, page)
    persons_query = (select(PersonChangeProposal.person_id).where(PersonChangeProposal.state == PENDING)
                     .group_by(PersonChangeProposal.person_id))
    persons_total = db.session.scalar(select(func.count()).select_from(persons_query.subquery()))
    ids = list(db.session.scalars(
        persons_query.order_by(func.min(PersonChangeProposal.id)).limit(per_page).offset((page - 1) * per_page)))
    total = pending_count()
    if not ids:
        return Pending(Page(page, per_page, persons_total, []), total, {})
    proposals = db.session.scalars(
        select(PersonChangeProposal)
        .options(joinedload(PersonChangeProposal.person), joinedload(PersonChangeProposal.organisation),
                 joinedload(PersonChangeProposal.proposed_by))
        .where(PersonChangeProposal.person_id.in_(ids), PersonChangeProposal.state == PENDING)
        .order_by(PersonChangeProposal.id)
    ).all()
    by_person: dict[int, list[PersonChangeProposal]] = {person_id: [] for person_id in ids}
    for proposal in proposals:
        by_person[proposal.person_id].append(proposal)
    groups = [PersonProposals(items[0].person, items) for items in by_person.values() if items]
    mentioned = {int(value) for p in proposals if p.field == "organisation_id"
                 for value in (p.proposed_value, str(p.person.organisation_id or "")) if value}
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)
                                    .where(Organisation.id.in_(mentioned))).all()) if mentioned else {}
    return Pending(Page(page, per_page, persons_total, groups), total, names)


def shown(name: str, text: str, organisations: dict[int, str] | None = None) -> str:
    """A proposal's value (or the record's, as text) the way the secretariat reads it."""
    if name in BOOLEAN_FIELDS:
        return _("Có") if text == "1" else _("Không")
    if name == "organisation_id" and text:
        return (organisations or {}).get(int(text)) or f"#{text}"
    return text or "—"


def current_text(person: Person, name: str) -> str:
    return as_text(getattr(person, name))


def _load(proposal_id: int) -> PersonChangeProposal:
    proposal = lock_row(PersonChangeProposal, proposal_id, "state")  # two secretaries deciding at once
    if proposal is None:
        raise RuleViolation(_("Không tìm thấy đề xuất thay đổi."))
    return proposal


def _decide(actor, proposal: PersonChangeProposal, decision: str) -> None:
    person = proposal.person
    if person.merged_into_id is not None:  # merging moves proposals; a hand-written row may still point here
        raise RuleViolation(_("Hồ sơ này đã được gộp vào hồ sơ khác, không thể sửa."))
    PERSON_CHANGE.apply(actor, proposal, decision)
    proposal.decided_at, proposal.decided_by_id = clock.now(), actor.id
    if decision != ACCEPT:
        return
    old = current_text(person, proposal.field)
    setattr(person, proposal.field, from_text(proposal.field, proposal.proposed_value))
    touch(person)
    label = FIELD_LABELS.get(proposal.field, proposal.field)
    hidden = proposal.field in UNLOGGED_VALUES  # the log shows that it changed, not the number
    audit.record(actor, "person", person.id, "accept_change", reason=CHANGE_ACCEPTED(
        id=proposal.id, source=SOURCE_LABELS.get(proposal.source_type, proposal.source_type),
        source_id=proposal.source_id, field=str(label), old="…" if hidden else shown(proposal.field, old),
        new="…" if hidden else shown(proposal.field, proposal.proposed_value)))


@operation
def decide(actor, proposal_id: int, decision: str, expected_version: int | None = None) -> PersonChangeProposal:
    """Accept (the record takes the proposed value) or reject one proposal; `expected_version` is the record's
    version the secretariat was looking at, so a value changed meanwhile is not overwritten unseen."""
    ensure_secretariat(actor)
    if decision not in (ACCEPT, REJECT):
        raise RuleViolation(_("Thao tác không hợp lệ."))
    proposal = _load(proposal_id)
    check_version(proposal.person, expected_version)
    _decide(actor, proposal, decision)
    db.session.flush()
    return proposal


@operation
def decide_all(actor, person_id: int, decision: str, expected_version: int | None = None) -> int:
    """Accept or reject every pending proposal for one record; refused when two of them disagree on a field."""
    ensure_secretariat(actor)
    if decision not in (ACCEPT, REJECT):
        raise RuleViolation(_("Thao tác không hợp lệ."))
    person = db.session.get(Person, person_id)
    if person is None:
        raise RuleViolation(_("Không tìm thấy hồ sơ."))
    check_version(person, expected_version)
    proposals = [_load(proposal_id) for proposal_id in db.session.scalars(
        select(PersonChangeProposal.id).where(PersonChangeProposal.person_id == person_id,
                                              PersonChangeProposal.state == PENDING)
        .order_by(PersonChangeProposal.id))]
    proposals = [p for p in proposals if p.state == PENDING]
    if decision == ACCEPT and PersonProposals(person, proposals).conflicting:
        raise RuleViolation(_("Có nhiều đề xuất khác nhau cho cùng một thông tin: vui lòng xét từng đề xuất."))
    for proposal in proposals:
        _decide(actor, proposal, decision)
    db.session.flush()
    return len(proposals)
