"""Demo of the talent channel for `flask seed-demo`: twelve referrals from the demo organisations in every state,
the six accepted ones in the talent pool (one overdue for its periodic screening, two already screened), and two
needs with matches and outcomes (and one pool member still suggested for the second).

Everything goes through the real services, each step with the clock pinned to a plausible moment in the past (the
queued notifications are dropped by the caller). All people, e-mail addresses and phone numbers are fictitious.
"""
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from honours.core import clock, roles
from honours.core.text import slugify
from honours.talent import needs, pool, referrals
from honours.talent.models import CONTACTED, ENGAGED, NOT_SUITABLE

from .data import F, M
from .files import sample_pdf


@dataclass
class DemoReferral:
    org: str  # organisation code in demo.data.ORGANISATIONS
    plan: str  # draft | submitted | accepted | declined
    days_ago: int  # when it was drafted; each later step comes a few days after
    full_name: str
    gender: str
    dob: date
    ethnicity: str
    degree: str
    title: str
    workplace: str
    position: str
    field: str
    keywords: str
    role: str
    availability: str
    justification: str
    overseas: bool = False
    reason: str = ""


REFERRALS = (
    DemoReferral("I2", "accepted", 70, "Phan Minh Khôi", M, date(1986, 4, 17), "Kinh", "TS", "",
                 "Đại học Tohoku (Nhật Bản)", "Nghiên cứu viên sau tiến sĩ", "Kỹ thuật và công nghệ",
                 "vật liệu nano, pin mặt trời, màng mỏng quang điện", "Chủ nhiệm nhiệm vụ nghiên cứu vật liệu pin "
                 "mặt trời thế hệ mới", "remote",
                 "Tác giả 14 bài báo quốc tế về màng mỏng perovskite; sẵn sàng hợp tác từ xa và về tỉnh làm việc "
                 "theo đợt.", overseas=True),
    DemoReferral("E2", "accepted", 64, "Trịnh Thu Trang", F, date(1990, 10, 2), "Kinh", "ThS", "",
                 "Công ty CP Công nghệ Điện tử Quế Võ", "Trưởng nhóm kiểm định", "Kỹ thuật và công nghệ",
                 "vi mạch bán dẫn; kiểm định linh kiện; tự động hoá; lưu trữ năng lượng",
                 "Chuyên gia kỹ thuật cho các dự án bán dẫn, năng lượng của tỉnh", "part_time",
                 "Xây dựng quy trình kiểm định linh kiện đạt chuẩn quốc tế, giảm 30% tỷ lệ lỗi của dây chuyền."),
    DemoReferral("U1", "accepted", 410, "Lương Văn Tâm", M, date(1982, 7, 9), "Nùng", "TS", "PGS",
                 "Trường Đại học Kinh Bắc", "Trưởng bộ môn Khoa học máy tính", "Khoa học tự nhiên",
                 "trí tuệ nhân tạo, học máy, xử lý ảnh y tế", "Tư vấn đề án chuyển đổi số", "advisory",
                 "Chủ trì đề tài cấp tỉnh ứng dụng trí tuệ nhân tạo đọc phim X-quang, đang thử nghiệm tại 2 bệnh "
                 "viện."),
    DemoReferral("A1", "accepted", 220, "Đinh Thị Hạnh", F, date(1978, 12, 25), "Kinh", "TS", "",
                 "Bệnh viện Đa khoa tỉnh Bắc Ninh", "Trưởng khoa Tim mạch", "Y dược",
                 "tim mạch can thiệp; đột quỵ; cấp cứu", "Chuyên gia phản biện các đề án y tế tuyến tỉnh", "advisory",
                 "Triển khai kỹ thuật can thiệp mạch vành cấp cứu 24/7 đầu tiên của tỉnh."),
    DemoReferral("I1", "accepted", 160, "Hà Văn Quý", M, date(1975, 3, 30), "Tày", "TS", "",
                 "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Phó Viện trưởng", "Nông nghiệp",
                 "vải thiều, bảo quản sau thu hoạch", "Tư vấn vùng nguyên liệu vải xuất khẩu", "part_time",
                 "Hoàn thiện công nghệ bảo quản vải tươi 30 ngày phục vụ xuất khẩu sang Nhật Bản, Úc."),
    DemoReferral("U2", "submitted", 12, "Triệu Thị Mai", F, date(1988, 5, 14), "Dao", "TS", "",
                 "Trường Đại học Nông Lâm Bắc Giang", "Giảng viên chính", "Nông nghiệp",
                 "dược liệu, cây thuốc bản địa, canh tác hữu cơ", "Phát triển vùng dược liệu dưới tán rừng",
                 "short_term", "Sưu tầm, bảo tồn 42 loài cây thuốc của đồng bào Dao, xây dựng vườn giống dược liệu."),
    DemoReferral("E1", "accepted", 9, "Nguyễn Hoàng Long", M, date(1984, 8, 21), "Kinh", "ThS", "",
                 "Công ty CP Dược phẩm Kinh Bắc", "Phó Giám đốc sản xuất", "Y dược",
                 "bào chế dược liệu, kiểm nghiệm thuốc, GMP", "Chuyên gia tư vấn chuẩn hoá dược liệu", "advisory",
                 "Đưa 3 sản phẩm từ dược liệu của tỉnh đạt tiêu chuẩn GMP-WHO."),
    DemoReferral("I3", "submitted", 6, "Nguyễn Thị Quỳnh", F, date(1992, 1, 8), "Kinh", "ThS", "",
                 "Viện Nghiên cứu Văn hóa Kinh Bắc", "Nghiên cứu viên", "Khoa học xã hội và nhân văn",
                 "dân ca quan họ, di sản phi vật thể, số hoá tư liệu", "Số hoá kho tư liệu di sản", "part_time",
                 "Chủ trì số hoá hơn 600 làn điệu quan họ cổ, xây dựng cơ sở dữ liệu mở."),
    DemoReferral("C1", "declined", 40, "Vũ Đức Thắng", M, date(1980, 6, 6), "Kinh", "DH", "",
                 "UBND phường Kinh Bắc", "Công chức Văn phòng", "Kinh tế - quản lý",
                 "cải cách hành chính", "Cán bộ đầu mối cải cách hành chính", "full_time",
                 "Có nhiều sáng kiến trong công tác văn phòng.",
                 reason="Phiếu chưa có minh chứng về kết quả, sản phẩm cụ thể; đề nghị đơn vị bổ sung rồi tiến cử lại."),
    DemoReferral("A2", "declined", 35, "Lê Thị Ngọc Ánh", F, date(1970, 9, 19), "Kinh", "DH", "",
                 "Hội Văn học Nghệ thuật tỉnh Bắc Ninh", "Hội viên", "Văn học nghệ thuật",
                 "thơ, văn xuôi", "Sáng tác về quê hương Kinh Bắc", "part_time",
                 "Tác giả 5 tập thơ về quê hương Kinh Bắc.",
                 reason="Phù hợp với xét tôn vinh hơn là nhiệm vụ đặt hàng; đề nghị đơn vị đề cử vào đợt xét "
                        "\"Trí thức Bắc Ninh tiêu biểu\"."),
    DemoReferral("U3", "draft", 3, "Đào Quang Huy", M, date(1991, 11, 3), "Kinh", "TS", "",
                 "Trường Đại học Công nghệ Đông Á", "Giảng viên", "Kỹ thuật và công nghệ",
                 "an toàn thông tin, chuyển đổi số, dữ liệu lớn", "Chuyên gia an toàn thông tin", "part_time",
                 "Đạt giải Nhất cuộc thi an toàn thông tin sinh viên toàn quốc, nay hướng dẫn đội tuyển của trường."),
    DemoReferral("E3", "draft", 1, "Chu Thị Phượng", F, date(1987, 2, 27), "Sán Dìu", "ThS", "",
                 "Công ty CP Giống cây trồng Bắc Ninh", "Trưởng phòng Nghiên cứu", "Nông nghiệp",
                 "chọn tạo giống lúa, lúa chịu mặn", "Tư vấn giống cây trồng", "short_term", ""),
)

