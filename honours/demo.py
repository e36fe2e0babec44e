"""Demo data for `flask seed-demo`: a realistic Bắc Ninh round with organisations, accounts and dossiers.

Everything is relative to `clock.now()`: the round is open for nominations from ~30 days ago until ~30 days
ahead, so `make run` always shows an open round. Dossiers go through the real services (save_dossier,
add_attachment, submit, decide), each step with the clock pinned to a plausible moment in the past, so the
audit log, submission snapshots and attachments on disk are real (the queued notifications are dropped).

seed() commits as it goes and returns the lines to print. Running it again is harmless: once the demo admin
exists it only says so. All people, e-mail addresses and phone numbers are fictitious.
"""
import io
import random
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import click
from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from honours.auth.models import User
from honours.auth.services import check_password_policy
from honours.core import clock, roles
from honours.core.db import db
from honours.core.i18n import format_datetime
from honours.core.outbox.models import OutboxMessage
from honours.directory import backfill as people_linking
from honours.nominations import services, states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round
from honours.rounds.services import CriterionRow, FieldRow, RoundData, save_round

from .demo_stages import seed_council, seed_published_round
from .demo_talent import seed_talent

DEMO_PASSWORD = "Demo@2026bn"  # nosec B105 # demo accounts only, printed by seed-demo
ADMIN_EMAIL = "admin@demo.example"
ROUND_NAME = "Trí thức Bắc Ninh tiêu biểu 2026"
EMAIL_DOMAIN = "bacninh.example"

# --------------------------------------------------------------------------- round

FIELDS = (  # (code used below, name, quota)
    ("KHTN", "Khoa học tự nhiên", 3),
    ("KTCN", "Kỹ thuật và công nghệ", 4),
    ("YD", "Y dược", 3),
    ("NN", "Nông nghiệp", 3),
    ("XH", "Khoa học xã hội và nhân văn", 3),
    ("GD", "Giáo dục", 3),
    ("VH", "Văn học nghệ thuật", 2),
)

CRITERIA = (  # (name, description, max points, weight) — weights sum to 100
    ("Thành tích nghiên cứu khoa học, sáng tạo",
     "Công trình khoa học, bằng sáng chế/giải pháp hữu ích, tác phẩm có giá trị; chất lượng và mức độ "
     "ảnh hưởng (công bố quốc tế, xuất bản, giải thưởng chuyên môn).", 20, 35),
    ("Ứng dụng thực tiễn và hiệu quả kinh tế - xã hội",
     "Kết quả được chuyển giao, áp dụng tại tỉnh Bắc Ninh; hiệu quả kinh tế, xã hội, môi trường có minh chứng.",
     20, 25),
    ("Giải thưởng, danh hiệu",
     "Giải thưởng khoa học, văn học nghệ thuật, danh hiệu nhà nước, bằng khen cấp tỉnh trở lên.", 10, 15),
    ("Đào tạo, bồi dưỡng và phát triển đội ngũ",
     "Hướng dẫn nghiên cứu sinh, học viên; xây dựng nhóm nghiên cứu; truyền nghề, bồi dưỡng thế hệ trẻ.", 10, 15),
    ("Uy tín, phẩm chất và đóng góp cho cộng đồng",
     "Phẩm chất chính trị, đạo đức nghề nghiệp; tư vấn, phản biện, tham gia các hoạt động vì cộng đồng.", 10, 10),
)

# --------------------------------------------------------------------------- organisations

# (code or "", type, name, e-mail local part, nomination limit). Coded ones get a nominator account.
ORGANISATIONS = (
    ("A1", "association", "Hội Y học tỉnh Bắc Ninh", "hoiyhoc", 3),
    ("A2", "association", "Hội Văn học Nghệ thuật tỉnh Bắc Ninh", "hoivhnt", None),
    ("A3", "association", "Hội Khoa học Lịch sử tỉnh Bắc Ninh", "hoilichsu", None),
    ("", "association", "Hội Dược học tỉnh Bắc Ninh", "hoiduochoc", 2),
    ("", "association", "Hội Cựu giáo chức tỉnh Bắc Ninh", "hoicugiaochuc", None),
    ("", "association", "Hội Khuyến học tỉnh Bắc Ninh", "hoikhuyenhoc", None),
    ("", "association", "Hội Tin học tỉnh Bắc Ninh", "hoitinhoc", None),
    ("", "association", "Hội Làm vườn tỉnh Bắc Ninh", "hoilamvuon", None),
    ("", "association", "Hội Kiến trúc sư tỉnh Bắc Ninh", "hoikientrucsu", None),
    ("", "association", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Bắc Ninh", "lienhiephoi", None),
    ("I1", "institute", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "vien.caylucngan", None),
    ("I2", "institute", "Viện Công nghệ Vật liệu Kinh Bắc", "vien.vatlieu", None),
    ("I3", "institute", "Viện Nghiên cứu Văn hóa Kinh Bắc", "vien.vanhoa", None),
    ("", "institute", "Viện Y học cổ truyền Kinh Bắc", "vien.yhct", 2),
    ("", "institute", "Viện Nghiên cứu Dân ca Quan họ", "vien.quanho", None),
    ("", "institute", "Viện Khoa học Giáo dục Bắc Ninh", "vien.khgd", None),
    ("", "institute", "Viện Tự động hóa và Điện tử Bắc Ninh", "vien.tudonghoa", None),
    ("", "institute", "Viện Khoa học Môi trường Kinh Bắc", "vien.moitruong", None),
    ("", "institute", "Viện Nông nghiệp Công nghệ cao Bắc Ninh", "vien.nncnc", None),
    ("", "institute", "Viện Nghiên cứu Phát triển Kinh tế - Xã hội Bắc Ninh", "vien.ptktxh", None),
    ("U1", "university", "Trường Đại học Kinh Bắc", "dh.kinhbac", None),
    ("U2", "university", "Trường Đại học Nông Lâm Bắc Giang", "dh.nonglam", 3),
    ("U3", "university", "Trường Đại học Công nghệ Đông Á", "dh.donga", None),
    ("", "university", "Trường Đại học Thể dục Thể thao Bắc Ninh", "dh.tdtt", None),
    ("", "university", "Trường Đại học Kỹ thuật - Hậu cần Công an nhân dân", "dh.kthc", None),
    ("", "university", "Trường Đại học Quốc tế Bắc Hà", "dh.bacha", None),
    ("", "university", "Học viện Ngân hàng - Phân viện Bắc Ninh", "hvnh.bacninh", None),
    ("", "university", "Trường Cao đẳng Y tế Bắc Ninh", "cd.yte", None),
    ("", "university", "Trường Cao đẳng Sư phạm Bắc Ninh", "cd.supham", None),
    ("", "university", "Trường Cao đẳng Công nghiệp Bắc Ninh", "cd.congnghiep", None),
    ("E1", "enterprise", "Công ty CP Dược phẩm Kinh Bắc", "duockinhbac", 2),
    ("E2", "enterprise", "Công ty CP Công nghệ Điện tử Quế Võ", "dientuquevo", None),
    ("E3", "enterprise", "Công ty CP Giống cây trồng Bắc Ninh", "giongcaytrong", None),
    ("", "enterprise", "Công ty CP Phần mềm Từ Sơn", "phanmemtuson", None),
    ("", "enterprise", "Công ty CP Gốm sứ Phù Lãng", "gomphulang", None),
    ("", "enterprise", "Công ty CP Cơ khí Chính xác Yên Phong", "cokhiyenphong", None),
    ("", "enterprise", "Công ty CP Nông sản sạch Lục Ngạn", "nongsanlucngan", None),
    ("", "enterprise", "Công ty CP Môi trường Xanh Kinh Bắc", "moitruongxanh", None),
    ("", "enterprise", "Công ty CP Đồ gỗ Mỹ nghệ Đồng Kỵ", "dogodongky", None),
    ("", "enterprise", "Công ty CP Vật liệu Xây dựng Tiên Sơn", "vlxdtienson", None),
    ("D1", "department", "Sở Y tế tỉnh Bắc Ninh", "soyte", None),
    ("D2", "department", "Sở Giáo dục và Đào tạo tỉnh Bắc Ninh", "sogddt", 5),
    ("D3", "department", "Sở Khoa học và Công nghệ tỉnh Bắc Ninh", "sokhcn", None),
    ("", "department", "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh", "sonnmt", None),
    ("", "department", "Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Ninh", "sovhttdl", None),
    ("", "department", "Sở Công Thương tỉnh Bắc Ninh", "socongthuong", None),
    ("", "department", "Sở Xây dựng tỉnh Bắc Ninh", "soxaydung", None),
    ("", "department", "Sở Nội vụ tỉnh Bắc Ninh", "sonoivu", None),
    ("", "department", "Sở Tài chính tỉnh Bắc Ninh", "sotaichinh", None),
    ("", "department", "Ban Quản lý các khu công nghiệp tỉnh Bắc Ninh", "bqlkcn", None),
    ("C1", "commune", "UBND phường Kinh Bắc", "ubnd.kinhbac", 1),
    ("C2", "commune", "UBND xã Sơn Động", "ubnd.sondong", 2),
    ("C3", "commune", "UBND xã Lục Ngạn", "ubnd.lucngan", None),
    ("", "commune", "UBND phường Từ Sơn", "ubnd.tuson", 1),
    ("", "commune", "UBND phường Võ Cường", "ubnd.vocuong", None),
    ("", "commune", "UBND phường Thuận Thành", "ubnd.thuanthanh", None),
    ("", "commune", "UBND phường Bắc Giang", "ubnd.bacgiang", None),
    ("", "commune", "UBND phường Chũ", "ubnd.chu", None),
    ("", "commune", "UBND xã Gia Bình", "ubnd.giabinh", None),
    ("", "commune", "UBND xã Tiên Du", "ubnd.tiendu", None),
)

CONTACT_ROLES = {
    "association": "Chánh Văn phòng Hội",
    "institute": "Trưởng phòng Quản lý khoa học",
    "university": "Trưởng phòng Khoa học công nghệ và Hợp tác quốc tế",
    "enterprise": "Trưởng phòng Hành chính - Nhân sự",
    "department": "Chánh Văn phòng Sở",
    "commune": "Phó Chủ tịch UBND",
}
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Bùi", "Đặng", "Thân",
                "Đào", "Hà", "Chu", "Nghiêm")
