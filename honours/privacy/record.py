"""The record of processing (Law 91/2025/QH15: the controller keeps a record of its processing and an impact
assessment): purposes, categories of data and of people, recipients, retention and security measures. Generated
from this structure and the retention settings in honours/config.py, so the page and its PDF/DOCX export (the
impact-assessment annex) say what the application does, not what someone once wrote.
"""
from dataclasses import dataclass
from io import BytesIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from honours.core import pdf


@dataclass(frozen=True)
class Activity:
    purpose: object
    legal_basis: object
    data: object
    people: object
    recipients: object
    retention: str  # a key of retention_periods()


ACTIVITIES = (
    Activity(_l("Xét tôn vinh Trí thức Bắc Ninh tiêu biểu: nhận, thẩm định, chấm điểm hồ sơ đề cử, họp hội đồng"),
             _l("Sự đồng ý của người được đề cử; nhiệm vụ của cơ quan nhà nước theo kế hoạch xét tôn vinh"),
             _l("Họ tên, giới tính, ngày sinh, dân tộc (dữ liệu nhạy cảm), quê quán, nơi công tác, chức vụ, học hàm, "
                "học vị, email, điện thoại, thành tích, tệp minh chứng"),
             _l("Người được đề cử; cán bộ đơn vị đề cử; thành viên hội đồng"),
             _l("Ban thư ký, thành viên hội đồng được phân công (không gồm dân tộc, liên hệ)"),
             "dossiers"),
    Activity(_l("Công bố danh sách được tôn vinh trên trang công khai và bản xuất (JSON, CSV, XLSX, PDF)"),
             _l("Sự đồng ý của người được tôn vinh; quyết định tặng danh hiệu"),
             _l("Họ tên, học hàm, nơi công tác, lĩnh vực, trích dẫn, ảnh chân dung — không có giới tính, ngày sinh, "
                "dân tộc"),
             _l("Người được tôn vinh"),
             _l("Công chúng, báo chí (qua trang công khai)"),
             "published"),
    Activity(_l("Cơ sở dữ liệu trí thức, chuyên gia của tỉnh và nguồn nhân tài (tiến cử, sàng lọc, kết nối nhu cầu)"),
             _l("Sự đồng ý của người được tiến cử hoặc đề cử"),
             _l("Hồ sơ cá nhân như trên, lĩnh vực, chuyên môn, vai trò đề xuất, tệp đính kèm phiếu tiến cử"),
             _l("Trí thức, chuyên gia được đề cử hoặc tiến cử"),
             _l("Ban thư ký; sở, ngành đặt hàng (thông tin cần cho nhu cầu)"),
             "people"),
    Activity(_l("Chuyển dữ liệu lên Hệ thống cơ sở dữ liệu quốc gia về trí thức"),
             _l("Sự đồng ý riêng của người có dữ liệu"),
             _l("Hồ sơ cá nhân và liên hệ của người đã đồng ý"),
             _l("Trí thức, chuyên gia đã đồng ý"),
             _l("Cơ sở dữ liệu quốc gia về trí thức"),
             "people"),
    Activity(_l("Quản lý tài khoản, đăng nhập, nhật ký hệ thống và an toàn thông tin"),
             _l("Nghĩa vụ bảo đảm an ninh, an toàn dữ liệu và trách nhiệm giải trình"),
             _l("Họ tên, email, vai trò, mật khẩu (dạng băm), địa chỉ IP, lần đăng nhập sai, thao tác đã thực hiện"),
             _l("Người dùng của hệ thống"),
             _l("Quản trị viên, Ban thư ký"),
             "accounts"),
    Activity(_l("Tiếp nhận và giải quyết yêu cầu của chủ thể dữ liệu; sổ sự cố dữ liệu cá nhân"),
             _l("Nghĩa vụ pháp lý theo Luật Bảo vệ dữ liệu cá nhân"),
             _l("Email, nội dung yêu cầu, nội dung trả lời; mô tả sự cố, số người bị ảnh hưởng"),
             _l("Người gửi yêu cầu; người bị ảnh hưởng bởi sự cố"),
             _l("Ban thư ký, quản trị viên; cơ quan chuyên trách bảo vệ dữ liệu cá nhân (thông báo sự cố)"),
             "requests"),
)