# (poster: organisation code or "" for the secretariat, title, field, keywords, description, days to deadline,
#  [(person, outcome, note)])
NEEDS = (
    ("D3", "Tư vấn lộ trình điện mặt trời mái nhà tại các khu công nghiệp", "Kỹ thuật và công nghệ",
     "pin mặt trời, vật liệu nano, lưu trữ năng lượng",
     "Đánh giá giải pháp kỹ thuật, đề xuất lộ trình lắp đặt điện mặt trời mái nhà cho 5 khu công nghiệp.", 45,
     [("Phan Minh Khôi", ENGAGED, "Tham gia tổ tư vấn, làm việc trực tuyến hằng tuần."),
      ("Trịnh Thu Trang", CONTACTED, "Đã gửi thư mời, chờ lịch làm việc.")]),
    ("", "Chuyên gia phản biện đề án chuyển đổi số y tế tuyến tỉnh", "Y dược",
     "trí tuệ nhân tạo, xử lý ảnh y tế, tim mạch",
     "Phản biện đề án ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh tại bệnh viện tuyến tỉnh.", 30,
     [("Lương Văn Tâm", NOT_SUITABLE, "Là thành viên nhóm xây dựng đề án nên không phản biện được."),
      ("Đinh Thị Hạnh", None, "")]),
)


