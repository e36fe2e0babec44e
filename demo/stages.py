"""Demo of the later stages for `flask seed-demo`: a council for this year's round with scoring under way,
and last year's round taken all the way to publication, so the public honoured list has something to show.

Everything goes through the real services, each step with the clock pinned to a plausible moment.
"""
import io
import random
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.council import services as council
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import services as publication
from honours.reviews import services as reviews
from honours.reviews.models import ReviewAssignment
from honours.reviews.services import SheetInput
from honours.rounds.models import Round
from honours.rounds.services import CriterionRow, FieldRow, RoundData, save_round

from .consents import consent_on_paper
from .data import CRITERIA, FIELDS
from .files import sample_pdf

PAST_YEAR = 2025
CHAIR_EMAIL = "hoidong1@demo.example"
# (full name, gender, date of birth, ethnicity, title, degree, workplace, position, field index, organisation code,
#  merits) for last year's round: nine are honoured, one is not approved by the council.
PAST_NOMINEES = (
    ("Nguyễn Thị Thanh Mai", "female", date(1971, 4, 12), "Kinh", "PGS", "TS", "Bệnh viện Đa khoa tỉnh Bắc Ninh",
     "Phó Giám đốc", 2, "A1", "Tiên phong ứng dụng kỹ thuật can thiệp tim mạch tại tuyến tỉnh, cứu sống hàng nghìn "
     "người bệnh; chủ nhiệm 2 đề tài cấp tỉnh về đột quỵ."),
    ("Hoàng Văn Sơn", "male", date(1968, 9, 3), "Tày", "", "TS", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Viện trưởng",
     3, "I1", "Chọn tạo 3 giống vải chín sớm được công nhận giống cây trồng mới, nâng giá trị vùng vải Lục Ngạn."),
    ("Trần Quốc Khánh", "male", date(1979, 1, 22), "Kinh", "", "TS", "Công ty CP Công nghệ Điện tử Quế Võ",
     "Giám đốc Kỹ thuật", 1, "E2", "Làm chủ dây chuyền kiểm định linh kiện bán dẫn; 2 bằng độc quyền sáng chế."),
    ("Lục Thị Hằng", "female", date(1983, 6, 30), "Nùng", "", "ThS", "Trường THPT Sơn Động số 1",
     "Giáo viên", 5, "D2", "Sáng kiến dạy học song ngữ cho học sinh dân tộc thiểu số, được nhân rộng toàn tỉnh."),
    ("Đỗ Minh Tuấn", "male", date(1975, 11, 8), "Kinh", "GS", "TSKH", "Trường Đại học Kinh Bắc",
     "Trưởng khoa Vật lý", 0, "U1", "Hơn 80 công trình công bố quốc tế về vật liệu nano; đào tạo 12 tiến sĩ."),
    ("Dương Thị Lan", "female", date(1987, 2, 14), "Sán Dìu", "", "TS", "Viện Nghiên cứu Văn hóa Kinh Bắc",
     "Nghiên cứu viên chính", 4, "I3", "Sưu tầm, số hóa kho tư liệu dân ca quan họ và hát Soọng cô của người Sán Dìu."),
    ("Ngô Đức Thịnh", "male", date(1965, 7, 19), "Kinh", "", "DH", "Hội Văn học Nghệ thuật tỉnh Bắc Ninh",
     "Hội viên", 6, "A2", "Tác giả tiểu thuyết về làng nghề Kinh Bắc, Giải thưởng Văn học nghệ thuật cấp quốc gia."),
    ("Bùi Thị Phương", "female", date(1980, 12, 5), "Mường", "PGS", "TS", "Trường Đại học Nông Lâm Bắc Giang",
     "Phó Hiệu trưởng", 3, "U2", "Quy trình canh tác hữu cơ cho cây có múi, chuyển giao cho 30 hợp tác xã."),
    ("Vũ Hoàng Nam", "male", date(1990, 3, 27), "Kinh", "", "TS", "Công ty CP Dược phẩm Kinh Bắc",
     "Trưởng phòng Nghiên cứu", 2, "E1", "Phát triển 4 sản phẩm dược liệu từ cây thuốc bản địa Bắc Ninh."),
    ("Phạm Văn Lực", "male", date(1972, 8, 16), "Kinh", "", "ThS", "Sở Khoa học và Công nghệ tỉnh Bắc Ninh",
     "Chuyên viên", 1, "D3", "Tham gia xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh."),
)
NOT_APPROVED = "Phạm Văn Lực"
SENT_BACK_REASON = "Cần xác minh lại văn bằng tiến sĩ với cơ sở đào tạo trước khi chấm điểm."


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0)