MALE_NAMES = (("Văn", "Hùng"), ("Đức", "Mạnh"), ("Quang", "Trung"), ("Văn", "Tuấn"), ("Minh", "Hải"),
              ("Hữu", "Nghĩa"), ("Xuân", "Trường"), ("Tiến", "Dũng"), ("Văn", "Cường"), ("Thế", "Anh"))
FEMALE_NAMES = (("Thị", "Hương"), ("Thị Thu", "Hà"), ("Thị Minh", "Huệ"), ("Thị", "Lan"), ("Thanh", "Thủy"),
                ("Thị Kim", "Dung"), ("Thị Hồng", "Nhung"), ("Thị", "Oanh"), ("Ngọc", "Mai"), ("Thị Bích", "Liên"))
STREETS = ("Lý Thái Tổ", "Nguyễn Đăng Đạo", "Ngô Gia Tự", "Trần Hưng Đạo", "Huyền Quang", "Lê Thái Tổ",
           "Nguyễn Gia Thiều", "Hoàng Văn Thụ", "Xương Giang", "Nguyễn Văn Cừ")
WARDS = ("phường Kinh Bắc", "phường Võ Cường", "phường Vũ Ninh", "phường Từ Sơn", "phường Bắc Giang",
         "phường Đa Mai", "phường Quế Võ", "phường Thuận Thành")

# --------------------------------------------------------------------------- accounts

STAFF = (  # (email, full name, role, is_chair)
    (ADMIN_EMAIL, "Trần Quốc Hưng", roles.ADMIN, False),
    ("thuky@demo.example", "Nguyễn Thị Thu Trang", roles.SECRETARIAT, False),
    ("thuky2@demo.example", "Lê Minh Đức", roles.SECRETARIAT, False),
    ("hoidong1@demo.example", "Nguyễn Văn Thịnh", roles.COUNCIL, True),
    ("hoidong2@demo.example", "Trần Thị Mai Hoa", roles.COUNCIL, False),
    ("hoidong3@demo.example", "Phạm Văn Khiêm", roles.COUNCIL, False),
    ("hoidong4@demo.example", "Hoàng Thị Lý", roles.COUNCIL, False),
    ("hoidong5@demo.example", "Ngô Xuân Lộc", roles.COUNCIL, False),
    ("hoidong6@demo.example", "Nông Văn Páo", roles.COUNCIL, False),
    ("hoidong7@demo.example", "Đỗ Thị Ngọc Lan", roles.COUNCIL, False),
)
# One nominator account per coded organisation, in this order: donvi1@demo.example, donvi2@demo.example, ...
NOMINATOR_ORGS = ("A1", "A2", "A3", "I1", "I2", "I3", "U1", "U2", "U3", "E1", "E2", "E3", "D1", "D2", "D3",
                  "C1", "C2", "C3")

# --------------------------------------------------------------------------- nominations

# How each dossier reaches its final state. "return" sends it back for supplement, "resubmit" sends it again.
PLANS = {
    "draft": (),
    "submitted": ("submit",),
    "returned": ("submit", "return"),
    "resubmitted": ("submit", "return", "resubmit"),
    "eligible": ("submit", "eligible"),
    "eligible_after_return": ("submit", "return", "resubmit", "eligible"),
    "ineligible": ("submit", "ineligible"),
}


@dataclass
class Nominee:
    org: str
    field: str
    plan: str
    full_name: str
    gender: str
    dob: date
    ethnicity: str
    hometown: str
    workplace: str
    position: str
    title: str
    degree: str
    summary: str
    achievements: list
    uploads: tuple = ("cv", "endorsement")
    reason: str = ""  # the secretariat's reason (return or ineligible)
    supplement: tuple = ()  # attachment kinds the nominator adds after a return
    supplement_achievement: tuple | None = None  # an achievement added after a return
    overseas: bool = False
    email: str = ""


