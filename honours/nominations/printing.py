"""The printed dossier (PDF): what the organisation sent, with its receipt number and the files' SHA-256.

Like the council minutes it is a document of record that goes with the organisation's paper letter, so it is
always in Vietnamese whatever language the reader chose (labels shared with the pages are rendered under a forced
Vietnamese locale).
"""
from flask_babel import force_locale

from honours.core.i18n import format_datetime, format_size
from honours.core.pdf import FONT, Document

from . import services
from .models import Dossier, DossierSubmission
from .submissions import achievement_label, attachment_label, facts, receipt_number

TITLE = "HỒ SƠ ĐỀ CỬ"


def dossier_pdf(dossier: Dossier, submission: DossierSubmission | None) -> bytes:
    """The submission as it was sent; without one (a draft), the dossier as it is now, marked as not sent."""
    with force_locale("vi"):
        return _build(dossier, submission).bytes()


def _build(dossier: Dossier, submission: DossierSubmission | None) -> Document:
    snapshot = submission.snapshot if submission is not None else services.snapshot(dossier)
    document = Document(f"{TITLE} · {dossier.full_name}")
    document.paragraph(dossier.organisation.name.upper(), size=9, bold=True)
    document.heading(TITLE)
    document.paragraph(dossier.round.name, size=11)
    if submission is not None:
        document.paragraph(f"Số tiếp nhận: {receipt_number(dossier, submission.number)}", size=12, bold=True)
        by = submission.submitted_by.full_name if submission.submitted_by else ""
        document.paragraph(f"Nộp lần {submission.number} lúc {format_datetime(submission.submitted_at)}"
                           + (f", người nộp: {by}" if by else ""))
    else:
        document.paragraph("BẢN NHÁP — CHƯA NỘP (không có số tiếp nhận)", size=12, bold=True)
    document.paragraph(f"Đơn vị đề cử: {dossier.organisation.name}")

    document.paragraph("I. Thông tin người được đề cử", size=12, bold=True)
    rows = [[label, value] for name, label, value in facts(snapshot) if name != "merits_summary"]
    document.data_table(["Thông tin", "Nội dung"], rows, widths=[55, 119])

    document.paragraph("II. Tóm tắt thành tích, đóng góp", size=12, bold=True)
    document.paragraph(snapshot.get("merits_summary") or "(chưa nhập)")

    document.paragraph("III. Thành tích", size=12, bold=True)
    achievements = snapshot.get("achievements", [])
    if achievements:
        document.data_table(["STT", "Loại", "Năm", "Tên thành tích", "Chi tiết"],
                            [[str(n), achievement_label(a["kind"]), str(a["year"]), a["title"], a.get("details", "")]
                             for n, a in enumerate(achievements, start=1)], widths=[10, 34, 14, 58, 58])
    else:
        document.paragraph("Chưa có thành tích.")

    document.paragraph("IV. Tệp đính kèm", size=12, bold=True)
    for number, attachment in enumerate(snapshot.get("attachments", []), start=1):
        document.paragraph(f"{number}. {attachment['name']} · {attachment_label(attachment['kind'])} · "
                           f"{format_size(attachment['size'])}")
        document.set_font(FONT, "", 8)
        with document.structure("P"):
            document.cell(0, 4, f"SHA-256: {attachment['sha256']}", new_x="LMARGIN", new_y="NEXT")
        document.ln(1)
    if not snapshot.get("attachments"):
        document.paragraph("Chưa có tệp đính kèm.")
    document.ln(3)
    document.paragraph("Mã SHA-256 là dấu vân tay của từng tệp: tệp do Ban thư ký lưu có cùng mã với tệp đơn vị "
                       "đã nộp. Đơn vị ghi số tiếp nhận trên công văn gửi kèm hồ sơ giấy.", size=8)
    return document