def seed_council(round_: Round, accounts: list, organisations: dict) -> None:
    """This year's council: seven members on field panels, assignments made, a few sheets scored."""
    members = [u for u in accounts if u.role == roles.COUNCIL]
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    field_ids = [f.id for f in round_.fields]
    for i, user in enumerate(members):
        reviews.save_member(secretary, round_, user, panel_field_id=field_ids[i % len(field_ids)],
                            affiliation="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Bắc Ninh" if i == 0 else "",
                            affiliation_organisation_id=organisations["A1"].id if i == 1 else None,
                            expertise_field_ids=[field_ids[i % len(field_ids)], field_ids[(i + 3) % len(field_ids)]])
    # The secretariat took one eligible dossier back to the check before assigning (audited; the organisation is
    # not told): it waits in the inbox again.
    sent_back = db.session.scalars(select(Dossier).where(Dossier.round_id == round_.id,
                                                         Dossier.state == states.ELIGIBLE)
                                   .order_by(Dossier.id).limit(1)).first()
    if sent_back is not None:
        nominations.reopen_check(secretary, sent_back, SENT_BACK_REASON, confirmed=True)
    reviews.auto_assign(secretary, round_)
    # Two reviewers have started: one sheet submitted, one saved as a draft.
    for reviewer, submit in ((members[2], True), (members[3], False)):
        assignment = _first_assignment(reviewer)
        if assignment is not None:
            _score(reviewer, assignment.dossier, [8, 7, 8, 6, 9], submit=submit)


def _first_assignment(reviewer) -> ReviewAssignment | None:
    return db.session.scalars(select(ReviewAssignment).where(ReviewAssignment.reviewer_id == reviewer.id)
                              .order_by(ReviewAssignment.assigned_at, ReviewAssignment.id).limit(1)).first()


def _score(reviewer, dossier, marks: list[float], submit: bool = True) -> None:
    sheet = reviews.sheet_for(reviewer, dossier)
    criteria = dossier.round.criteria
    points = {c.id: min(c.max_points, c.max_points * Decimal(mark) / 10) for c, mark in zip(criteria, marks)}
    comments = {criteria[0].id: "Thành tích nổi bật, minh chứng đầy đủ."}
    reviews.save_sheet(reviewer, sheet, SheetInput(points, comments, "Đề nghị Hội đồng xem xét."), sheet.version,
                       submit=submit)


