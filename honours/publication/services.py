"""Publication rules: the secretariat publishes a round's honoured list; the public reads what was published.

The public side never hands Dossier objects to templates or exports: it reads `Honouree` projections built from
selected columns, so an email, a phone number, a date of birth, a hometown or a score cannot reach a public page
or an export by mistake — they are simply not there.
"""
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from honours.consent import services as consent
from honours.consent.purposes import PUBLICATION
from honours.consent.signals import consent_withdrawn
from honours.core import audit, clock, text
from honours.core.concurrency import stale_message
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, touch
from honours.core.errors import RuleViolation, StaleEdit
from honours.core.i18n import format_datetime
from honours.core.outbox import services as outbox
from honours.core.reference import ACADEMIC_TITLES, DEGREES
from honours.core.roles import ensure_secretariat
from honours.core.text import fold, name_sort_key
from honours.core.transactions import operation
from honours.council import record
from honours.council.models import CONFIRMED, CouncilSession
from honours.decisions import services as decisions
from honours.nominations import states
from honours.nominations.models import Attachment, Dossier
from honours.nominations.services import apply_transition
from honours.notice import services as notice
from honours.organisations.models import Organisation
from honours.rounds.models import COUNCIL_DELIBERATING, Round, RoundField

from . import page_cache
from .models import PublicationPhoto

PHOTO_TYPES = ("image/jpeg", "image/png")
CITATION_MAX = 1000
# Every change of a citation, before or after publication: the public text of an honour, old and new wording.
CITATION_EDITED = audit.Reason("publication.citation_edited", audit.N_(
    "Sửa trích dẫn công bố: \"%(old)s\" → \"%(new)s\"."))
PUBLISHED = audit.Reason("publication.published", audit.N_(
    "Công bố %(count)s người được tôn vinh; thông báo kết quả gửi %(organisations)s đơn vị đề cử."))
PUBLISHED_PARTIAL = audit.Reason("publication.published_partial", audit.N_(
    "Công bố %(count)s người được tôn vinh khi danh sách chưa đầy đủ (%(undecided)s hồ sơ chưa có kết luận của "
    "Hội đồng, %(unchecked)s hồ sơ chưa thẩm định xong); thông báo kết quả gửi %(organisations)s đơn vị đề cử. "
    "Lý do: %(reason)s"))
SUGGESTION_LENGTH = 300
UNDECIDED = (states.ELIGIBLE, states.UNDER_REVIEW, states.SCORED)
# Dossiers still with the secretariat's check or the nominator's supplement: not yet through the council either.
UNCHECKED = (*states.AWAITING_CHECK, states.RETURNED)
# Degrees written before the name ("PGS.TS. Nguyễn Văn An"); a bachelor's degree is not.
NAME_PREFIX_DEGREES = ("TSKH", "TS", "ThS")


# ---------------------------------------------------------------- the council's decision

@dataclass(frozen=True)
class Decision:
    """The provincial decision conferring the title, as recorded on the confirmed council session."""

    number: str
    date: date
    signer: str
    signed_file: "decisions.PublicFile | None" = None  # the PDF the province signed, when uploaded


def decisions_for(round_ids) -> dict[int, Decision]:
    """The latest confirmed session with a recorded decision, per round (one query)."""
    round_ids = list(round_ids)
    if not round_ids:
        return {}
    latest = {}
    for session in db.session.scalars(
        select(CouncilSession).where(CouncilSession.round_id.in_(round_ids), CouncilSession.status == CONFIRMED)
        .order_by(CouncilSession.confirmed_at, CouncilSession.id)
    ):
        if session.decision_recorded:
            latest[session.round_id] = session
    files = decisions.public_files(s.id for s in latest.values())
    return {round_id: Decision(s.decision_number.strip(), s.decision_date, s.decision_signer.strip(),
                               files.get(s.id)) for round_id, s in latest.items()}


def _has_confirmed_session(round_id: int) -> bool:
    return db.session.scalar(select(func.count(CouncilSession.id)).where(
        CouncilSession.round_id == round_id, CouncilSession.status == CONFIRMED)) > 0


# ---------------------------------------------------------------- the secretariat's page

