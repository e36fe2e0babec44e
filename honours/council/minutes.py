"""The council meeting minutes (biên bản họp hội đồng) as a PDF.

The minutes are an official record of the province and are always written in Vietnamese, whatever language the
reader chose for the interface (like the e-mails), so their text does not go through the translation catalogue;
labels borrowed from the interface (the round's rules) are rendered under a forced Vietnamese locale.
"""
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import select

from honours.auth.models import User
from honours.core.db import db
from honours.core.i18n import format_date, format_datetime
from honours.core.pdf import FONT, Document
from honours.core.reference import APPROVAL_RULE_LABELS, QUORUM_RULE_LABELS
from honours.reviews.models import CouncilMember
from honours.reviews.services import council
from honours.selection import services as selection

from . import services
from .models import CONFIRMED, CouncilSession

TITLE = "BIÊN BẢN HỌP HỘI ĐỒNG XÉT TÔN VINH TRÍ THỨC BẮC NINH TIÊU BIỂU"
HEADINGS = ["STT", "Họ và tên", "Đơn vị đề cử", "Điểm", "Đồng ý", "Không đồng ý", "Kết quả"]
WIDTHS = [10, 38, 44, 16, 15, 19, 32]


def _score(value) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else ""


def _outcome(row: services.TallyRow) -> str:
    if row.approved:
        return "Thông qua"
    if row.passes:
        return "Không thông qua (ngoài chỉ tiêu)"
    return "Không thông qua"


def _chair_name(session: CouncilSession) -> str:
    if session.confirmed_by is not None:
        return session.confirmed_by.full_name
    name = db.session.scalar(select(User.full_name).join(CouncilMember, CouncilMember.user_id == User.id).where(
        CouncilMember.round_id == session.round_id, User.is_chair.is_(True)).order_by(User.full_name).limit(1))
    return name or ""


def minutes_pdf(session: CouncilSession) -> bytes:
    with force_locale("vi"):
        return _build(session).bytes()