def seed_published_round(accounts: list, organisations: dict) -> Round:
    """Last year's round, from nominations to the published honoured list."""
    rng = random.Random(PAST_YEAR)  # nosec B311 # reproducible demo data, not a secret
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    nominators = {u.organisation_id: u for u in accounts if u.role == roles.NOMINATOR}
    members = [u for u in accounts if u.role == roles.COUNCIL]
    chair = next(u for u in members if u.email == CHAIR_EMAIL)
    with clock.frozen(_at(PAST_YEAR, 2, 10)):
        round_ = save_round(secretary, _past_round_data())
    field_ids = [f.id for f in round_.fields]
    dossiers = []
    for i, (name, gender, born, ethnicity, title, degree, workplace, position, field, org, merits) in enumerate(
            PAST_NOMINEES):
        nominator = nominators[organisations[org].id]
        with clock.frozen(_at(PAST_YEAR, 4, 2 + i)):
            dossier = nominations.save_dossier(nominator, round_, nominations.DossierData(
                field_id=field_ids[field], full_name=name, gender=gender, date_of_birth=born, ethnicity=ethnicity,
                workplace=workplace, position=position, academic_title=title, degree=degree,
                hometown="Bắc Ninh", merits_summary=merits,
                achievements=[nominations.AchievementData("award", 2023, "Bằng khen của Chủ tịch UBND tỉnh")]))
            nominations.add_attachment(nominator, dossier, io.BytesIO(sample_pdf([f"Ly lich khoa hoc: {name}"])),
                                       f"Lý lịch khoa học - {name}.pdf", "cv")
            nominations.submit(nominator, dossier)
        with clock.frozen(_at(PAST_YEAR, 6, 20 + i)):  # before the platform emailed links: signed forms
            consent_on_paper(nominator, secretary, dossier)
        with clock.frozen(_at(PAST_YEAR, 7, 3 + i)):
            nominations.decide(secretary, dossier, "mark_eligible", confirmed=True)
        dossiers.append(dossier)
    with clock.frozen(_at(PAST_YEAR, 7, 20)):
        for i, user in enumerate(members):
            reviews.save_member(secretary, round_, user, panel_field_id=field_ids[i % len(field_ids)])
        reviews.auto_assign(secretary, round_)
    with clock.frozen(_at(PAST_YEAR, 8, 20)):
        for dossier in dossiers:
            low = dossier.full_name == NOT_APPROVED
            for reviewer in members:
                if reviews.is_assigned(reviewer, dossier):
                    base = 5 if low else 8
                    _score(reviewer, dossier, [base + rng.choice((-1, 0, 0, 1)) for _ in range(5)])
    present = [u.id for u in members[:6]]  # one member excused
    with clock.frozen(_at(PAST_YEAR, 9, 15, 8)):
        session = council.open_session(secretary, round_, present, confirmed=True)
        # The secretary (thuky@demo.example) keeps the minutes; the council elects three members to count the votes.
        council.set_counting_board(secretary, session, secretary.full_name, present[3:6])
    with clock.frozen(_at(PAST_YEAR, 9, 15, 10)):
        shortlisted = [r.dossier for field in council.shortlist(round_) for r in field.results]
        agree_with = {d.id for d in shortlisted if d.full_name != NOT_APPROVED}
        for user in members[:6]:
            council.cast_ballot(user, session, {d.id: d.id in agree_with for d in shortlisted})
        council.close_voting(secretary, session, confirmed=True)
        council.confirm(chair, session)
    with clock.frozen(_at(PAST_YEAR, 10, 2)):
        council.record_decision(secretary, session, "1523/QĐ-UBND", date(PAST_YEAR, 10, 1),
                                "Chủ tịch UBND tỉnh Bắc Ninh")
    with clock.frozen(_at(PAST_YEAR, 10, 10)):
        publication.publish(secretary, round_, confirmed=True)
    # An honouree later withdrew consent to publication by a signed letter: only the name and title stay public.
    honoured = [d for d in dossiers if d.state == states.PUBLISHED]
    withdrawing = honoured[-1]
    with clock.frozen(_at(PAST_YEAR, 11, 5)):
        consent_on_paper(nominators[withdrawing.organisation_id], secretary, withdrawing, refused=("b",))
    return round_


def _past_round_data() -> RoundData:
    return RoundData(
        name=f"Trí thức Bắc Ninh tiêu biểu {PAST_YEAR}", programme="honours", year=PAST_YEAR,
        description="Đợt xét, tôn vinh trí thức tiêu biểu năm 2025 (đã công bố).",
        nominations_open_at=_at(PAST_YEAR, 3, 1, 7), nominations_close_at=_at(PAST_YEAR, 6, 30, 17),
        review_close_at=_at(PAST_YEAR, 8, 31, 17), council_date=date(PAST_YEAR, 9, 15),
        reviewers_per_dossier=5, min_average_score=None,
        fields=[FieldRow(name, quota) for _, name, quota in FIELDS],
        criteria=[CriterionRow(name, Decimal(max_points), Decimal(weight), description)
                  for name, description, max_points, weight in CRITERIA],
    )