def _moment(now: datetime, days_ago: int, hour: int = 9) -> datetime:
    return datetime.combine(now.date() - timedelta(days=days_ago), time(hour, 15))


def _data(item: DemoReferral) -> referrals.ReferralData:
    return referrals.ReferralData(
        full_name=item.full_name, gender=item.gender, date_of_birth=item.dob, ethnicity=item.ethnicity,
        field=item.field, workplace=item.workplace, position=item.position, academic_title=item.title,
        degree=item.degree, email=f"{slugify(item.full_name, 'chuyen-gia')}@nhantai.example", is_overseas=item.overseas,
        consent_national_db=item.plan == "accepted", expertise_keywords=item.keywords, proposed_role=item.role,
        availability=item.availability, justification=item.justification,
    )


def seed_talent(accounts: list, organisations: dict) -> None:
    """Referrals, the pool, periodic screenings and needs."""
    now = clock.now()
    nominators = {u.organisation_id: u for u in accounts if u.role == roles.NOMINATOR}
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    entries = {}
    for item in REFERRALS:
        organisation = organisations[item.org]
        user = nominators[organisation.id]
        with clock.frozen(_moment(now, item.days_ago)):
            referral = referrals.save_referral(user, _data(item))
            if item.justification:  # the last draft is still missing its file and justification
                lines = ["Phieu tien cu nguoi tai", f"Ly lich khoa hoc: {item.full_name}",
                         f"Don vi tien cu: {organisation.name}", "Tai lieu mau (du lieu demo)."]
                referrals.add_attachment(user, referral, io.BytesIO(sample_pdf(lines)),
                                         f"Lý lịch khoa học - {item.full_name}.pdf", "cv")
        if item.plan == "draft":
            continue
        with clock.frozen(_moment(now, item.days_ago - 1, 10)):
            referrals.submit(user, referral)
        if item.plan == "submitted":
            continue
        with clock.frozen(_moment(now, item.days_ago - 4, 14)):
            entry = referrals.screen(secretary, referral, "accept" if item.plan == "accepted" else "decline",
                                     item.reason)
        if entry is not None:
            entries[item.full_name] = entry
    _seed_reviews(now, secretary, entries)
    _seed_needs(now, secretary, nominators, organisations, entries)


def _seed_reviews(now: datetime, secretary, entries: dict) -> None:
    """Lương Văn Tâm (accepted over a year ago) is left overdue; two others have been screened already."""
    with clock.frozen(_moment(now, 20, 15)):
        pool.review(secretary, entries["Đinh Thị Hạnh"], pool.ReviewData(
            decision="keep", note="Đã liên hệ: vẫn công tác tại bệnh viện, sẵn sàng phản biện."))
    quy = entries["Hà Văn Quý"]
    with clock.frozen(_moment(now, 15, 16)):
        pool.review(secretary, quy, pool.ReviewData(
            decision="update", note="Bổ sung chuyên môn sau buổi làm việc.", field=quy.field,
            expertise_keywords=quy.expertise_keywords + ", mã số vùng trồng, truy xuất nguồn gốc",
            proposed_role=quy.proposed_role, availability="advisory", notes="Ưu tiên liên hệ qua Viện."))


def _seed_needs(now: datetime, secretary, nominators: dict, organisations: dict, entries: dict) -> None:
    for number, (poster, title, field, keywords, description, days, matches) in enumerate(NEEDS):
        user = nominators[organisations[poster].id] if poster else secretary
        posted = _moment(now, 18 - 4 * number, 8)
        with clock.frozen(posted):
            need = needs.save_need(user, needs.NeedData(title=title, field=field, expertise_keywords=keywords,
                                                        description=description,
                                                        deadline=now.date() + timedelta(days=days)))
        for step, (name, outcome, note) in enumerate(matches):
            with clock.frozen(posted + timedelta(days=1, hours=step)):
                match = needs.propose(secretary, need, entries[name])
            if outcome in (ENGAGED, NOT_SUITABLE, CONTACTED):
                if outcome == ENGAGED:
                    with clock.frozen(posted + timedelta(days=3, hours=step)):
                        needs.record_outcome(secretary, match, CONTACTED, "Đã gọi điện trao đổi.")
                with clock.frozen(posted + timedelta(days=6, hours=step)):
                    needs.record_outcome(secretary, match, outcome, note)