def _build(session: CouncilSession) -> Document:
    round_ = session.round
    members = council(session.round_id)
    present_ids = {a.user_id for a in session.attendees}
    present = sorted((a.user.full_name for a in session.attendees))
    absent = [m.user.full_name for m in members if m.user_id not in present_ids]
    tally = services.tally(session)
    # A confirmed session is printed from its record (record.py), never from the round's live settings.
    recorded = tally.recorded
    if recorded:
        quorum = services.Quorum(**recorded["quorum"])
        rules = recorded["round"]
        minimum_score = Decimal(rules["min_average_score"]) if rules["min_average_score"] is not None else None
        criteria = [(c["name"], Decimal(c["weight"])) for c in recorded["criteria"]]
    else:
        quorum = services.quorum(session)
        rules = {"name": round_.name, "year": round_.year, "quorum_rule": round_.quorum_rule,
                 "approval_rule": round_.approval_rule}
        minimum_score = round_.min_average_score
        criteria = [(c.name, c.weight) for c in round_.criteria]

    doc = Document(TITLE)
    doc.heading(TITLE)
    doc.paragraph(f"Đợt xét: {rules['name']} ({rules['year']})")
    doc.paragraph(f"Thời gian họp: {format_datetime(session.opened_at)}"
                  + (f"; đóng bỏ phiếu lúc {format_datetime(session.closed_at)}" if session.closed_at else ""))

    doc.paragraph("I. THÀNH PHẦN THAM DỰ", bold=True)
    doc.paragraph(f"Tổng số thành viên hội đồng: {session.members_total}.")
    doc.paragraph(f"Thành viên có mặt ({len(present)}): " + (", ".join(present) or "không có") + ".")
    doc.paragraph(f"Thành viên vắng mặt ({len(absent)}): " + (", ".join(absent) or "không có") + ".")
    rule = QUORUM_RULE_LABELS.get(rules["quorum_rule"], rules["quorum_rule"])
    doc.paragraph(f"Túc số: có mặt {quorum.present}/{quorum.total} thành viên; quy định: {rule} (cần ít nhất "
                  f"{quorum.needed}). " + ("Phiên họp đủ túc số." if quorum.met else "Phiên họp không đủ túc số."))

    doc.paragraph("II. BỎ PHIẾU KÍN", bold=True)
    doc.paragraph(f"Số phiếu phát ra: {quorum.present}; số phiếu thu về: {tally.ballots}.")
    minimum = _score(minimum_score) if minimum_score is not None else "không quy định"
    doc.paragraph(f"Ngưỡng thông qua: {APPROVAL_RULE_LABELS.get(rules['approval_rule'], rules['approval_rule'])}"
                  f" (cần ít nhất {tally.needed_agree}/{tally.present} phiếu đồng ý); điểm trung bình tối thiểu: "
                  f"{minimum}; trong chỉ tiêu của từng lĩnh vực, xếp theo số phiếu đồng ý rồi theo điểm.")
    if criteria:
        doc.paragraph("Tiêu chí chấm điểm (trọng số): "
                      + "; ".join(f"{name} ({format(weight.normalize(), 'f')})" for name, weight in criteria) + ".")

    doc.paragraph("III. KẾT QUẢ", bold=True)
    met = selection.met_standard_names(round_, [row.dossier.id for row in tally.rows])
    for field in tally.fields:
        doc.paragraph(f"Lĩnh vực {field.name} (chỉ tiêu {field.quota})", bold=True)
        if not field.rows:
            doc.paragraph("Không có hồ sơ đưa ra bỏ phiếu.")
            continue
        rows = [[str(i), row.dossier.full_name, row.dossier.organisation.name, _score(row.final), str(row.agree),
                 str(row.disagree), _outcome(row)] for i, row in enumerate(field.rows, start=1)]
        doc.data_table(HEADINGS, rows, WIDTHS)
        if round_.uses_standards:
            for row in field.rows:
                doc.paragraph(f"{row.dossier.full_name} - tiêu chuẩn đạt: "
                              + ("; ".join(met.get(row.dossier.id, [])) or "không") + ".")
    if tally.below_minimum:
        names = "; ".join(f"{r.dossier.full_name} ({r.dossier.organisation.name}, {_score(r.final)} điểm)"
                          for r in tally.below_minimum)
        doc.paragraph(f"Hồ sơ không đưa ra bỏ phiếu do không đạt điểm tối thiểu: {names}.")
    approved = sum(1 for row in tally.rows if row.approved)
    doc.paragraph(f"Tổng số hồ sơ được thông qua: {approved}/{len(tally.rows)}.")
    if session.status == CONFIRMED:
        doc.paragraph(f"Chủ tịch Hội đồng {session.confirmed_by.full_name} đã xác nhận kết quả lúc "
                      f"{format_datetime(session.confirmed_at)}.")
        if tally.sha256:
            doc.paragraph(f"Mã kiểm tra bản ghi kết quả đã xác nhận (SHA-256): {tally.sha256}.")
    else:
        doc.paragraph("Kết quả chưa được Chủ tịch Hội đồng xác nhận.")

    doc.paragraph("IV. QUYẾT ĐỊNH TẶNG DANH HIỆU", bold=True)
    if session.decision_number:
        doc.paragraph(f"Quyết định số {session.decision_number} ngày {format_date(session.decision_date)}; "
                      f"người ký: {session.decision_signer}.")
    else:
        doc.paragraph("Chưa ghi nhận quyết định.")

    _signatures(doc, _chair_name(session))
    return doc


def _signatures(doc: Document, chair: str) -> None:
    doc.ln(8)
    half = (doc.w - doc.l_margin - doc.r_margin) / 2
    doc.set_font(FONT, "B", 10)
    doc.cell(half, 6, "THƯ KÝ HỘI ĐỒNG", align="C")
    doc.cell(half, 6, "CHỦ TỊCH HỘI ĐỒNG", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, "", 9)
    doc.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    doc.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(18)
    doc.set_font(FONT, "B", 10)
    doc.cell(half, 6, "")
    doc.cell(half, 6, chair, align="C", new_x="LMARGIN", new_y="NEXT")
