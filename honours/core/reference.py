"""Official reference lists used by forms, validation and exports.

Labels are Vietnamese source strings (marked for translation); keys are stable identifiers.
"""
from flask_babel import lazy_gettext as _l

# The 54 ethnic groups of Viet Nam (Danh mục các dân tộc Việt Nam, Tổng cục Thống kê).
ETHNICITIES = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
    "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ - Triêng", "Co",
    "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha",
    "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La",
    "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)
MAJORITY_ETHNICITY = "Kinh"

GENDERS = {"male": _l("Nam"), "female": _l("Nữ")}

ACADEMIC_TITLES = {"": _l("Chưa có học hàm"), "GS": _l("Giáo sư (GS)"), "PGS": _l("Phó giáo sư (PGS)")}

DEGREES = {
    "TSKH": _l("Tiến sĩ khoa học (TSKH)"),
    "TS": _l("Tiến sĩ (TS)"),
    "ThS": _l("Thạc sĩ (ThS)"),
    "DH": _l("Đại học (ĐH)"),
    "other": _l("Khác"),
}

ACHIEVEMENT_KINDS = {
    "publication": _l("Công trình khoa học"),
    "patent": _l("Bằng sáng chế / giải pháp hữu ích"),
    "award": _l("Giải thưởng"),
    "project": _l("Đề tài / dự án"),
    "work": _l("Tác phẩm"),
}

ATTACHMENT_KINDS = {
    "cv": _l("Lý lịch khoa học"),
    "evidence": _l("Minh chứng"),
    "endorsement": _l("Công văn đề cử của đơn vị"),
    "photo": _l("Ảnh chân dung"),
    "other": _l("Khác"),
}

ORGANISATION_TYPES = {
    "association": _l("Hội"),
    "institute": _l("Viện"),
    "university": _l("Trường đại học"),
    "enterprise": _l("Doanh nghiệp"),
    "department": _l("Sở/ngành"),
    "commune": _l("UBND xã/phường"),
}

PROGRAMMES = {
    "honours": _l("Trí thức Bắc Ninh tiêu biểu"),
    "talent_referral": _l("Tiến cử người tài"),
}

# Council rules: (numerator, denominator, strict). strict=True means "more than", else "at least".
QUORUM_RULES = {
    "half": (1, 2, True),
    "two_thirds": (2, 3, False),
}
APPROVAL_RULES = {
    "majority": (1, 2, True),
    "two_thirds": (2, 3, False),
}
QUORUM_RULE_LABELS = {
    "half": _l("Có mặt trên 1/2 tổng số thành viên hội đồng"),
    "two_thirds": _l("Có mặt từ 2/3 tổng số thành viên hội đồng"),
}
APPROVAL_RULE_LABELS = {
    "majority": _l("Trên 50% thành viên có mặt đồng ý"),
    "two_thirds": _l("Từ 2/3 thành viên có mặt đồng ý"),
}


def choices(mapping: dict) -> list[tuple[str, str]]:
    return list(mapping.items())


# Standard fields (lĩnh vực) of the intellectuals database and the talent pool; rounds may name their own.
FIELDS = (
    "Khoa học tự nhiên", "Kỹ thuật và công nghệ", "Y dược", "Nông nghiệp",
    "Khoa học xã hội và nhân văn", "Giáo dục", "Văn học nghệ thuật", "Kinh tế - quản lý",
)

AVAILABILITY = {
    "full_time": _l("Toàn thời gian"),
    "part_time": _l("Bán thời gian"),
    "advisory": _l("Tư vấn, phản biện"),
    "remote": _l("Làm việc từ xa"),
    "short_term": _l("Nhiệm vụ ngắn hạn"),
}

# Age bands of the intellectuals database (age in completed years today).
AGE_BANDS = {
    "under_35": (_l("Dưới 35"), 0, 34),
    "35_44": (_l("35 – 44"), 35, 44),
    "45_54": (_l("45 – 54"), 45, 54),
    "55_64": (_l("55 – 64"), 55, 64),
    "65_plus": (_l("Từ 65"), 65, 200),
}
# Target share of women and ethnic minorities (Nghị quyết 45-NQ/TW: "tối thiểu 40%").
INCLUSION_TARGET_PERCENT = 40
YOUNG_AGE_LIMIT = 45