SECURITY_MEASURES = (
    _l("Phân quyền theo vai trò; mỗi trang kiểm tra quyền ở máy chủ; đơn vị chỉ thấy hồ sơ của mình"),
    _l("Mật khẩu băm; xác thực hai bước; khoá tạm khi đăng nhập sai nhiều lần; phiên hết hạn"),
    _l("Kết nối HTTPS; chính sách bảo mật nội dung (CSP); chống giả mạo yêu cầu (CSRF)"),
    _l("Tệp tải lên được kiểm tra định dạng, lưu ngoài thư mục web, tải xuống qua kiểm tra quyền"),
    _l("Nhật ký ghi mọi thao tác thay đổi dữ liệu (ai, khi nào, trạng thái trước, sau)"),
    _l("Trang công khai và bản xuất không chứa giới tính, ngày sinh, dân tộc từng người; chỉ số dùng số liệu tổng hợp"),
    _l("Sao lưu định kỳ; xoá dữ liệu hết thời hạn lưu trữ hằng ngày"),
)


def retention_periods() -> dict[str, str]:
    config = current_app.config
    return {
        "dossiers": _("Hồ sơ được tôn vinh: lâu dài (hồ sơ quyết định); tệp của hồ sơ không được tôn vinh: "
                      "%(years)s năm sau ngày họp hội đồng của đợt xét",
                      years=config["RETENTION_UNHONOURED_ATTACHMENT_YEARS"]),
        "published": _("Trong thời gian danh sách được công bố; gỡ các trường khi người được tôn vinh rút lại sự "
                       "đồng ý"),
        "people": _("Đến khi người có dữ liệu yêu cầu xoá hoặc rút lại sự đồng ý; nguồn nhân tài được sàng lọc "
                    "định kỳ; tệp của phiếu tiến cử không vào hoặc đã rời nguồn: %(years)s năm",
                    years=config["RETENTION_REFERRAL_ATTACHMENT_YEARS"]),
        "accounts": _("Lần đăng nhập sai: %(days)s ngày; phiên đã đăng xuất: đến khi hết hạn; báo cáo lỗi nhập "
                      "Excel: %(reports)s ngày; nhật ký: lâu dài",
                      days=config["RETENTION_LOGIN_FAILURE_DAYS"], reports=config["RETENTION_IMPORT_REPORT_DAYS"]),
        "requests": _("Yêu cầu và trả lời: lâu dài, làm bằng chứng đã thực hiện quyền (thời hạn giải quyết "
                      "%(days)s ngày)", days=config["DATA_REQUEST_DAYS"]),
    }


def rows() -> list[dict[str, str]]:
    periods = retention_periods()
    return [{"purpose": str(a.purpose), "legal_basis": str(a.legal_basis), "data": str(a.data),
             "people": str(a.people), "recipients": str(a.recipients), "retention": periods[a.retention]}
            for a in ACTIVITIES]


def headings() -> list[str]:
    return [_("Mục đích xử lý"), _("Căn cứ"), _("Loại dữ liệu"), _("Đối tượng có dữ liệu"), _("Bên nhận"),
            _("Thời hạn lưu trữ")]


def title() -> str:
    return _("Hồ sơ ghi nhận hoạt động xử lý dữ liệu cá nhân")


def as_pdf() -> bytes:
    document = pdf.Document(title(), orientation="landscape")
    document.heading(title())
    document.paragraph(_("Phụ lục hồ sơ đánh giá tác động xử lý dữ liệu cá nhân. Bên kiểm soát dữ liệu: Liên hiệp "
                         "các Hội Khoa học và Kỹ thuật tỉnh Bắc Ninh (Ban thư ký xét tôn vinh)."))
    document.data_table(headings(), [list(row.values()) for row in rows()], widths=[50, 35, 55, 35, 40, 45])
    document.paragraph(_("Biện pháp bảo đảm an ninh, an toàn dữ liệu"), bold=True)
    for measure in SECURITY_MEASURES:
        document.paragraph("• " + str(measure))
    return document.bytes()


def docx_available() -> bool:
    try:
        import docx  # noqa: F401
    except ImportError:
        return False
    return True


def as_docx() -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    document.add_heading(title(), level=1)
    document.add_paragraph(_("Phụ lục hồ sơ đánh giá tác động xử lý dữ liệu cá nhân. Bên kiểm soát dữ liệu: Liên hiệp "
                             "các Hội Khoa học và Kỹ thuật tỉnh Bắc Ninh (Ban thư ký xét tôn vinh)."))
    table = document.add_table(rows=1, cols=len(headings()))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings(), strict=True):
        cell.text = text
    for row in rows():
        for cell, text in zip(table.add_row().cells, row.values(), strict=True):
            cell.text = text
    document.add_heading(_("Biện pháp bảo đảm an ninh, an toàn dữ liệu"), level=2)
    for measure in SECURITY_MEASURES:
        document.add_paragraph(str(measure), style="List Bullet")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