def suggested_citation(merits_summary: str, limit: int = SUGGESTION_LENGTH) -> str:
    """The first ~300 characters of the merits summary, cut at a word boundary."""
    text = " ".join((merits_summary or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


@dataclass
class Overview:
    round: Round
    decision: Decision | None
    candidates: list[Dossier]  # approved (or already published) dossiers, by field then Vietnamese name order
    photos: dict[int, int]  # dossier id -> photo attachment id
    counts: dict[str, int]
    blockers: list[str] = field(default_factory=list)

    @property
    def not_approved(self) -> int:
        return self.counts.get(states.NOT_APPROVED, 0)

    @property
    def undecided(self) -> int:
        return sum(self.counts.get(s, 0) for s in UNDECIDED)


def overview(round_: Round) -> Overview:
    candidates = sorted(db.session.scalars(
        select(Dossier).options(joinedload(Dossier.field), joinedload(Dossier.organisation))
        .where(Dossier.round_id == round_.id, Dossier.state.in_((states.APPROVED, states.PUBLISHED)))
    ), key=lambda d: (d.field.position, name_sort_key(d.full_name), d.id))
    counts = dict(db.session.execute(
        select(Dossier.state, func.count(Dossier.id)).where(Dossier.round_id == round_.id).group_by(Dossier.state)
    ).all())
    decision = decisions_for([round_.id]).get(round_.id)
    result = Overview(round_, decision, candidates, _photos_of_round(round_.id), counts)
    result.blockers = _blockers(round_, decision, counts.get(states.APPROVED, 0))
    return result


def _photos_of_round(round_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        select(Attachment.dossier_id, func.max(Attachment.id)).join(Dossier, Dossier.id == Attachment.dossier_id)
        .where(Dossier.round_id == round_id, Attachment.kind == "photo", Attachment.content_type.in_(PHOTO_TYPES))
        .group_by(Attachment.dossier_id)
    ).all())


def _blockers(round_: Round, decision: Decision | None, approved: int) -> list[str]:
    """Why the round cannot be published now (empty: it can)."""
    if round_.published_at is not None:
        return [_("Danh sách của đợt xét này đã được công bố lúc %(at)s.", at=format_datetime(round_.published_at))]
    reasons = []
    if decision is None:
        if not _has_confirmed_session(round_.id):
            reasons.append(_("Chủ tịch hội đồng chưa xác nhận kết quả phiên họp hội đồng của đợt xét này."))
        else:
            reasons.append(_("Chưa ghi nhận quyết định tặng danh hiệu (số quyết định, ngày ký, người ký) "
                             "của phiên họp hội đồng đã xác nhận."))
    if not approved:
        reasons.append(_("Không có hồ sơ nào được Hội đồng thông qua để công bố."))
    reasons.extend(notice.decision_blockers(round_))
    return reasons


# ---------------------------------------------------------------- citations and publishing

@dataclass
class CitationEdit:
    dossier_id: int
    version: int | None
    text: str


def _apply_citations(actor, round_: Round, edits: list[CitationEdit]) -> int:
    """Write changed citations (no commit). A row the user left as it is saves nothing, whatever its version."""
    if not edits:
        return 0
    dossiers = {d.id: d for d in db.session.scalars(
        select(Dossier).where(Dossier.id.in_([e.dossier_id for e in edits]), Dossier.round_id == round_.id))}
    changed = 0
    for edit in edits:
        dossier = dossiers.get(edit.dossier_id)
        if dossier is None or dossier.state not in (states.APPROVED, states.PUBLISHED):
            raise RuleViolation(_("Hồ sơ không thuộc danh sách được Hội đồng thông qua của đợt xét này."))
        text = (edit.text or "").strip()
        if not text:
            raise RuleViolation(_("Vui lòng nhập trích dẫn công bố cho %(name)s.", name=dossier.full_name))
        if len(text) > CITATION_MAX:
            raise RuleViolation(_("Trích dẫn công bố của %(name)s dài quá %(max)s ký tự.",
                                  name=dossier.full_name, max=CITATION_MAX))
        if text == dossier.citation:
            continue
        if edit.version is not None and edit.version != dossier.version:
            raise StaleEdit(stale_message())
        audit.record(actor, "dossier", dossier.id, "edit_citation", dossier.state, dossier.state,
                     CITATION_EDITED(old=dossier.citation or "", new=text))
        dossier.citation = text
        touch(dossier)
        changed += 1
    return changed


@operation
def save_citations(actor, round_: Round, edits: list[CitationEdit]) -> int:
    """Save the public citations the secretariat edited (before or after publication)."""
    ensure_secretariat(actor)
    changed = _apply_citations(actor, round_, edits)
    db.session.flush()
    return changed


def partial_warnings(round_: Round, counts: dict[str, int]) -> list[str]:
    """Why the list would be published incomplete: dossiers the council has not decided on (not checked, not
    scored, not voted, or a session the chair has not confirmed)."""
    found = []
    undecided = sum(counts.get(s, 0) for s in UNDECIDED)
    unchecked = sum(counts.get(s, 0) for s in UNCHECKED)
    if undecided:
        found.append(ngettext("%(num)d hồ sơ hợp lệ chưa có kết luận của Hội đồng (chưa chấm xong hoặc chưa được "
                              "bỏ phiếu): hồ sơ này sẽ không có trong danh sách công bố.",
                              "%(num)d hồ sơ hợp lệ chưa có kết luận của Hội đồng (chưa chấm xong hoặc chưa được "
                              "bỏ phiếu): các hồ sơ này sẽ không có trong danh sách công bố.", undecided))
    if unchecked:
        found.append(ngettext("%(num)d hồ sơ chưa thẩm định xong (đang chờ thẩm định hoặc chờ bổ sung).",
                              "%(num)d hồ sơ chưa thẩm định xong (đang chờ thẩm định hoặc chờ bổ sung).", unchecked))
    if round_.council_stage == COUNCIL_DELIBERATING:
        found.append(_("Một phiên họp hội đồng của đợt xét đang bỏ phiếu hoặc chờ Chủ tịch Hội đồng xác nhận kết quả."))
    return found


def _organisations_told(round_id: int) -> int:
    """How many nominating organisations the outcome emails go to (those with a dossier the council decided on)."""
    return db.session.scalar(select(func.count(func.distinct(Dossier.organisation_id))).where(
        Dossier.round_id == round_id, Dossier.state.in_((states.APPROVED, states.NOT_APPROVED)))) or 0


def publishing_consequence(round_: Round, honourees: int, organisations: int) -> str:
    return ngettext(
        "Công bố %(num)d người được tôn vinh: hồ sơ chuyển sang “Đã công bố”; danh sách, trích dẫn và ảnh chân dung "
        "hiển thị công khai trên trang Vinh danh năm %(year)s (ai cũng xem và tải về được); %(organisations)s đơn vị "
        "đề cử nhận email thông báo kết quả. Việc công bố không thể hoàn tác.",
        "Công bố %(num)d người được tôn vinh: các hồ sơ chuyển sang “Đã công bố”; danh sách, trích dẫn và ảnh chân "
        "dung hiển thị công khai trên trang Vinh danh năm %(year)s (ai cũng xem và tải về được); %(organisations)s "
        "đơn vị đề cử nhận email thông báo kết quả. Việc công bố không thể hoàn tác.",
        honourees, year=round_.year, organisations=organisations)


@operation
def publish(actor, round_: Round, edits: list[CitationEdit] | None = None, *, confirmed: bool = False,
            override_reason: str = "") -> int:
    """Publish the round's honoured list, all in one transaction: the citations typed on the page, every
    approved dossier -> published (audited), the round's publication stamp, one outcome email per nominating
    organisation. Returns the number of honourees. Asks for confirmation (what becomes public, who is told);
    a partial list (dossiers not through the council) needs a reason, which goes to the audit log."""
    ensure_secretariat(actor)
    decision = decisions_for([round_.id]).get(round_.id)
    approved = list(db.session.scalars(
        select(Dossier).where(Dossier.round_id == round_.id, Dossier.state == states.APPROVED)))
    blockers = _blockers(round_, decision, len(approved))
    if blockers:
        raise RuleViolation(blockers[0])
    counts = dict(db.session.execute(
        select(Dossier.state, func.count(Dossier.id)).where(Dossier.round_id == round_.id).group_by(Dossier.state)
    ).all())
    organisations = _organisations_told(round_.id)
    reason = ensure_confirmed(confirmed, publishing_consequence(round_, len(approved), organisations),
                              warnings=partial_warnings(round_, counts), override_reason=override_reason)
    _apply_citations(actor, round_, edits or [])
    now = clock.now()
    # The conditional UPDATE is the guard against two secretaries publishing at once: only one claims it.
    claimed = db.session.execute(
        update(Round).where(Round.id == round_.id, Round.published_at.is_(None))
        .values(published_at=now, published_by_id=actor.id)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise RuleViolation(_("Danh sách của đợt xét này vừa được công bố."))
    for dossier in approved:
        if not dossier.citation.strip():
            dossier.citation = suggested_citation(dossier.merits_summary)
        apply_transition(actor, dossier, "publish")
    if reason:
        said = PUBLISHED_PARTIAL(count=len(approved), organisations=organisations, reason=reason,
                                 undecided=sum(counts.get(s, 0) for s in UNDECIDED),
                                 unchecked=sum(counts.get(s, 0) for s in UNCHECKED))
    else:
        said = PUBLISHED(count=len(approved), organisations=organisations)
    audit.record(actor, "round", round_.id, "publish", "", states.PUBLISHED, said)
    _enqueue_outcomes(round_, decision)
    db.session.flush()
    return len(approved)


def _enqueue_outcomes(round_: Round, decision: Decision) -> None:
    """One email per nominating organisation listing its dossiers the council decided on, with the outcome."""
    decided = db.session.scalars(
        select(Dossier).options(joinedload(Dossier.organisation), joinedload(Dossier.field),
                                joinedload(Dossier.created_by))
        .where(Dossier.round_id == round_.id, Dossier.state.in_((states.PUBLISHED, states.NOT_APPROVED)))
    ).all()
    by_organisation: dict[int, list[Dossier]] = defaultdict(list)
    for dossier in decided:
        by_organisation[dossier.organisation_id].append(dossier)
    base_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    for dossiers in by_organisation.values():
        organisation: Organisation = dossiers[0].organisation
        dossiers.sort(key=lambda d: (d.state != states.PUBLISHED, d.field.position, name_sort_key(d.full_name)))
        # The organisation's address first; without one, the person who filed its first dossier.
        recipient = organisation.email or next((d.created_by.email for d in dossiers if d.created_by.email), "")
        items = [{"dossier": d, "honoured": d.state == states.PUBLISHED,
                  "url": base_url + honouree_path(round_.year, d.id, d.full_name)} for d in dossiers]
        context = {"organisation": organisation, "round": round_, "decision": decision, "items": items,
                   "list_url": f"{base_url}/vinh-danh/{round_.year}"}
        subject = render_template("email/outcome_subject.txt", **context).strip()
        outbox.enqueue(recipient, subject, render_template("email/outcome.txt", **context))


# ---------------------------------------------------------------- the public honoured list

def slugify(full_name: str) -> str:
    """The honouree part of a shareable URL."""
    return text.slugify(full_name, fallback="tri-thuc")


def honouree_path(year: int, dossier_id: int, full_name: str) -> str:
    return f"/vinh-danh/{year}/{dossier_id}-{slugify(full_name)}"


@dataclass(frozen=True)
class PublicRound:
    id: int
    name: str
    year: int
    published_at: datetime
    decision: Decision | None


@dataclass(frozen=True)
class Honouree:
    """What the public may know about an honouree. Nothing else is ever selected from the database: no gender,
    birth date or year, or ethnicity (sensitive under Law 91/2025/QH15; the indicators use them in aggregates only)."""

    id: int
    full_name: str
    name_folded: str
    academic_title: str
    degree: str
    workplace: str
    position: str
    field_name: str
    field_position: int
    organisation: str
    citation: str
    photo_id: int | None
    round_id: int
    round_name: str
    year: int
    updated_at: datetime
    publication_photo_key: str | None = None  # in the photo's URL: a new photo is a new URL
    publication_photo_widths: str = ""
    # The person did not consent (or withdrew consent) to publication (b): only the name and titles are shown.
    restricted: bool = False

    @property
    def slug(self) -> str:
        return slugify(self.full_name)

    @property
    def path(self) -> str:
        return honouree_path(self.year, self.id, self.full_name)

    @property
    def title_prefix(self) -> str:
        """"PGS.TS." as written before a Vietnamese scholar's name."""
        parts = [p for p in (self.academic_title, self.degree if self.degree in NAME_PREFIX_DEGREES else "") if p]
        return ".".join(parts) + "." if parts else ""

    @property
    def academic_title_label(self) -> str:
        return str(ACADEMIC_TITLES[self.academic_title]) if self.academic_title in ACADEMIC_TITLES and \
            self.academic_title else ""

    @property
    def degree_label(self) -> str:
        return str(DEGREES.get(self.degree, self.degree)) if self.degree else ""

    @property
    def has_photo(self) -> bool:
        return self.publication_photo_key is not None or self.photo_id is not None

    @property
    def photo_widths(self) -> list[int]:
        return [int(w) for w in self.publication_photo_widths.split(",") if w]

    def photo_path(self, width: int = 480) -> str | None:
        """The public portrait's path, about `width` pixels wide: the publication photo (the smallest stored width
        at least as wide, else its widest), else the dossier's portrait as uploaded, else None (placeholder)."""
        if self.publication_photo_key is not None and self.photo_widths:
            chosen = next((w for w in self.photo_widths if w >= width), self.photo_widths[-1])
            return f"/vinh-danh/anh-cong-bo/{self.publication_photo_key}/{chosen}.jpg"
        if self.photo_id is not None:
            return f"/vinh-danh/anh/{self.photo_id}"
        return None

    def photo_srcset(self) -> str:
        if self.publication_photo_key is None:
            return ""
        return ", ".join(f"/vinh-danh/anh-cong-bo/{self.publication_photo_key}/{w}.jpg {w}w" for w in self.photo_widths)

    def matches(self, folded_query: str) -> bool:
        return folded_query in self.name_folded or folded_query in fold(self.workplace)


def _photo_id():
    """The honouree's latest portrait (JPEG/PNG photo attachment), as a correlated subquery: no extra query."""
    return (select(func.max(Attachment.id))
            .where(Attachment.dossier_id == Dossier.id, Attachment.kind == "photo",
                   Attachment.content_type.in_(PHOTO_TYPES))
            .correlate(Dossier).scalar_subquery())


def _honourees(*conditions) -> list[Honouree]:
    rows = db.session.execute(
        select(Dossier.id, Dossier.full_name, Dossier.name_folded,
               Dossier.academic_title, Dossier.degree, Dossier.workplace, Dossier.position,
               RoundField.name, RoundField.position, Organisation.name, Dossier.citation, _photo_id(),
               Round.id, Round.name, Round.year, Dossier.updated_at, PublicationPhoto.key, PublicationPhoto.widths)
        .join(RoundField, RoundField.id == Dossier.field_id)
        .outerjoin(PublicationPhoto, PublicationPhoto.dossier_id == Dossier.id)
        .join(Organisation, Organisation.id == Dossier.organisation_id)
        .join(Round, Round.id == Dossier.round_id)
        .where(Dossier.state == states.PUBLISHED, Round.published_at.is_not(None), *conditions)
    ).all()
    # The list is what the chair confirmed: a dossier the confirmed record did not approve is never listed, whatever
    # its state says (rounds confirmed before results were recorded have no record and keep their states).
    recorded = record.approved_ids({row[12] for row in rows}) if rows else {}
    honourees = []
    for row in rows:
        if row[12] in recorded and row[0] not in recorded[row[12]]:
            continue
        values = list(row)
        values[-1] = values[-1] or ""
        honourees.append(Honouree(*values))
    allowed = consent.publication_allowed(h.id for h in honourees)
    honourees = [h if h.id in allowed else _name_and_title_only(h) for h in honourees]
    honourees.sort(key=lambda h: (h.year, h.round_id, h.field_position, h.field_name, name_sort_key(h.full_name),
                                  h.id))
    return honourees


@consent_withdrawn.connect
def _consent_withdrawn(consent_request, purposes=()) -> None:
    """A withdrawn (b) takes the honouree's details off the public pages and exports at once: the dossier's time
    moves (ETags and Last-Modified change, so no browser keeps a 304) and the cached pages go."""
    if PUBLICATION in purposes and consent_request.dossier is not None:
        consent_request.dossier.updated_at = clock.now()
        page_cache.forget()


# Where the honourees who did not consent to publication (b) are listed, after the fields.
RESTRICTED_POSITION = 1 << 30


def _name_and_title_only(honouree: Honouree) -> Honouree:
    """What may be shown without the person's consent to publication: the name, the academic title and degree
    (the decision that honoured them is a public document); nothing of workplace, field, citation or photo."""
    return replace(honouree, workplace="", position="", field_name="", field_position=RESTRICTED_POSITION,
                   organisation="", citation="", photo_id=None, publication_photo_key=None,
                   publication_photo_widths="", restricted=True)


def published_years() -> list[int]:
    return list(db.session.scalars(
        select(Round.year).where(Round.published_at.is_not(None)).distinct().order_by(Round.year.desc())))


def latest_published_year() -> int | None:
    return db.session.scalar(select(Round.year).where(Round.published_at.is_not(None))
                             .order_by(Round.published_at.desc(), Round.id.desc()).limit(1))


@dataclass
class FieldGroup:
    name: str
    honourees: list[Honouree]


@dataclass
class RoundSection:
    round: PublicRound
    fields: list[FieldGroup]

    @property
    def count(self) -> int:
        return sum(len(f.honourees) for f in self.fields)


@dataclass
class Listing:
    """The honoured list of one year: usually one round, but nothing forbids two rounds published the same year."""

    year: int
    rounds: list[PublicRound]
    honourees: list[Honouree]

    @property
    def published_at(self) -> datetime:
        return max(r.published_at for r in self.rounds)

    @property
    def latest_round(self) -> PublicRound:
        return max(self.rounds, key=lambda r: (r.published_at, r.id))

    @property
    def last_modified(self) -> datetime:
        return max([self.published_at, *(h.updated_at for h in self.honourees)])

    @property
    def stamp(self) -> str:
        """Changes whenever anything shown changes (a citation edited after publication, a renamed field...)."""
        return content_stamp(self.rounds, self.honourees)

    def sections(self) -> list[RoundSection]:
        sections = []
        for public_round in self.rounds:
            groups: dict[str, list[Honouree]] = {}
            for honouree in self.honourees:
                if honouree.round_id == public_round.id:
                    name = honouree.field_name if not honouree.restricted else _(
                        "Người được tôn vinh khác (chỉ công bố họ tên, học hàm, học vị)")
                    groups.setdefault(name, []).append(honouree)
            sections.append(RoundSection(public_round, [FieldGroup(n, hs) for n, hs in groups.items()]))
        return sections


def content_stamp(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def _public_rounds(*conditions) -> list[PublicRound]:
    rounds = db.session.execute(
        select(Round.id, Round.name, Round.year, Round.published_at)
        .where(Round.published_at.is_not(None), *conditions).order_by(Round.published_at, Round.id)
    ).all()
    decisions = decisions_for(r.id for r in rounds)
    return [PublicRound(r.id, r.name, r.year, r.published_at, decisions.get(r.id)) for r in rounds]


def listing_for_year(year: int) -> Listing | None:
    """The published honoured list of a year (None when nothing was published that year). Three queries."""
    rounds = _public_rounds(Round.year == year)
    if not rounds:
        return None
    return Listing(year, rounds, _honourees(Round.year == year))


def search(query: str) -> list[Honouree]:
    """Published honourees of every year whose name or workplace contains the query, ignoring diacritics."""
    folded = fold(query)
    if not folded:
        return []
    # Names are folded in the database already; workplaces are folded here. The published list is small
    # (tens per year), so one query and a filter in Python beat keeping a second folded column.
    found = [h for h in _honourees() if h.matches(folded)]
    found.sort(key=lambda h: -h.year)  # stable: newest year first, list order within a year
    return found


def honouree(dossier_id: int) -> tuple[Honouree, PublicRound] | None:
    found = _honourees(Dossier.id == dossier_id)
    if not found:
        return None
    rounds = _public_rounds(Round.id == found[0].round_id)
    return found[0], rounds[0]


def signed_decision(decision_id: int):
    """A signed decision file (a SignedDecision) the public pages offer: that of the decision shown for a published
    round. Any other (before publication, of an earlier session) does not exist for the public."""
    found = decisions.by_id(decision_id)
    if found is None:
        return None
    round_id = db.session.scalar(select(CouncilSession.round_id).join(Round, Round.id == CouncilSession.round_id)
                                 .where(CouncilSession.id == found.session_id, Round.published_at.is_not(None)))
    decision = decisions_for([round_id]).get(round_id) if round_id is not None else None
    if decision is None or decision.signed_file is None or decision.signed_file.id != found.id:
        return None
    return found


def public_photo(attachment_id: int) -> Attachment | None:
    """A portrait of a published honouree who consented to publication; any other attachment does not exist for
    the public."""
    attachment = db.session.scalar(
        select(Attachment).join(Dossier, Dossier.id == Attachment.dossier_id).join(Round, Round.id == Dossier.round_id)
        .where(Attachment.id == attachment_id, Attachment.kind == "photo", Attachment.content_type.in_(PHOTO_TYPES),
               Dossier.state == states.PUBLISHED, Round.published_at.is_not(None))
    )
    if attachment is None or attachment.dossier_id not in consent.publication_allowed([attachment.dossier_id]):
        return None
    return attachment


def published_honourees() -> list[Honouree]:
    """Every published honouree of every year (the sitemap)."""
    return _honourees()
