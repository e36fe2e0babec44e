"""Demo of the public notice and of complaints: a second round of the programme (young intellectuals, 2026)
that selects by standards (no points: claims, appraisal per standard, straight to the ballot), whose council result
is confirmed and whose proposed list is on public notice now, with two opinions (one concluded, one not yet
handled); and a complaint by its organisation about last year's dossier the council did not
approve, accepted and now past its resolution deadline (overdue on the secretariat's home page).
Everything goes through the real services with the clock pinned to a plausible moment."""
import io
from datetime import datetime, timedelta

from sqlalchemy import select

from honours.complaints import services as complaints
from honours.core import clock, roles
from honours.core.db import db
from honours.council import services as council
from honours.nominations import services as nominations
from honours.nominations.models import Dossier
from honours.notice import services as notice
from honours.reviews import services as reviews
from honours.rounds.models import ACHIEVEMENT, GENERAL, Round
from honours.rounds.services import FieldRow, RoundData, save_round
from honours.selection import services as selection
from honours.selection.models import MET

from .consents import consent_before_check
from .data import FIELDS
from .files import sample_pdf
from .selection import STANDARDS
from .stages import CHAIR_EMAIL, NOT_APPROVED

NOTICE_ROUND_NAME = "Trí thức trẻ Bắc Ninh tiêu biểu 2026"
NOTICE_DAYS = 15
# (full name, gender, date of birth, workplace, position, degree, field index, organisation code, merits,
#  the achievement claimed (kind, year, title) and the start of the achievement standard's name it meets)
NOMINEES = (
    ("Nguyễn Hải Đăng", "male", (1992, 5, 2), "Trường Đại học Kinh Bắc", "Giảng viên", "TS", 0, "U1",
     "Tác giả chính 9 bài báo ISI về vật liệu quang xúc tác; chủ nhiệm đề tài cấp tỉnh đã nghiệm thu.",
     ("project", 2025, "Đề tài cấp tỉnh về vật liệu quang xúc tác xử lý nước thải (đã nghiệm thu)"), "Chủ nhiệm"),
    ("Lê Thu Hà", "female", (1994, 10, 21), "Bệnh viện Đa khoa tỉnh Bắc Ninh", "Bác sĩ", "ThS", 2, "A1",
     "Ứng dụng trí tuệ nhân tạo đọc phim X-quang phổi tại tuyến tỉnh; giải Ba Giải thưởng KH&CN tỉnh.",
     ("award", 2024, "Giải Ba Giải thưởng KH&CN tỉnh Bắc Ninh"), "Giải thưởng"),
    ("Trịnh Minh Quân", "male", (1991, 1, 9), "Công ty CP Công nghệ Điện tử Quế Võ", "Kỹ sư trưởng", "ThS", 1, "E2",
     "Bằng độc quyền giải pháp hữu ích về kiểm định mạch in, áp dụng cho 3 dây chuyền sản xuất.",
     ("patent", 2025, "Bằng độc quyền giải pháp hữu ích về kiểm định mạch in"), "Bằng độc quyền"),
)


def _moment(now: datetime, days_ago: int, hour: int = 9) -> datetime:
    return (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)


