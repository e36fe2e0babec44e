"""Access rules of the talent channel (tiến cử người tài): the organisation drafts and submits its referrals; the
secretariat screens them, keeps the pool and matches it to needs.

Needs are posted by the secretariat and by departments (sở/ngành). The matrix's nominator belongs to an
association, so on the need pages it must be refused like any other non-department account; a department
nominator's access to needs is checked in tests/talent/test_talent_http.py
(test_need_pages_are_for_departments_only)."""
import hashlib
import uuid
from datetime import date, timedelta

NOMINATOR = {"nominator"}
SECRETARIAT = {"secretariat"}
CASE_HANDLERS = {"nominator", "secretariat"}

RULES = {
    "talent.index": NOMINATOR,
    "talent.create": NOMINATOR,
    "talent.edit": NOMINATOR,
    "talent.submit": NOMINATOR,
    "talent.delete": NOMINATOR,
    "talent.upload": NOMINATOR,
    "talent.delete_attachment": NOMINATOR,
    "talent.show": CASE_HANDLERS,
    "talent.download": CASE_HANDLERS,
    "talent.inbox": SECRETARIAT,
    "talent.screen": SECRETARIAT,
    "talent.pool": SECRETARIAT,
    "talent.overdue": SECRETARIAT,
    "talent.entry": SECRETARIAT,
    "talent.review": SECRETARIAT,
    "talent.needs": SECRETARIAT,
    "talent.need_create": SECRETARIAT,
    "talent.need": SECRETARIAT,
    "talent.need_edit": SECRETARIAT,
    "talent.need_close": SECRETARIAT,
    "talent.propose": SECRETARIAT,
    "talent.outcome": SECRETARIAT,
}
# The organisation's referrals and their files: another organisation's nominator gets 404.
OWNED = {"referral_id", "referral_attachment_id"}


def params(world) -> dict:
    """A submitted referral of the matrix's organisation (with its file on disk), a pool member, a need posted
    by the secretariat and a match between them."""
    from honours.core import clock
    from honours.core.db import db
    from honours.core.storage import path_for
    from honours.core.text import fold
    from honours.talent.models import SUBMITTED, NeedMatch, Referral, ReferralAttachment, TalentNeed
    from tests.factories import PDF, make_person, make_pool_entry

    nominator, secretary = world["users"]["nominator"], world["users"]["secretariat"]
    referral = Referral(
        organisation_id=world["organisation"].id, state=SUBMITTED, full_name="Đặng Văn Tiến Cử",
        name_folded=fold("Đặng Văn Tiến Cử"), gender="male", date_of_birth=date(1980, 2, 2), ethnicity="Kinh",
        field="Y dược", justification="Bác sĩ giỏi.", created_by_id=nominator.id, submitted_at=clock.now(),
    )
    stored_name = uuid.uuid4().hex
    with open(path_for(stored_name), "wb") as stored:
        stored.write(PDF)
    referral.attachments = [ReferralAttachment(
        original_name="cv.pdf", stored_name=stored_name, content_type="application/pdf", size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(), uploaded_by_id=nominator.id)]
    entry = make_pool_entry(make_person("Hà Thị Nguồn", date_of_birth=date(1979, 9, 9), gender="female"), secretary,
                            field="Y dược", expertise_keywords="tim mạch",
                            next_review_on=clock.now().date() - timedelta(days=1))
    need = TalentNeed(title="Chuyên gia tim mạch", field="Y dược", expertise_keywords="tim mạch",
                      deadline=clock.now().date() + timedelta(days=30), posted_by_id=secretary.id)
    match = NeedMatch(need=need, entry=entry, created_by_id=secretary.id)
    db.session.add_all([referral, need, match])
    db.session.commit()
    return {"referral_id": referral.id, "referral_attachment_id": referral.attachments[0].id,
            "pool_entry_id": entry.id, "need_id": need.id, "need_match_id": match.id}
