"""The readable copy of what is held about a person (PDF), the same content as the JSON download."""
from flask_babel import gettext as _

from honours.core import pdf
from honours.core.profile import PROFILE_LABELS
from honours.core.reference import ACHIEVEMENT_KINDS

from .holdings import Holdings, as_json


def _facts(record: dict) -> list[list[str]]:
    rows = []
    for name, label in PROFILE_LABELS.items():
        value = record.get(name)
        if isinstance(value, bool):
            value = _("Có") if value else _("Không")
        rows.append([str(label), "" if value is None else str(value)])
    return rows


def as_pdf(holdings: Holdings) -> bytes:
    data = as_json(holdings)
    title = _("Dữ liệu cá nhân đang được lưu giữ")
    document = pdf.Document(title)
    document.heading(title)
    document.paragraph(_("Địa chỉ email: %(email)s", email=data["email"]))
    if holdings.empty:
        document.paragraph(_("Hệ thống không lưu giữ dữ liệu nào gắn với địa chỉ này."))
    for person in data["people"]:
        document.paragraph(_("Bản ghi trong cơ sở dữ liệu trí thức (số %(id)s)", id=person["id"]), bold=True)
        document.data_table([_("Thông tin"), _("Giá trị")], _facts(person) + [
            [_("Lĩnh vực"), person["field"]], [_("Chuyên môn"), person["expertise"]],
            [_("Đồng ý chuyển lên cơ sở dữ liệu quốc gia"), _("Có") if person["consent_national_db"] else _("Không")],
        ], widths=[60, 114])
    for dossier in data["dossiers"]:
        document.paragraph(_("Hồ sơ đề cử số %(id)s – %(round)s (%(organisation)s)", id=dossier["id"],
                             round=dossier["round"], organisation=dossier["organisation"]), bold=True)
        document.data_table([_("Thông tin"), _("Giá trị")], _facts(dossier) + [
            [_("Lĩnh vực"), dossier["field"]], [_("Tóm tắt thành tích"), dossier["merits_summary"]],
        ], widths=[60, 114])
        if dossier["achievements"]:
            document.data_table([_("Loại"), _("Năm"), _("Thành tích")], [
                [str(ACHIEVEMENT_KINDS.get(a["kind"], a["kind"])), str(a["year"]), a["title"]]
                for a in dossier["achievements"]], widths=[45, 20, 109])
        if dossier["attachments"]:
            document.paragraph(_("Tệp đính kèm: %(names)s",
                                 names=", ".join(a["name"] for a in dossier["attachments"])))
        if dossier["publication"]:
            document.paragraph(_("Đã công bố trong danh sách được tôn vinh. Trích dẫn: %(citation)s",
                                 citation=dossier["publication"]["citation"] or "—"))
    for referral in data["referrals"]:
        document.paragraph(_("Phiếu tiến cử số %(id)s (%(organisation)s)", id=referral["id"],
                             organisation=referral["organisation"]), bold=True)
        document.data_table([_("Thông tin"), _("Giá trị")], _facts(referral) + [
            [_("Lĩnh vực"), referral["field"]], [_("Lý do tiến cử"), referral["justification"]],
        ], widths=[60, 114])
        if referral["attachments"]:
            document.paragraph(_("Tệp đính kèm: %(names)s",
                                 names=", ".join(a["name"] for a in referral["attachments"])))
    return document.bytes()
