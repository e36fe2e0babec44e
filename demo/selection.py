"""A second round of this year that selects by standards (no points), with eligibility rules, its nominations
closed and its dossiers at the appraisal: one with a clarification asked and answered, one failing a rule."""
import io
from datetime import date, datetime, timedelta

from honours.core import clock, roles
from honours.nominations import services as nominations
from honours.rounds.models import ACHIEVEMENT, GENERAL, Round
from honours.rounds.services import FieldRow, RoundData, save_round
from honours.selection import rules
from honours.selection import services as selection
from honours.selection.models import CLARIFY, MET

from .files import sample_pdf

STANDARDS_ROUND_NAME = "Trí thức trẻ Bắc Ninh tiêu biểu 2026 (xét theo tiêu chuẩn)"
STANDARDS = [
    (GENERAL, "Sinh sống hoặc công tác tại tỉnh từ 5 năm trở lên", "Xác nhận của cơ quan, đơn vị"),
    (GENERAL, "Trình độ đại học trở lên", "Bản sao văn bằng"),
    (GENERAL, "Phẩm chất chính trị, đạo đức tốt", "Nhận xét của cơ quan, đơn vị"),
    (ACHIEVEMENT, "Chủ nhiệm đề tài, dự án KH&CN cấp tỉnh trở lên đã nghiệm thu", "Quyết định công nhận kết quả"),
    (ACHIEVEMENT, "Bằng độc quyền sáng chế hoặc giải pháp hữu ích", "Bản sao văn bằng bảo hộ"),
    (ACHIEVEMENT, "Giải thưởng KH&CN cấp tỉnh trở lên", "Quyết định tặng giải thưởng"),
    (ACHIEVEMENT, "Công bố quốc tế thuộc danh mục ISI/Scopus", "Danh mục bài báo"),
]
NOMINEES = [
    # name, gender, born, degree, years in the province, achievement (kind, year, title)
    ("Đỗ Minh Khoa", "male", date(1988, 4, 12), "TS", 9,
     ("project", 2024, "Đề tài cấp tỉnh về giống lúa chịu hạn (đã nghiệm thu)")),
    ("Nông Thị Hạnh", "female", date(1991, 11, 3), "ThS", 3,
     ("patent", 2025, "Giải pháp hữu ích: thiết bị lọc nước nhiễm asen")),
]


def seed_standards_round(now: datetime, accounts: list) -> Round:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    nominators = [u for u in accounts if u.role == roles.NOMINATOR and u.active][:2]
    opens = (now - timedelta(days=60)).replace(hour=7, minute=30, second=0, microsecond=0)
    closes = (now - timedelta(days=3)).replace(hour=17, minute=0, second=0, microsecond=0)
    with clock.frozen(opens - timedelta(days=5)):
        round_ = save_round(secretary, RoundData(
            name=STANDARDS_ROUND_NAME, programme="honours", year=2026,
            description="Quy định xét chọn theo tiêu chuẩn: đạt mọi tiêu chuẩn chung và ít nhất một tiêu chuẩn "
                        "thành tích; hội đồng bỏ phiếu kín, không chấm điểm.",
            nominations_open_at=opens, nominations_close_at=closes, review_close_at=closes + timedelta(days=20),
            council_date=(closes + timedelta(days=30)).date(), required_kinds=["cv"],
            fields=[FieldRow("Khoa học tự nhiên và kỹ thuật", 3), FieldRow("Nông nghiệp", 2)]))
        selection.save_setup(secretary, round_, selection.SetupData(
            selection_method="standards", achievement_standards_needed=1,
            standards=[selection.StandardRow(kind, name, evidence=evidence) for kind, name, evidence in STANDARDS],
            rules={rules.MIN_YEARS_IN_PROVINCE: {"years": 5}, rules.MIN_DEGREE: {"degree": "DH"},
                   rules.NOT_HONOURED: {"years": None}}))
    dossiers = []
    for i, (name, gender, born, degree, years, (kind, year, title)) in enumerate(NOMINEES):
        nominator = nominators[i]
        with clock.frozen(opens + timedelta(days=10 + i)):
            dossier = nominations.save_dossier(nominator, round_, nominations.DossierData(
                field_id=round_.fields[i % len(round_.fields)].id, full_name=name, gender=gender,
                date_of_birth=born, ethnicity="Tày" if gender == "female" else "Kinh", degree=degree,
                workplace="Viện Khoa học Nông nghiệp Bắc Ninh", hometown="Bắc Ninh", years_in_province=years,
                merits_summary=f"{title}; nhiều năm đóng góp cho khoa học và công nghệ của tỉnh.",
                achievements=[nominations.AchievementData(kind, year, title)]))
            cv = nominations.add_attachment(nominator, dossier, io.BytesIO(sample_pdf([f"Ly lich: {name}"])),
                                            f"Lý lịch khoa học - {name}.pdf", "cv")
            standard = next(s for s in round_.standards if s.kind == ACHIEVEMENT and
                            ("đề tài" in s.name if kind == "project" else "sáng chế" in s.name))
            selection.save_claims(nominator, dossier, [selection.ClaimRow(standard.id, 0, cv.id)])
            nominations.submit(nominator, dossier)
        dossiers.append(dossier)
    first, second = dossiers
    general = [s for s in round_.standards if s.kind == GENERAL]
    project = next(s for s in round_.standards if "đề tài" in s.name)
    with clock.frozen(closes + timedelta(days=1)):
        for standard in general:
            selection.appraise(secretary, first, standard.id, MET)
        selection.appraise(secretary, first, project.id, CLARIFY,
                           "Đề nghị bổ sung quyết định công nhận kết quả nghiệm thu đề tài.")
    with clock.frozen(closes + timedelta(days=2)):
        [question] = selection.clarifications_of(first)
        selection.answer(nominators[0], question, "Đơn vị gửi kèm Quyết định nghiệm thu số 245/QĐ-SKHCN.",
                         io.BytesIO(sample_pdf(["Quyet dinh nghiem thu so 245/QD-SKHCN"])),
                         "Quyết định nghiệm thu 245.pdf")
    with clock.frozen(closes + timedelta(days=2, hours=3)):
        selection.appraise(secretary, first, project.id, MET, "Đã có quyết định nghiệm thu.")
        selection.appraise(secretary, second, general[0].id, CLARIFY,
                           "Đề nghị xác nhận thời gian công tác tại tỉnh (hồ sơ khai 3 năm).")
    return round_