def seed_notice(now: datetime, accounts: list, organisations: dict, past_round: Round) -> list[str]:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    nominators = {u.organisation_id: u for u in accounts if u.role == roles.NOMINATOR}
    members = [u for u in accounts if u.role == roles.COUNCIL]
    chair = next(u for u in members if u.email == CHAIR_EMAIL)
    with clock.frozen(_moment(now, 160)):
        round_ = save_round(secretary, RoundData(
            name=NOTICE_ROUND_NAME, programme="honours", year=2026,
            description="Đợt xét trí thức trẻ (dưới 35 tuổi) năm 2026, theo tiêu chuẩn: đạt mọi tiêu chuẩn chung và "
                        "ít nhất một tiêu chuẩn thành tích, hội đồng bỏ phiếu kín; danh sách đề xuất được công khai "
                        f"lấy ý kiến {NOTICE_DAYS} ngày trước khi trình quyết định.",
            nominations_open_at=_moment(now, 150, 7), nominations_close_at=_moment(now, 100, 17),
            review_close_at=_moment(now, 70, 17), council_date=_moment(now, 30).date(),
            reviewers_per_dossier=3, min_average_score=None,
            fields=[FieldRow(name, quota) for _, name, quota in FIELDS]))
        selection.save_setup(secretary, round_, selection.SetupData(
            selection_method="standards", achievement_standards_needed=1,
            standards=[selection.StandardRow(kind, name, evidence=evidence) for kind, name, evidence in STANDARDS]))
    field_ids = [f.id for f in round_.fields]
    dossiers = []
    general = [s for s in round_.standards if s.kind == GENERAL]
    for i, (name, gender, born, workplace, position, degree, field, org, merits, (kind, year, title),
            meets) in enumerate(NOMINEES):
        nominator = nominators[organisations[org].id]
        with clock.frozen(_moment(now, 140 - i)):
            dossier = nominations.save_dossier(nominator, round_, nominations.DossierData(
                field_id=field_ids[field], full_name=name, gender=gender, date_of_birth=datetime(*born).date(),
                ethnicity="Kinh", workplace=workplace, position=position, academic_title="", degree=degree,
                hometown="Bắc Ninh", merits_summary=merits,
                achievements=[nominations.AchievementData(kind, year, title)]))
            cv = nominations.add_attachment(nominator, dossier,
                                            io.BytesIO(sample_pdf([f"Ly lich khoa hoc: {name}"])),
                                            f"Lý lịch khoa học - {name}.pdf", "cv")
            claimed = next(s for s in round_.standards if s.kind == ACHIEVEMENT and s.name.startswith(meets))
            selection.save_claims(nominator, dossier, [selection.ClaimRow(claimed.id, 0, cv.id)])
            nominations.submit(nominator, dossier)
        with clock.frozen(_moment(now, 97 - i)):
            for standard in [*general, claimed]:
                selection.appraise(secretary, dossier, standard.id, MET)
        with clock.frozen(_moment(now, 96 - i)):
            consent_before_check(nominator, secretary, dossier, i + 1)
        with clock.frozen(_moment(now, 95 - i)):
            nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
            selection.send_to_ballot(secretary, dossier)
        dossiers.append(dossier)
    with clock.frozen(_moment(now, 90)):
        for i, user in enumerate(members):
            reviews.save_member(secretary, round_, user, panel_field_id=field_ids[i % len(field_ids)])
    present = [u.id for u in members[:6]]
    with clock.frozen(_moment(now, 30, 8)):
        session = council.open_session(secretary, round_, present, confirmed=True)
    with clock.frozen(_moment(now, 30, 10)):
        shortlisted = [r.dossier for field in council.shortlist(round_) for r in field.results]
        for user in members[:6]:
            council.cast_ballot(user, session, {d.id: True for d in shortlisted})
        council.close_voting(secretary, session, confirmed=True)
        council.confirm(chair, session)
    with clock.frozen(_moment(now, 20)):
        notice.save_settings(secretary, round_, NOTICE_DAYS, round_.complaint_days)
    with clock.frozen(_moment(now, 3, 8)):
        notice.open_notice(secretary, round_, confirmed=True)
    with clock.frozen(_moment(now, 2, 20)):
        first = notice.send_opinion(round_, dossiers[0].id, {
            "sender_name": "Phan Văn Tâm", "contact": "phan.tam@example.vn",
            "content": "Đề tài cấp tỉnh ông Đăng chủ nhiệm nghiệm thu năm nào? Đề nghị Ban thư ký kiểm tra."})
    with clock.frozen(_moment(now, 1, 14)):
        notice.handle(secretary, first, "verify")
        notice.handle(secretary, first, "conclude_no_effect",
                      "Đề tài nghiệm thu tháng 3/2025 (biên bản trong hồ sơ); thành tích đúng như kê khai.")
    with clock.frozen(_moment(now, 0, 7)):
        notice.send_opinion(round_, dossiers[1].id, {
            "sender_name": "Nguyễn Thị Hoa", "contact": "0912 345 678",
            "content": "Giải thưởng KH&CN tỉnh năm 2024 là của nhóm tác giả, bà Hà không phải tác giả chính."})
    _seed_complaint(secretary, nominators, past_round)
    return [f"  Public notice: \"{NOTICE_ROUND_NAME}\" (standards) on notice until "
            f"{round_.notice_ends_at:%d/%m/%Y %H:%M}, two opinions (one not yet handled).",
            "  Complaints: one on last year's round (accepted, past its resolution deadline)."]


def _seed_complaint(secretary, nominators: dict, past_round: Round) -> None:
    dossier = next(d for d in past_round_dossiers(past_round) if d.full_name == NOT_APPROVED)
    decided = complaints.complaint_period(dossier).decided_at
    with clock.frozen(decided + timedelta(days=20)):
        complaint = complaints.lodge(dossier, "Đề nghị xem xét lại: ông Lực có 2 sáng kiến cấp tỉnh chưa được tính "
                                     "điểm trong phiếu chấm.", actor=nominators[dossier.organisation_id])
    with clock.frozen(decided + timedelta(days=26)):
        complaints.handle(secretary, complaint, "accept")


def past_round_dossiers(past_round: Round) -> list[Dossier]:
    return list(db.session.scalars(select(Dossier).where(Dossier.round_id == past_round.id).order_by(Dossier.id)))