M, F = "male", "female"
NOMINEES = [
    Nominee("A1", "YD", "eligible", "Nguyễn Thị Minh Nguyệt", F, date(1968, 4, 12), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Bệnh viện Đa khoa tỉnh Bắc Ninh", "Phó Giám đốc, Trưởng khoa Tim mạch",
            "PGS", "TS",
            "Hơn 30 năm công tác trong lĩnh vực tim mạch. Chủ nhiệm 2 đề tài cấp tỉnh về can thiệp mạch vành; "
            "triển khai thành công kỹ thuật đặt stent động mạch vành tại tuyến tỉnh, giúp hàng nghìn người bệnh "
            "không phải chuyển tuyến trung ương. Hướng dẫn 12 học viên cao học, bác sĩ chuyên khoa II.",
            [("project", 2019, "Nghiên cứu ứng dụng kỹ thuật can thiệp động mạch vành qua da tại Bệnh viện Đa khoa tỉnh Bắc Ninh",
              "Đề tài cấp tỉnh, chủ nhiệm; nghiệm thu xếp loại Xuất sắc năm 2021."),
             ("publication", 2022, "Kết quả can thiệp mạch vành qua đường động mạch quay ở bệnh nhân nhồi máu cơ tim cấp",
              "Tạp chí Tim mạch học Việt Nam, tác giả chính."),
             ("award", 2023, "Danh hiệu Thầy thuốc ưu tú", "Chủ tịch nước phong tặng.")],
            uploads=("cv", "endorsement", "evidence"), email="nguyet.ntm@" + EMAIL_DOMAIN),
    Nominee("A1", "YD", "submitted", "Hoàng Văn Thắng", M, date(1972, 9, 3), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Bệnh viện Sản - Nhi tỉnh Bắc Ninh", "Trưởng khoa Hồi sức sơ sinh", "", "TS",
            "Người dân tộc Tày đầu tiên của huyện Sơn Động (cũ) bảo vệ luận án tiến sĩ y học. Xây dựng đơn vị hồi "
            "sức sơ sinh tuyến tỉnh, góp phần giảm tỷ lệ tử vong trẻ sinh non; thường xuyên khám chữa bệnh "
            "miễn phí cho trẻ em vùng đồng bào dân tộc thiểu số.",
            [("project", 2020, "Ứng dụng thở áp lực dương liên tục (CPAP) trong điều trị suy hô hấp sơ sinh",
              "Đề tài cấp cơ sở, chủ nhiệm."),
             ("publication", 2023, "Đặc điểm lâm sàng và kết quả điều trị trẻ sinh non dưới 32 tuần tuổi thai",
              "Tạp chí Nhi khoa."),
             ("award", 2024, "Bằng khen của Bộ trưởng Bộ Y tế", "")],
            email="thang.hv@" + EMAIL_DOMAIN),
    # The same person, nominated a second time by the Department of Health: a duplicate for the secretariat.
    Nominee("D1", "YD", "submitted", "Hoàng Văn Thắng", M, date(1972, 9, 3), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Bệnh viện Sản - Nhi tỉnh Bắc Ninh", "Trưởng khoa Hồi sức sơ sinh", "", "TS",
            "Bác sĩ tiêu biểu ngành Y tế tỉnh; có nhiều đóng góp trong chăm sóc sức khỏe bà mẹ, trẻ em, đặc biệt "
            "ở các xã miền núi.",
            [("project", 2020, "Ứng dụng thở áp lực dương liên tục (CPAP) trong điều trị suy hô hấp sơ sinh",
              "Đề tài cấp cơ sở."),
             ("award", 2024, "Bằng khen của Bộ trưởng Bộ Y tế", "")],
            email="thang.hv@" + EMAIL_DOMAIN),
    Nominee("A1", "YD", "returned", "Lê Thị Hồng Vân", F, date(1979, 11, 22), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trung tâm Kiểm soát bệnh tật tỉnh Bắc Ninh",
            "Trưởng khoa Phòng chống bệnh truyền nhiễm", "", "TS",
            "Chỉ đạo chuyên môn công tác phòng chống dịch COVID-19, sốt xuất huyết trên địa bàn tỉnh; xây dựng hệ "
            "thống giám sát dịch tễ dựa vào cộng đồng.",
            [("project", 2021, "Xây dựng mô hình giám sát sốt xuất huyết Dengue dựa vào cộng đồng tại Bắc Ninh",
              "Đề tài cấp tỉnh."),
             ("publication", 2022, "Đặc điểm dịch tễ học COVID-19 tại tỉnh Bắc Ninh năm 2021", "Tạp chí Y học dự phòng.")],
            uploads=("cv",),
            reason="Thiếu bản sao bằng Tiến sĩ và xác nhận của cơ quan chủ trì đối với đề tài cấp tỉnh đã kê khai. "
                   "Đề nghị đơn vị bổ sung."),
    Nominee("A2", "VH", "eligible", "Đỗ Thị Thu Hằng", F, date(1970, 2, 15), "Kinh",
            "Phường Võ Cường, tỉnh Bắc Ninh", "Nhà hát Dân ca Quan họ Bắc Ninh", "Nghệ sĩ, Phó Trưởng đoàn Nghệ thuật",
            "", "DH",
            "Nghệ sĩ ưu tú, hơn 30 năm biểu diễn và truyền dạy dân ca Quan họ; trực tiếp truyền dạy cho hơn 200 "
            "học viên tại các làng Quan họ gốc; tham gia biểu diễn quảng bá di sản tại nhiều quốc gia.",
            [("award", 2019, "Danh hiệu Nghệ sĩ ưu tú", "Chủ tịch nước phong tặng."),
             ("work", 2021, "Album \"Quan họ lời cổ\"", "Sưu tầm, phục dựng 24 làn điệu cổ."),
             ("award", 2022, "Huy chương Vàng Liên hoan Dân ca toàn quốc", "")]),
    Nominee("A2", "VH", "draft", "Ngô Quang Vinh", M, date(1958, 6, 30), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Hội Văn học Nghệ thuật tỉnh Bắc Ninh", "Hội viên, nhà văn", "", "DH",
            "Tác giả 6 tiểu thuyết và nhiều tập truyện ngắn về đất và người Kinh Bắc.",
            [("work", 2018, "Tiểu thuyết \"Bến sông Cầu\"", "Nhà xuất bản Hội Nhà văn."),
             ("award", 2020, "Giải A Giải thưởng Văn học Nghệ thuật tỉnh Bắc Ninh", "")],
            uploads=("cv",)),
    Nominee("A2", "VH", "ineligible", "Trần Minh Đức", M, date(1985, 3, 8), "Kinh",
            "Phường Thuận Thành, tỉnh Bắc Ninh", "Xưởng tranh dân gian Đông Hồ", "Họa sĩ", "", "DH",
            "Sáng tác tranh theo phong cách dân gian Đông Hồ, tham gia một số triển lãm nhóm.",
            [("work", 2023, "Bộ tranh \"Sắc màu Kinh Bắc\"", "Triển lãm nhóm tại Bắc Ninh.")],
            reason="Người được đề cử chưa có giải thưởng hoặc thành tích cấp tỉnh trở lên theo tiêu chuẩn của Quy định; "
                   "hồ sơ không đáp ứng tiêu chí đối tượng xét tôn vinh."),
    Nominee("A3", "XH", "eligible", "Phạm Đức Thịnh", M, date(1956, 12, 1), "Kinh",
            "Phường Thuận Thành, tỉnh Bắc Ninh", "Hội Khoa học Lịch sử tỉnh Bắc Ninh", "Phó Chủ tịch Hội", "PGS", "TS",
            "Nhiều năm nghiên cứu lịch sử, văn hóa vùng Kinh Bắc; chủ biên các công trình về trung tâm Luy Lâu; "
            "tham gia xây dựng hồ sơ khoa học xếp hạng nhiều di tích quốc gia đặc biệt của tỉnh.",
            [("publication", 2017, "Luy Lâu - trung tâm chính trị, kinh tế, văn hóa cổ của Việt Nam", "Sách chuyên khảo, chủ biên."),
             ("project", 2020, "Hồ sơ khoa học di tích quốc gia đặc biệt chùa Dâu - Luy Lâu", "Chủ trì biên soạn."),
             ("award", 2022, "Giải Ba Giải thưởng Sách quốc gia", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("A3", "XH", "resubmitted", "Nguyễn Thị Lan Anh", F, date(1983, 7, 19), "Kinh",
            "Phường Bắc Giang, tỉnh Bắc Ninh", "Bảo tàng tỉnh Bắc Ninh", "Phó Giám đốc", "", "TS",
            "Chủ trì số hóa hơn 15.000 hiện vật; xây dựng bảo tàng số về văn hóa Kinh Bắc và Xứ Bắc.",
            [("project", 2022, "Số hóa và xây dựng cơ sở dữ liệu hiện vật Bảo tàng tỉnh", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("publication", 2024, "Bảo tàng số: kinh nghiệm quốc tế và khả năng áp dụng tại địa phương", "Tạp chí Di sản văn hóa.")],
            uploads=("cv",),
            reason="Bản tóm tắt thành tích chưa có xác nhận của thủ trưởng đơn vị. Đề nghị bổ sung công văn đề cử có "
                   "chữ ký, đóng dấu.",
            supplement=("endorsement",)),
    Nominee("I1", "NN", "eligible", "Nông Văn Tuyến", M, date(1966, 5, 20), "Nùng",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Viện trưởng", "PGS", "TS",
            "Chủ trì xây dựng quy trình sản xuất vải thiều Lục Ngạn theo tiêu chuẩn GlobalGAP, góp phần mở rộng "
            "xuất khẩu sang Nhật Bản, Hoa Kỳ, EU; chuyển giao kỹ thuật cho hơn 3.000 hộ nông dân.",
            [("project", 2018, "Nghiên cứu quy trình sản xuất vải thiều Lục Ngạn theo tiêu chuẩn GlobalGAP", "Đề tài cấp tỉnh."),
             ("patent", 2021, "Quy trình xử lý ra hoa vải thiều bằng khoanh vỏ kết hợp dinh dưỡng qua lá",
              "Bằng độc quyền giải pháp hữu ích."),
             ("publication", 2022, "Ảnh hưởng của biện pháp tỉa cành đến năng suất vải thiều", "Tạp chí Nông nghiệp và Phát triển nông thôn."),
             ("award", 2023, "Giải Nhất Hội thi Sáng tạo kỹ thuật tỉnh", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("I1", "NN", "returned", "Lương Thị Mai", F, date(1988, 10, 2), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Trưởng phòng Bảo vệ thực vật", "", "ThS",
            "Nghiên cứu biện pháp phòng trừ sâu bệnh tổng hợp (IPM) trên cây có múi, giảm 30% lượng thuốc bảo vệ thực vật.",
            [("project", 2023, "Ứng dụng IPM trên cây cam, bưởi tại các hợp tác xã vùng Lục Ngạn", "Đề tài cấp cơ sở, chủ nhiệm.")],
            reason="Đề nghị bổ sung minh chứng chuyển giao kết quả nghiên cứu (hợp đồng, biên bản nghiệm thu) cho các "
                   "hợp tác xã đã nêu."),
    Nominee("I1", "NN", "draft", "Chu Văn Sơn", M, date(1990, 1, 25), "Nùng",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Nghiên cứu viên", "", "ThS",
            "",
            [("publication", 2024, "Đánh giá tập đoàn giống nhãn muộn tại Lục Ngạn", "Báo cáo hội thảo.")],
            uploads=()),
    Nominee("I2", "KTCN", "eligible", "Nguyễn Hữu Tùng", M, date(1975, 8, 14), "Kinh",
            "Xã Tiên Du, tỉnh Bắc Ninh", "Viện Công nghệ Vật liệu Kinh Bắc", "Phó Viện trưởng", "PGS", "TS",
            "Chủ trì nghiên cứu và thương mại hóa lớp phủ nano chống ăn mòn cho kết cấu thép, được ứng dụng tại "
            "nhiều nhà máy trong các khu công nghiệp của tỉnh.",
            [("patent", 2019, "Lớp phủ nano chống ăn mòn cho kết cấu thép", "Bằng độc quyền sáng chế."),
             ("publication", 2021, "Nano-silica reinforced epoxy coatings for steel corrosion protection",
              "Tạp chí quốc tế thuộc danh mục SCIE."),
             ("project", 2022, "Hoàn thiện công nghệ sản xuất sơn phủ nano quy mô công nghiệp", "Dự án cấp tỉnh, chủ nhiệm.")]),
    Nominee("I2", "KHTN", "submitted", "Phan Thị Ngọc Ánh", F, date(1986, 12, 9), "Kinh",
            "Xã Tiên Du, tỉnh Bắc Ninh", "Viện Công nghệ Vật liệu Kinh Bắc", "Nghiên cứu viên chính", "", "TS",
            "Nghiên cứu vật liệu quang xúc tác xử lý nước thải làng nghề; 9 bài báo quốc tế, trong đó 5 bài Q1.",
            [("publication", 2023, "Vật liệu quang xúc tác g-C3N4 biến tính xử lý thuốc nhuộm trong nước thải dệt nhuộm",
              "Tạp chí quốc tế Q1, tác giả liên hệ."),
             ("award", 2024, "Giải thưởng Nhà khoa học nữ triển vọng tỉnh Bắc Ninh", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("I3", "XH", "ineligible", "Vũ Đình Lâm", M, date(1962, 4, 4), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Viện Nghiên cứu Văn hóa Kinh Bắc", "Nghiên cứu viên cao cấp", "", "TS",
            "Nghiên cứu tín ngưỡng dân gian và lễ hội truyền thống vùng Kinh Bắc.",
            [("publication", 2019, "Lễ hội truyền thống vùng Kinh Bắc", "Sách chuyên khảo.")],
            reason="Người được đề cử đã được tôn vinh danh hiệu Trí thức Bắc Ninh tiêu biểu năm 2023; theo Quy định "
                   "chưa đủ thời gian để xét lại."),
    Nominee("I3", "VH", "submitted", "Hà Thị Phương", F, date(1980, 6, 11), "Sán Dìu",
            "Xã Lục Nam, tỉnh Bắc Ninh", "Viện Nghiên cứu Văn hóa Kinh Bắc", "Nghiên cứu viên", "", "ThS",
            "Sưu tầm, biên dịch và phục dựng hát soọng cô của người Sán Dìu; mở lớp truyền dạy cho thanh thiếu niên "
            "tại 5 xã vùng đồng bào.",
            [("publication", 2020, "Hát soọng cô của người Sán Dìu ở Bắc Ninh", "Sách sưu tầm, biên dịch."),
             ("project", 2022, "Bảo tồn và phát huy dân ca Sán Dìu trong cộng đồng", "Dự án cấp tỉnh, thư ký khoa học.")]),
    Nominee("U1", "KTCN", "eligible", "Trịnh Quốc Bảo", M, date(1978, 3, 27), "Kinh",
            "Phường Vũ Ninh, tỉnh Bắc Ninh", "Trường Đại học Kinh Bắc", "Trưởng khoa Công nghệ thông tin", "", "TS",
            "Chủ trì xây dựng nền tảng trợ lý ảo hỗ trợ người dân sử dụng dịch vụ công trực tuyến; đào tạo hơn "
            "1.000 kỹ sư công nghệ thông tin cho các doanh nghiệp trong tỉnh.",
            [("project", 2021, "Trợ lý ảo tiếng Việt hỗ trợ dịch vụ công trực tuyến tỉnh Bắc Ninh", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("publication", 2022, "Mô hình ngôn ngữ cho truy vấn hành chính tiếng Việt", "Kỷ yếu hội nghị quốc tế."),
             ("award", 2023, "Bằng khen của Chủ tịch UBND tỉnh", "")]),
    Nominee("U1", "GD", "eligible_after_return", "Nguyễn Thị Hải Yến", F, date(1974, 9, 9), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Trường Đại học Kinh Bắc", "Phó Hiệu trưởng", "PGS", "TS",
            "Chủ trì đổi mới chương trình đào tạo theo chuẩn đầu ra; hướng dẫn 3 nghiên cứu sinh bảo vệ thành công.",
            [("publication", 2020, "Đánh giá năng lực người học trong giáo dục đại học", "Giáo trình, chủ biên."),
             ("project", 2022, "Phát triển chương trình đào tạo gắn với nhu cầu doanh nghiệp khu công nghiệp", "Đề tài cấp bộ, chủ nhiệm.")],
            reason="Lý lịch khoa học chưa cập nhật danh mục công trình giai đoạn 2021-2025. Đề nghị bổ sung.",
            supplement=("cv",),
            supplement_achievement=("publication", 2024, "Chuyển đổi số trong quản trị trường đại học",
                                    "Tạp chí Giáo dục, tác giả chính.")),
    Nominee("U1", "KTCN", "draft", "Đặng Minh Khôi", M, date(1992, 11, 30), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trường Đại học Kinh Bắc", "Giảng viên", "", "ThS",
            "Nghiên cứu thị giác máy tính ứng dụng kiểm tra lỗi sản phẩm điện tử.",
            [("publication", 2024, "Phát hiện lỗi bo mạch bằng học sâu", "Kỷ yếu hội nghị.")],
            uploads=()),
    Nominee("U2", "NN", "eligible", "Hoàng Thị Thu Trang", F, date(1981, 2, 18), "Tày",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Trường Đại học Nông Lâm Bắc Giang", "Trưởng khoa Nông học", "", "TS",
            "Chọn tạo và phục tráng giống lúa nếp cái hoa vàng, giống lúa chịu hạn cho vùng đồi; chủ trì 4 đề tài cấp tỉnh.",
            [("project", 2019, "Phục tráng giống lúa nếp cái hoa vàng đặc sản", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("project", 2022, "Chọn tạo giống lúa chịu hạn cho vùng đồi núi", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("award", 2024, "Giải Nhì Giải thưởng Sáng tạo Khoa học Công nghệ Việt Nam", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("U2", "NN", "ineligible", "Dương Văn Hiếu", M, date(1969, 7, 7), "Kinh",
            "Phường Đa Mai, tỉnh Bắc Ninh", "Trường Đại học Nông Lâm Bắc Giang", "Trưởng phòng Hành chính", "", "ThS",
            "Nhiều năm làm công tác quản lý hành chính của nhà trường.",
            [("award", 2021, "Giấy khen của Hiệu trưởng", "")],
            reason="Thành tích chủ yếu về quản lý hành chính, không có công trình khoa học hoặc sáng kiến được công "
                   "nhận; không phù hợp lĩnh vực đề cử."),
    Nominee("U2", "KHTN", "resubmitted", "Triệu Thị Hoa", F, date(1987, 5, 5), "Dao",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Trường Đại học Nông Lâm Bắc Giang", "Giảng viên chính, Bộ môn Sinh học",
            "", "TS",
            "Nghiên cứu đa dạng sinh học và cây thuốc của người Dao tại khu bảo tồn Tây Yên Tử; 6 bài báo quốc tế.",
            [("publication", 2021, "Ethnobotany of medicinal plants used by the Dao people in Tay Yen Tu", "Tạp chí quốc tế SCIE."),
             ("project", 2023, "Bảo tồn nguồn gen cây thuốc quý vùng Tây Yên Tử", "Đề tài cấp tỉnh, thư ký.")],
            reason="Đề nghị bổ sung bản dịch tiếng Việt có xác nhận đối với các bài báo quốc tế đã kê khai.",
            supplement=("evidence",)),
    Nominee("U3", "KTCN", "submitted", "Phạm Quang Huy", M, date(1979, 1, 5), "Kinh",
            "Phường Quế Võ, tỉnh Bắc Ninh",
            "Đại học Quốc gia Seoul (Hàn Quốc); giảng viên thỉnh giảng Trường Đại học Công nghệ Đông Á",
            "Nghiên cứu viên cao cấp", "", "TS",
            "Trí thức người Việt Nam ở nước ngoài, chuyên gia thiết kế vi mạch; phối hợp mở chương trình đào tạo kỹ "
            "sư bán dẫn tại Bắc Ninh, kết nối doanh nghiệp Hàn Quốc đặt hàng nghiên cứu.",
            [("publication", 2022, "Low-power SRAM design for edge AI accelerators", "IEEE Transactions, tác giả chính."),
             ("patent", 2023, "Mạch nhớ tiết kiệm năng lượng", "Bằng sáng chế tại Hàn Quốc, đồng tác giả."),
             ("project", 2024, "Chương trình đào tạo kỹ sư thiết kế vi mạch tỉnh Bắc Ninh", "Chuyên gia tư vấn.")],
            overseas=True, email="huy.pq@" + EMAIL_DOMAIN),
    Nominee("U3", "GD", "returned", "Ngô Thị Bích Ngọc", F, date(1990, 8, 21), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trường Đại học Công nghệ Đông Á", "Trưởng bộ môn Ngoại ngữ", "", "ThS",
            "Xây dựng chương trình tiếng Hàn cho lao động các khu công nghiệp, đào tạo miễn phí cho hơn 800 công nhân.",
            [("project", 2023, "Chương trình tiếng Hàn cho công nhân khu công nghiệp", "Chủ nhiệm."),
             ("award", 2024, "Bằng khen của Liên đoàn Lao động tỉnh", "")],
            reason="Hồ sơ thiếu ảnh chân dung và bản sao các quyết định khen thưởng đã kê khai."),
    Nominee("E1", "YD", "eligible", "Trần Văn Lực", M, date(1965, 1, 17), "Kinh",
            "Phường Vũ Ninh, tỉnh Bắc Ninh", "Công ty CP Dược phẩm Kinh Bắc", "Tổng Giám đốc", "", "TS",
            "Đưa nhà máy đạt chuẩn EU-GMP; phát triển 12 sản phẩm từ dược liệu trồng tại tỉnh, bao tiêu cho hơn "
            "500 hộ trồng dược liệu.",
            [("patent", 2020, "Quy trình bào chế viên nang cứng từ cao chiết đinh lăng", "Bằng độc quyền giải pháp hữu ích."),
             ("award", 2022, "Giải Vàng Giải thưởng Chất lượng quốc gia", "Thủ tướng Chính phủ trao tặng.")]),
    Nominee("E1", "YD", "draft", "Bùi Thị Thanh Tâm", F, date(1991, 4, 28), "Kinh",
            "Xã Tiên Du, tỉnh Bắc Ninh", "Công ty CP Dược phẩm Kinh Bắc", "Trưởng phòng Nghiên cứu và Phát triển", "",
            "ThS",
            "Nghiên cứu bào chế thuốc dạng phóng thích kéo dài.",
            [("project", 2024, "Bào chế viên nén metformin phóng thích kéo dài", "Đề tài cấp cơ sở.")],
            uploads=("cv",)),
    Nominee("E2", "KTCN", "resubmitted", "Vũ Văn Quyết", M, date(1982, 6, 6), "Kinh",
            "Phường Quế Võ, tỉnh Bắc Ninh", "Công ty CP Công nghệ Điện tử Quế Võ", "Giám đốc kỹ thuật", "", "ThS",
            "Chủ trì 5 sáng kiến cải tiến dây chuyền lắp ráp, tiết kiệm hơn 20 tỷ đồng mỗi năm; làm chủ công nghệ "
            "kiểm tra quang học tự động (AOI).",
            [("patent", 2022, "Đồ gá định vị bo mạch cho máy dán linh kiện tự động", "Giải pháp hữu ích."),
             ("award", 2023, "Giải Nhì Hội thi Sáng tạo kỹ thuật tỉnh Bắc Ninh", "")],
            reason="Giải pháp hữu ích kê khai chưa có bản sao văn bằng bảo hộ. Đề nghị bổ sung.",
            supplement=("evidence",)),
    Nominee("E2", "KTCN", "submitted", "Đinh Công Khải", M, date(1989, 9, 15), "Mường",
            "Xã Tân Lạc, tỉnh Phú Thọ", "Công ty CP Công nghệ Điện tử Quế Võ", "Trưởng nhóm tự động hóa dây chuyền SMT",
            "", "DH",
            "Thiết kế và đưa vào vận hành 8 trạm robot cộng tác trên dây chuyền SMT, nâng năng suất 25%.",
            [("project", 2023, "Tự động hóa công đoạn kiểm tra và đóng gói bo mạch", "Dự án cấp doanh nghiệp, chủ nhiệm."),
             ("award", 2024, "Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam", "")]),
    Nominee("E3", "NN", "submitted", "Nguyễn Văn Thành", M, date(1961, 11, 11), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Công ty CP Giống cây trồng Bắc Ninh", "Chủ tịch Hội đồng quản trị", "", "TS",
            "Chọn tạo 4 giống lúa thuần chất lượng cao được công nhận giống quốc gia; diện tích gieo cấy hằng năm "
            "trên 30.000 ha tại các tỉnh phía Bắc.",
            [("project", 2017, "Chọn tạo giống lúa thuần chất lượng BN-68", "Giống được công nhận chính thức."),
             ("award", 2020, "Giải thưởng Bông lúa vàng Việt Nam", ""),
             ("publication", 2021, "Kết quả chọn tạo giống lúa thơm chịu mặn", "Tạp chí Khoa học Công nghệ Nông nghiệp Việt Nam.")]),
    Nominee("E3", "NN", "draft", "Ninh Thị Hằng", F, date(1993, 3, 3), "Sán Chay",
            "Xã Yên Thế, tỉnh Bắc Ninh", "Công ty CP Giống cây trồng Bắc Ninh", "Kỹ sư chọn tạo giống", "", "ThS",
            "",
            [("project", 2025, "Khảo nghiệm giống ngô lai chịu hạn", "Thành viên chính.")],
            uploads=()),
    # Last year's honouree Hoàng Văn Sơn (demo_stages), typed without diacritics: a second person record with the
    # same birth date, for the secretariat's duplicates and merge screens (/tri-thuc/duplicates).
    Nominee("E3", "NN", "submitted", "Hoang Van Son", M, date(1968, 9, 3), "Tày",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Viện trưởng", "", "TS",
            "Phối hợp với doanh nghiệp chuyển giao giống vải chín sớm cho 1.200 hộ trồng vải, xây dựng chuỗi liên "
            "kết tiêu thụ vải an toàn.",
            [("project", 2024, "Chuyển giao giống vải chín sớm cho vùng vải Lục Ngạn", "Chủ nhiệm.")]),
    Nominee("D1", "YD", "ineligible", "Nguyễn Đức Long", M, date(1957, 2, 2), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Nguyên Giám đốc Trung tâm Y tế huyện Yên Phong (cũ)", "Đã nghỉ hưu",
            "", "ThS",
            "Nhiều năm công tác quản lý y tế tuyến huyện.",
            [("award", 2015, "Huân chương Lao động hạng Ba", "")],
            reason="Không thuộc đối tượng: đã nghỉ hưu nhiều năm và không còn hoạt động chuyên môn; thành tích kê khai "
                   "nằm ngoài thời gian xét (5 năm gần nhất)."),
    Nominee("D2", "GD", "eligible", "Đào Thị Kim Oanh", F, date(1971, 10, 20), "Kinh",
            "Phường Võ Cường, tỉnh Bắc Ninh", "Trường THPT Chuyên Bắc Ninh", "Hiệu trưởng", "", "TS",
            "Trực tiếp bồi dưỡng đội tuyển học sinh giỏi quốc gia môn Hóa học nhiều năm liền; có học sinh đạt Huy "
            "chương Vàng Olympic Hóa học quốc tế.",
            [("award", 2021, "Danh hiệu Nhà giáo ưu tú", "Chủ tịch nước phong tặng."),
             ("award", 2023, "Bằng khen của Thủ tướng Chính phủ", ""),
             ("publication", 2022, "Chuyên đề bồi dưỡng học sinh giỏi Hóa học hữu cơ", "Sách tham khảo, chủ biên.")]),
    Nominee("D2", "GD", "submitted", "Hà Văn Chung", M, date(1976, 12, 12), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Trường Phổ thông Dân tộc nội trú tỉnh Bắc Ninh", "Phó Hiệu trưởng", "", "ThS",
            "Xây dựng mô hình giáo dục song ngữ Việt - Tày và ký túc xá kiểu mẫu; tỷ lệ học sinh dân tộc thiểu số "
            "đỗ đại học tăng từ 45% lên 78%.",
            [("project", 2022, "Mô hình trường nội trú gắn với bảo tồn văn hóa dân tộc", "Sáng kiến cấp tỉnh."),
             ("award", 2024, "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo", "")]),
    Nominee("D2", "GD", "returned", "Phùng Thị Thanh Xuân", F, date(1985, 1, 9), "Kinh",
            "Xã Yên Phong, tỉnh Bắc Ninh", "Trường THCS Yên Phong", "Giáo viên Toán", "", "ThS",
            "Bồi dưỡng học sinh giỏi Toán cấp tỉnh, cấp quốc gia; tác giả 3 sáng kiến kinh nghiệm cấp tỉnh.",
            [("award", 2023, "Giáo viên dạy giỏi cấp tỉnh", ""),
             ("work", 2024, "Sáng kiến \"Dạy học Toán gắn với thực tiễn\"", "Công nhận cấp tỉnh.")],
            reason="Đề nghị bổ sung bản sao giấy chứng nhận giải của học sinh và quyết định công nhận sáng kiến kinh "
                   "nghiệm cấp tỉnh."),
    Nominee("D3", "KHTN", "eligible", "Nguyễn Quang Minh", M, date(1963, 5, 25), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Viện Toán học, Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
            "Nghiên cứu viên cao cấp", "GS", "TSKH",
            "Chuyên gia tối ưu hóa và toán ứng dụng; hơn 80 công trình quốc tế; tư vấn xây dựng mô hình dự báo "
            "nhu cầu nhân lực cho các khu công nghiệp của tỉnh; hướng dẫn 10 nghiên cứu sinh.",
            [("publication", 2019, "Sách chuyên khảo về tối ưu hóa không trơn", "Nhà xuất bản quốc tế."),
             ("award", 2021, "Giải thưởng Tạ Quang Bửu", ""),
             ("project", 2023, "Mô hình dự báo nhu cầu nhân lực khu công nghiệp tỉnh Bắc Ninh", "Chủ nhiệm, đặt hàng của Sở KH&CN.")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("D3", "KTCN", "eligible_after_return", "Lê Thị Thanh Thủy", F, date(1977, 8, 8), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng tỉnh Bắc Ninh",
            "Giám đốc", "", "TS",
            "Xây dựng phòng thử nghiệm đạt chuẩn ISO/IEC 17025; hỗ trợ hơn 200 doanh nghiệp áp dụng hệ thống quản lý "
            "chất lượng tiên tiến.",
            [("project", 2020, "Nâng cao năng suất chất lượng sản phẩm chủ lực tỉnh Bắc Ninh", "Đề tài cấp bộ."),
             ("project", 2023, "Truy xuất nguồn gốc nông sản bằng mã QR", "Đề tài cấp bộ.")],
            reason="Đề nghị làm rõ vai trò (chủ nhiệm hay thành viên) trong 2 đề tài cấp bộ đã kê khai.",
            supplement=("evidence",),
            supplement_achievement=("award", 2024, "Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ", "")),
    Nominee("D3", "KHTN", "draft", "Thân Đức Trọng", M, date(1994, 2, 14), "Kinh",
            "Phường Bắc Giang, tỉnh Bắc Ninh", "Trung tâm Ứng dụng tiến bộ Khoa học và Công nghệ tỉnh Bắc Ninh",
            "Nghiên cứu viên", "", "ThS",
            "Nghiên cứu chế phẩm vi sinh xử lý phụ phẩm nông nghiệp.",
            [("project", 2025, "Chế phẩm vi sinh xử lý rơm rạ tại ruộng", "Chủ nhiệm đề tài cấp cơ sở.")],
            uploads=("cv",)),
    Nominee("C1", "VH", "resubmitted", "Nguyễn Thị Liên", F, date(1955, 3, 19), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Câu lạc bộ Quan họ làng Diềm", "Nghệ nhân, Chủ nhiệm câu lạc bộ", "", "other",
            "Nghệ nhân Nhân dân, hơn 50 năm gìn giữ lối hát Quan họ cổ; truyền dạy hơn 100 làn điệu cho các thế hệ "
            "liền anh, liền chị.",
            [("award", 2019, "Danh hiệu Nghệ nhân Nhân dân", "Chủ tịch nước phong tặng."),
             ("work", 2020, "Tuyển tập 120 làn điệu Quan họ cổ (ghi âm, ký âm)", "")],
            reason="Đề nghị bổ sung ảnh chân dung và bản sao quyết định phong tặng danh hiệu Nghệ nhân Nhân dân.",
            supplement=("photo", "evidence")),
    Nominee("C2", "NN", "submitted", "Triệu Văn Quý", M, date(1970, 7, 27), "Dao",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Hợp tác xã Dược liệu Yên Tử", "Giám đốc", "", "DH",
            "Phát triển vùng trồng ba kích, khôi nhung dưới tán rừng 120 ha; tạo việc làm ổn định cho 150 hộ đồng "
            "bào Dao, Tày, Nùng.",
            [("project", 2021, "Mô hình trồng ba kích tím dưới tán rừng", "Dự án khuyến nông cấp tỉnh, chủ trì."),
             ("award", 2023, "Nông dân Việt Nam xuất sắc", "Trung ương Hội Nông dân Việt Nam.")]),
    Nominee("C3", "NN", "returned", "Nông Thị Duyên", F, date(1984, 12, 24), "Nùng",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Hợp tác xã Vải thiều Lục Ngạn", "Phó Chủ nhiệm", "", "DH",
            "Dẫn dắt 60 hộ thành viên sản xuất vải thiều theo VietGAP, xây dựng mã số vùng trồng phục vụ xuất khẩu.",
            [("project", 2022, "Cấp mã số vùng trồng vải thiều xuất khẩu", "Chủ trì thực hiện tại hợp tác xã.")],
            reason="Đề nghị bổ sung số liệu minh chứng hiệu quả kinh tế của mô hình (diện tích, sản lượng, số hộ tham "
                   "gia) có xác nhận của hợp tác xã."),
]

# --------------------------------------------------------------------------- files


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return text.encode("ascii", "replace").decode("ascii")


def demo_pdf(lines: list[str]) -> bytes:
    """A small but well-formed one-page PDF (Helvetica, ASCII text), with a correct xref table."""
    def escape(line: str) -> str:
        return _ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 12 Tf 16 TL 72 780 Td " + " T* ".join(f"({escape(line)}) Tj" for line in lines) + " ET"
    stream = content.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_png(size: int = 24) -> bytes:
    """A small grey placeholder portrait (valid PNG)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((180, 186, 194)) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


FILE_TITLES = {
    "cv": "Lý lịch khoa học",
    "endorsement": "Công văn đề cử",
    "evidence": "Minh chứng thành tích",
    "photo": "Ảnh chân dung",
}


def _upload(user, dossier: Dossier, kind: str, nominee: Nominee, organisation_name: str, note: str = "") -> None:
    title = FILE_TITLES[kind]
    if kind == "photo":
        stream, filename = io.BytesIO(demo_png()), f"{title} - {nominee.full_name}.png"
    else:
        lines = ["Tri thuc Bac Ninh tieu bieu 2026", f"{title}: {nominee.full_name}",
                 f"Don vi de cu: {organisation_name}", f"Noi cong tac: {nominee.workplace}"]
        lines += [f"- {a[1]}: {a[2]}" for a in nominee.achievements] if kind == "evidence" else []
        lines += [note] if note else []
        lines.append("Tai lieu mau (du lieu demo), khong co gia tri phap ly.")
        stream, filename = io.BytesIO(demo_pdf(lines)), f"{title} - {nominee.full_name}{note and ' (bổ sung)'}.pdf"
    services.add_attachment(user, dossier, stream, filename, kind)


# --------------------------------------------------------------------------- seeding


def seed() -> list[str]:
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)):
        return [f"Demo data already present ({ADMIN_EMAIL} exists); nothing to do."]
    emails = [s[0] for s in STAFF] + [f"donvi{i}@demo.example" for i in range(1, len(NOMINATOR_ORGS) + 1)]
    taken = db.session.scalars(select(User.email).where(User.email.in_(emails))).all()
    if taken:
        raise click.ClickException(f"Cannot load the demo: these accounts already exist: {', '.join(sorted(taken))}.")
    check_password_policy(DEMO_PASSWORD)

    now = clock.now()
    rng = random.Random(2026)  # nosec B311 # reproducible demo data, not a secret
    round_ = _seed_round(now)
    organisations = _seed_organisations(now, rng)
    accounts = _seed_accounts(now, organisations)
    _seed_dossiers(now, rng, round_, organisations, accounts)
    seed_council(round_, accounts, organisations)
    past_round = seed_published_round(accounts, organisations, demo_pdf)
    seed_talent(accounts, organisations, demo_pdf)
    # The workflow queued real notifications; demo data must never e-mail anybody.
    db.session.execute(delete(OutboxMessage))
    people_linking.link_unlinked()  # person records of anything seeded without going through submission
    db.session.commit()
    return _report(round_, past_round, accounts)


def _seed_round(now: datetime) -> Round:
    opens = (now - timedelta(days=30)).replace(hour=7, minute=30, second=0, microsecond=0)
    closes = (now + timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0)
    review_closes = closes + timedelta(days=30)
    data = RoundData(
        name=ROUND_NAME, programme="honours", year=2026,
        description=("Đợt xét, tôn vinh \"Trí thức Bắc Ninh tiêu biểu\" năm 2026 theo Kế hoạch của UBND tỉnh thực "
                     "hiện Quyết định số 2711/QĐ-TTg. Các cơ quan, đơn vị, hội nghề nghiệp, viện nghiên cứu, trường "
                     "đại học, doanh nghiệp và UBND xã, phường đề cử trí thức có thành tích tiêu biểu trong 5 năm "
                     "gần nhất. Bảo đảm tối thiểu 40% phụ nữ và người thuộc các nhóm thiểu số."),
        nominations_open_at=opens, nominations_close_at=closes, review_close_at=review_closes,
        council_date=(review_closes + timedelta(days=10)).date(),
        reviewers_per_dossier=3, quorum_rule="two_thirds", approval_rule="majority",
        fields=[FieldRow(name=name, quota=quota) for _, name, quota in FIELDS],
        criteria=[CriterionRow(name=name, description=description, max_points=Decimal(points), weight=Decimal(weight))
                  for name, description, points, weight in CRITERIA],
    )
    with clock.frozen(opens - timedelta(days=5)):
        return save_round(data)


def _person(rng: random.Random) -> str:
    given = rng.choice(MALE_NAMES if rng.random() < 0.55 else FEMALE_NAMES)
    return f"{rng.choice(FAMILY_NAMES)} {given[0]} {given[1]}"


def _seed_organisations(now: datetime, rng: random.Random) -> dict:
    """All 60 organisations (an existing one with the same name is reused); returns {code: Organisation}."""
    existing = {o.name: o for o in db.session.scalars(select(Organisation))}
    coded = {}
    with clock.frozen(now - timedelta(days=40)):
        for number, (code, org_type, name, mailbox, limit) in enumerate(ORGANISATIONS):
            organisation = existing.get(name)
            if organisation is None:
                if org_type == "commune":
                    address = f"Trụ sở {name}, tỉnh Bắc Ninh"
                else:
                    address = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Bắc Ninh"
                organisation = Organisation(
                    name=name, org_type=org_type, nomination_limit=limit, address=address,
                    contact_person=f"{_person(rng)} - {CONTACT_ROLES[org_type]}",
                    email=f"{mailbox}@{EMAIL_DOMAIN}",
                    phone=f"0222 3{810 + number:03d} {rng.randint(100, 999)}",
                )
                db.session.add(organisation)
            if code:
                coded[code] = organisation
        db.session.commit()
    return coded


def _seed_accounts(now: datetime, organisations: dict) -> list[User]:
    password_hash = generate_password_hash(DEMO_PASSWORD)  # hashing is slow on purpose: do it once
    accounts = []
    with clock.frozen(now - timedelta(days=38)):
        for email, full_name, role, is_chair in STAFF:
            accounts.append(User(email=email, full_name=full_name, role=role, is_chair=is_chair,
                                 password_hash=password_hash))
        for number, code in enumerate(NOMINATOR_ORGS, start=1):
            organisation = organisations[code]
            contact = organisation.contact_person.split(" - ")[0] or f"Cán bộ đầu mối {number}"
            accounts.append(User(email=f"donvi{number}@demo.example", full_name=contact, role=roles.NOMINATOR,
                                 organisation_id=organisation.id, password_hash=password_hash))
        db.session.add_all(accounts)
        db.session.commit()
    return accounts


def _timeline(now: datetime, rng: random.Random, steps: int) -> list[datetime]:
    """Working-hours moments, one per step plus the creation, at least a day apart, all in the past and
    after the round opened (at most 28 days ago)."""
    gaps = [rng.randint(1, 3) for _ in range(steps)]
    start = rng.randint(sum(gaps) + 1, 28)
    days_ago = [start]
    for gap in gaps:
        days_ago.append(days_ago[-1] - gap)
    return [datetime.combine(now.date() - timedelta(days=d), time(rng.randint(8, 16), rng.randrange(0, 60, 5)))
            for d in days_ago]


def _data(nominee: Nominee, field_ids: dict, with_supplement: bool = False) -> services.DossierData:
    achievements = list(nominee.achievements)
    if with_supplement and nominee.supplement_achievement:
        achievements.append(nominee.supplement_achievement)
    return services.DossierData(
        field_id=field_ids[nominee.field], full_name=nominee.full_name, gender=nominee.gender,
        date_of_birth=nominee.dob, ethnicity=nominee.ethnicity, hometown=nominee.hometown,
        workplace=nominee.workplace, position=nominee.position, academic_title=nominee.title,
        degree=nominee.degree, email=nominee.email, phone="", is_overseas=nominee.overseas,
        merits_summary=nominee.summary,
        achievements=[services.AchievementData(kind, year, title, details) for kind, year, title, details in achievements],
    )


def _seed_dossiers(now: datetime, rng: random.Random, round_: Round, organisations: dict, accounts: list) -> None:
    field_ids = {code: f.id for (code, _, _), f in zip(FIELDS, round_.fields)}
    nominators = {u.organisation_id: u for u in accounts if u.role == roles.NOMINATOR}
    secretaries = [u for u in accounts if u.role == roles.SECRETARIAT]
    for number, nominee in enumerate(NOMINEES):
        organisation = organisations[nominee.org]
        user = nominators[organisation.id]
        secretary = secretaries[number % len(secretaries)]
        plan = PLANS[nominee.plan]
        moments = _timeline(now, rng, len(plan))
        with clock.frozen(moments[0]):
            dossier = services.save_dossier(user, round_, _data(nominee, field_ids))
        for i, kind in enumerate(nominee.uploads, start=1):
            with clock.frozen(moments[0] + timedelta(minutes=4 * i)):
                _upload(user, dossier, kind, nominee, organisation.name)
        for action, at in zip(plan, moments[1:]):
            with clock.frozen(at):
                if action == "submit":
                    services.submit(user, dossier)
                elif action == "return":
                    deadline = datetime.combine(now.date() + timedelta(days=rng.randint(7, 14)), time(17, 0))
                    services.decide(secretary, dossier, "return", nominee.reason, supplement_deadline=deadline)
                elif action == "resubmit":
                    if nominee.supplement_achievement:
                        services.save_dossier(user, round_, _data(nominee, field_ids, with_supplement=True), dossier)
                    for i, kind in enumerate(nominee.supplement):
                        with clock.frozen(at + timedelta(minutes=3 * i)):
                            _upload(user, dossier, kind, nominee, organisation.name, note="Bo sung theo yeu cau")
                    with clock.frozen(at + timedelta(minutes=20)):
                        services.submit(user, dossier)
                elif action == "eligible":
                    services.decide(secretary, dossier, "mark_eligible")
                elif action == "ineligible":
                    services.decide(secretary, dossier, "mark_ineligible", nominee.reason)


def _report(round_: Round, past_round: Round, accounts: list[User]) -> list[str]:
    counts = dict(db.session.execute(
        select(Dossier.state, func.count(Dossier.id)).where(Dossier.round_id == round_.id).group_by(Dossier.state)
    ).all())
    order = (states.DRAFT, states.SUBMITTED, states.RETURNED, states.RESUBMITTED, states.ELIGIBLE, states.INELIGIBLE,
             states.UNDER_REVIEW)
    honoured = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.round_id == past_round.id,
                                                                        Dossier.state == states.PUBLISHED))
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    lines = [
        "Demo data loaded.",
        f"  Round: {round_.name} - nominations open {format_datetime(round_.nominations_open_at)} "
        f"to {format_datetime(round_.nominations_close_at)}; {len(round_.fields)} fields, {len(round_.criteria)} criteria.",
        "  Council: 7 members, reviewers assigned, scoring started (hoidong3 submitted a sheet, hoidong4 has a draft).",
        f"  Published: {past_round.name} - {honoured} honourees on the public list at /vinh-danh.",
        f"  Organisations: {organisations}; accounts: {len(accounts)}.",
        f"  Dossiers: {sum(counts.values())} (" + ", ".join(f"{state} {counts.get(state, 0)}" for state in order) + ").",
        "",
        f"Demo logins (every account uses the password {DEMO_PASSWORD}):",
    ]
    rows = [("Email", "Role", "Organisation", "Password")]
    for user in accounts:
        role = user.role + (" (chair)" if user.is_chair else "")
        rows.append((user.email, role, user.organisation.name if user.organisation else "-", DEMO_PASSWORD))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * width for width in widths))
    return lines
