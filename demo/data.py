"""The demo's tables: this year's round (fields, criteria), the 60 organisations, the staff accounts and the
plans the dossiers follow. Every module of the demo reads its shared constants from here.

All people, e-mail addresses and phone numbers are fictitious.
"""
from honours.core import roles

DEMO_PASSWORD = "Demo@2026bn"  # nosec B105 # demo accounts only, printed by seed-demo
ADMIN_EMAIL = "admin@demo.example"
ROUND_NAME = "Trí thức Bắc Ninh tiêu biểu 2026"
EMAIL_DOMAIN = "bacninh.example"
M, F = "male", "female"  # the genders of the nominee tables

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
    "withdrawn": ("submit", "withdraw"),
    "returned_overdue": ("submit", "return_overdue"),
}
