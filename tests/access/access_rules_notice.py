"""Access rules of the public notice and of complaints: the notice page, the opinion form and the nominee's
complaint link are public; the secretariat handles opinions and complaints; a nominating organisation lodges a
complaint on its own dossiers (dossier_id, OWNED: another organisation's nominator gets 404)."""
from datetime import timedelta
from io import BytesIO

from honours.core import audit, clock
from honours.core import storage as files
from honours.core.db import db

EVERYONE = {"anonymous", "admin", "secretariat", "nominator", "council"}
SECRETARIAT = {"secretariat"}
NOMINATOR = {"nominator"}

RULES = {
    "notice.public_list": EVERYONE,
    "notice.opinion_form": EVERYONE,
    "notice.receipt": EVERYONE,
    "notice.inbox": SECRETARIAT,
    "notice.round_settings": SECRETARIAT,
    "notice.open_notice": SECRETARIAT,
    "notice.opinion": SECRETARIAT,
    "notice.download": SECRETARIAT,
    "complaints.lodge": NOMINATOR,
    "complaints.request_link": EVERYONE,
    "complaints.lodge_by_link": EVERYONE,
    "complaints.index": SECRETARIAT,
    "complaints.show": SECRETARIAT,
}
NOT_OWNED = {"notice_round_id", "candidate_id", "opinion_id", "complaint_id", "token"}


def params(world) -> dict:
    from honours.complaints import services as complaints
    from honours.complaints.models import Complaint
    from honours.nominations import states
    from honours.notice.models import Opinion
    from tests.factories import PDF, make_dossier, make_org, make_round, make_user

    now = clock.now()
    round_ = make_round(name="Đợt xét đang công khai danh sách", notice_days=10, notice_opened_at=now,
                        notice_ends_at=now + timedelta(days=10), council_stage="confirmed")
    org = make_org(name="Trường Đại học công khai")
    nominator = make_user("nominator", org)
    candidate = make_dossier(round_, org, nominator, state=states.APPROVED, full_name="Trần Thị Công Khai")
    stored = files.store(BytesIO(PDF), "y-kien.pdf", 10_000_000)
    opinion = Opinion(round_id=round_.id, dossier_id=candidate.id, receipt="YK-260101-ABC123", sender_name="Lê An",
                      contact="le.an@example.vn", content="Ý kiến", file_name="y-kien.pdf",
                      file_stored_name=stored.stored_name, file_content_type=stored.content_type,
                      file_size=stored.size)
    refused = make_dossier(round_, org, nominator, state=states.INELIGIBLE, full_name="Phạm Văn Khiếu",
                           email="pham.khieu@example.vn")
    db.session.add(opinion)
    db.session.flush()
    audit.record(None, "dossier", refused.id, "mark_ineligible", states.SUBMITTED, states.INELIGIBLE, "x")
    complaint = Complaint(dossier_id=refused.id, round_id=round_.id, complainant="nominee",
                          complainant_name=refused.full_name, complainant_email=refused.email,
                          decision=states.INELIGIBLE, decided_at=now, content="Khiếu nại")
    db.session.add(complaint)
    db.session.commit()
    return {"notice_round_id": round_.id, "candidate_id": candidate.id, "opinion_id": opinion.id,
            "complaint_id": complaint.id, "token": complaints.token_for(refused)}
