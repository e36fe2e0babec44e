"""What each official document of a council session says, built from the confirmed result's record.

A confirmed session's numbers come from its ResultSnapshot (council/record.py, checked against its sha256, which
every page's footer prints), never from the round's live criteria or rules; before confirmation the minutes and the
vote-count record are drafts of the closed ballot and say so. The text is Vietnamese only (layout.py).
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from honours.core.db import db
from honours.core.reference import APPROVAL_RULE_LABELS, QUORUM_RULE_LABELS
from honours.council import services
from honours.council.models import CONFIRMED, CouncilSession
from honours.nominations.models import Dossier
from honours.reviews.services import council
from honours.selection import services as selection

from .layout import Closing, Heading, Issuer, OfficialDocument, Paragraph, Signature, Table

TITLE_NAME = "“Trí thức Bắc Ninh tiêu biểu”"
RESULT_HEADINGS = ["STT", "Họ và tên", "Đơn vị đề cử", "Điểm", "Đồng ý", "Không đồng ý", "Kết quả"]
RESULT_WIDTHS = [10, 28, 28, 10, 9, 11, 18]


def _score(value) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else "—"


def _when(value: datetime | None) -> str:
    return value.strftime("%H giờ %M, ngày %d/%m/%Y") if value else "…"


def _day(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def _outcome(row) -> str:
    if row.approved:
        return "Thông qua"
    if row.passes:
        return "Không thông qua (ngoài chỉ tiêu)"
    return "Không thông qua"


@dataclass
class SessionRecord:
    """Everything the documents print about one session, read once: the tally (the confirmed record when there is
    one), the rules it was counted under, who sat and who signs."""

    session: CouncilSession
    tally: services.Tally
    quorum: services.Quorum
    rules: dict
    criteria: list[tuple[str, Decimal]]
    present: list[str]
    absent: list[str]
    chair: str
    secretary: str
    board: list[str]

    @property
    def confirmed(self) -> bool:
        return self.session.status == CONFIRMED and bool(self.tally.sha256)

    @property
    def year(self) -> int:
        return self.rules["year"]

    @property
    def approved(self) -> list[tuple[str, object]]:
        return [(f.name, row) for f in self.tally.fields for row in f.rows if row.approved]

    @property
    def footer(self) -> str:
        if self.confirmed:
            return f"Lập từ kết quả đã xác nhận; mã kiểm tra (SHA-256): {self.tally.sha256}"
        return "Dự thảo: kết quả chưa được Chủ tịch Hội đồng xác nhận."


def _chair_name(session: CouncilSession, members) -> str:
    if session.confirmed_by is not None:
        return session.confirmed_by.full_name
    chairs = sorted(m.user.full_name for m in members if m.user.is_chair)
    return chairs[0] if chairs else ""


def session_record(session: CouncilSession) -> SessionRecord:
    round_ = session.round
    members = council(session.round_id)
    present_ids = {a.user_id for a in session.attendees}
    tally = services.tally(session)
    recorded = tally.recorded
    board = [m.user.full_name for m in session.counting_board]
    if recorded:
        quorum = services.Quorum(**recorded["quorum"])
        rules = recorded["round"]
        criteria = [(c["name"], Decimal(c["weight"])) for c in recorded["criteria"]]
        chair = recorded["session"]["confirmed_by"]
        secretary = recorded["session"].get("secretary", session.secretary_name)
        board = recorded["session"].get("counting_board", board)
    else:
        quorum = services.quorum(session)
        rules = {"name": round_.name, "year": round_.year, "quorum_rule": round_.quorum_rule,
                 "approval_rule": round_.approval_rule,
                 "min_average_score": None if round_.min_average_score is None else str(round_.min_average_score)}
        criteria = [(c.name, c.weight) for c in round_.criteria]
        chair = _chair_name(session, members)
        secretary = session.secretary_name
    return SessionRecord(session, tally, quorum, rules, criteria,
                         present=sorted(a.user.full_name for a in session.attendees),
                         absent=[m.user.full_name for m in members if m.user_id not in present_ids],
                         chair=chair, secretary=secretary, board=board)


def _names() -> dict:
    config = current_app.config
    return {"council": config["DOCUMENT_COUNCIL_NAME"], "union": config["DOCUMENT_UNION_NAME"],
            "province": config["DOCUMENT_PROVINCE_NAME"], "place": config["DOCUMENT_PLACE"]}


def _council_issuer() -> Issuer:
    names = _names()
    return Issuer(names["union"], names["council"])


def _result_table(rows) -> Table:
    return Table(RESULT_HEADINGS, [[str(i), row.dossier.full_name, row.dossier.organisation.name, _score(row.final),
                                    str(row.agree), str(row.disagree), _outcome(row)]
                                   for i, row in enumerate(rows, start=1)], RESULT_WIDTHS, frozenset({0, 3, 4, 5}))


def _threshold(record: SessionRecord) -> str:
    rule = record.rules["approval_rule"]
    with force_locale("vi"):
        label = str(APPROVAL_RULE_LABELS.get(rule, rule))
    return f"{label} (cần ít nhất {record.tally.needed_agree}/{record.tally.present} phiếu đồng ý)"


# ---------------------------------------------------------------- 1. biên bản họp hội đồng

def minutes(record: SessionRecord) -> OfficialDocument:
    session, tally, quorum, rules = record.session, record.tally, record.quorum, record.rules
    names = _names()
    with force_locale("vi"):
        quorum_rule = str(QUORUM_RULE_LABELS.get(rules["quorum_rule"], rules["quorum_rule"]))
    minimum = _score(Decimal(rules["min_average_score"])) if rules.get("min_average_score") else "không quy định"
    body = [
        Paragraph(f"Đợt xét: {rules['name']} ({rules['year']})"),
        Paragraph(f"Thời gian họp: {session.opened_at.strftime('%d/%m/%Y %H:%M')}"
                  + (f"; đóng bỏ phiếu lúc {session.closed_at.strftime('%d/%m/%Y %H:%M')}" if session.closed_at
                     else "") + "."),
        Paragraph(f"Chủ tọa: {record.chair or '…'}, Chủ tịch Hội đồng. Thư ký: {record.secretary or '…'}."),
        Heading("I. THÀNH PHẦN THAM DỰ"),
        Paragraph(f"Tổng số thành viên hội đồng: {session.members_total}."),
        Paragraph(f"Thành viên có mặt ({len(record.present)}): " + (", ".join(record.present) or "không có") + "."),
        Paragraph(f"Thành viên vắng mặt ({len(record.absent)}): " + (", ".join(record.absent) or "không có") + "."),
        Paragraph(f"Túc số: có mặt {quorum.present}/{quorum.total} thành viên; quy định: {quorum_rule} (cần ít nhất "
                  f"{quorum.needed}). " + ("Phiên họp đủ túc số." if quorum.met else "Phiên họp không đủ túc số.")),
        Heading("II. CHƯƠNG TRÌNH HỌP"),
        Paragraph("1. Thông qua danh sách hồ sơ đưa ra Hội đồng (đã chấm điểm xong và đạt điểm tối thiểu); "
                  "2. Bầu Ban kiểm phiếu; 3. Bỏ phiếu kín; 4. Công bố kết quả kiểm phiếu; 5. Kết luận."),
        Paragraph("Ban kiểm phiếu: " + (_board_text(record.board) or "chưa ghi nhận") + "."),
        Heading("III. TỔNG HỢP ĐIỂM VÀ KẾT QUẢ BỎ PHIẾU KÍN"),
        Paragraph(f"Số phiếu phát ra: {quorum.present}; số phiếu thu về: {tally.ballots}."),
        Paragraph(f"Ngưỡng thông qua: {_threshold(record)}; điểm trung bình tối thiểu: {minimum}; trong chỉ tiêu "
                  "của từng lĩnh vực, xếp theo số phiếu đồng ý rồi theo điểm."),
    ]
    if record.criteria:
        body.append(Paragraph("Tiêu chí chấm điểm (trọng số): " + "; ".join(
            f"{name} ({format(weight.normalize(), 'f')})" for name, weight in record.criteria) + "."))
    round_ = session.round
    # A standards round: the standards each candidate met (appraised before the ballot, no longer editable).
    met = selection.met_standard_names(round_, [row.dossier.id for row in tally.rows])
    for field in tally.fields:
        body.append(Heading(f"Lĩnh vực {field.name} (chỉ tiêu {field.quota})"))
        body.append(_result_table(field.rows) if field.rows else Paragraph("Không có hồ sơ đưa ra bỏ phiếu."))
        if round_.uses_standards:
            body += [Paragraph(f"{row.dossier.full_name} - tiêu chuẩn đạt: "
                               + ("; ".join(met.get(row.dossier.id, [])) or "không") + ".") for row in field.rows]
    if tally.below_minimum:
        body.append(Paragraph("Hồ sơ không đưa ra bỏ phiếu do không đạt điểm tối thiểu: " + "; ".join(
            f"{r.dossier.full_name} ({r.dossier.organisation.name}, {_score(r.final)} điểm)"
            for r in tally.below_minimum) + "."))
    body.append(Heading("IV. KẾT LUẬN"))
    body.append(Paragraph(f"Tổng số hồ sơ được thông qua: {len(record.approved)}/{len(tally.rows)}."))
    if record.confirmed:
        body.append(Paragraph(f"Chủ tịch Hội đồng {record.chair} đã xác nhận kết quả lúc "
                              f"{session.confirmed_at.strftime('%d/%m/%Y %H:%M')}."))
    else:
        body.append(Paragraph("Kết quả chưa được Chủ tịch Hội đồng xác nhận."))
    if session.decision_number:
        body.append(Paragraph(f"Quyết định số {session.decision_number} ngày {_day(session.decision_date)}; "
                              f"người ký: {session.decision_signer}."))
    else:
        body.append(Paragraph("Chưa ghi nhận quyết định."))
    body.append(Paragraph(f"Biên bản kết thúc lúc {_when(session.closed_at)}, đã được đọc lại trước Hội đồng và các "
                          "thành viên có mặt nhất trí."))
    return OfficialDocument(
        _council_issuer(), "BB-HĐXT", "BIÊN BẢN", f"HỌP {names['council'].upper()}", names["place"],
        session.opened_at.date(), record.year, body,
        Closing([Signature("THƯ KÝ", record.secretary), Signature("CHỦ TỊCH HỘI ĐỒNG", record.chair)]),
        footer=record.footer, draft=not record.confirmed, file_stem=f"bien-ban-hop-hoi-dong-{session.id}")


def _board_text(board: list[str]) -> str:
    return ", ".join(f"{name} (Trưởng ban)" if i == 0 else name for i, name in enumerate(board))


# ---------------------------------------------------------------- 2. biên bản kiểm phiếu

def vote_count(record: SessionRecord) -> OfficialDocument:
    session, tally, quorum = record.session, record.tally, record.quorum
    names = _names()
    board_rows = [[str(i), name, "Trưởng ban" if i == 1 else "Thành viên"]
                  for i, name in enumerate(record.board, start=1)]
    body = [
        Paragraph(f"Vào lúc {_when(session.closed_at)}, tại phiên họp của {names['council']} (đợt xét "
                  f"{record.rules['name']}), Ban kiểm phiếu do Hội đồng bầu gồm:"),
        Table(["STT", "Họ và tên", "Nhiệm vụ"], board_rows or [["1", "", "Trưởng ban"], ["2", "", "Thành viên"],
                                                             ["3", "", "Thành viên"]], [8, 60, 32], frozenset({0})),
        Paragraph("đã tiến hành kiểm phiếu bầu kín các hồ sơ đề nghị tặng danh hiệu " + TITLE_NAME
                  + f" năm {record.year}. Kết quả như sau:"),
        Heading("1. Số phiếu"),
        Table(["Nội dung", "Số lượng"], [
            ["Tổng số thành viên hội đồng", str(session.members_total)],
            ["Số thành viên có mặt", str(quorum.present)],
            ["Số phiếu phát ra", str(quorum.present)],
            ["Số phiếu thu về", str(tally.ballots)],
            ["Số phiếu hợp lệ", str(tally.ballots)],
            ["Số phiếu không hợp lệ", "0"],
        ], [75, 25], frozenset({1})),
        Paragraph("Phiếu bầu điện tử chỉ được ghi nhận khi có ý kiến đồng ý hoặc không đồng ý cho đủ các hồ sơ và "
                  "không vượt chỉ tiêu của lĩnh vực, nên mọi phiếu thu về đều hợp lệ."),
        Heading("2. Ngưỡng thông qua"),
        Paragraph(f"{_threshold(record)}; trong chỉ tiêu của từng lĩnh vực, xếp theo số phiếu đồng ý rồi theo điểm."),
        Heading("3. Kết quả kiểm phiếu"),
    ]
    for field in tally.fields:
        body.append(Heading(f"Lĩnh vực {field.name} (chỉ tiêu {field.quota})"))
        if not field.rows:
            body.append(Paragraph("Không có hồ sơ đưa ra bỏ phiếu."))
            continue
        body.append(Table(
            ["STT", "Họ và tên", "Đồng ý", "Tỷ lệ đồng ý", "Không đồng ý", "Đạt ngưỡng", "Kết quả"],
            [[str(i), row.dossier.full_name, str(row.agree), _rate(row.agree, row.present), str(row.disagree),
              "Đạt" if row.passes else "Không đạt", _outcome(row)] for i, row in enumerate(field.rows, start=1)],
            [10, 28, 10, 15, 12, 11, 21], frozenset({0, 2, 3, 4})))
    body.append(Paragraph("Biên bản kiểm phiếu được lập xong lúc " + _when(session.closed_at)
                          + " và công bố trước Hội đồng."))
    if record.board:
        signatures = [Signature("TRƯỞNG BAN KIỂM PHIẾU" if i == 0 else "THÀNH VIÊN", name)
                      for i, name in enumerate(record.board)]
    else:
        signatures = [Signature("TRƯỞNG BAN KIỂM PHIẾU", ""), Signature("THÀNH VIÊN", ""),
                      Signature("THÀNH VIÊN", "")]
    return OfficialDocument(
        _council_issuer(), "BBKP-HĐXT", "BIÊN BẢN KIỂM PHIẾU", f"Bầu chọn danh hiệu {TITLE_NAME} năm {record.year}",
        names["place"], (session.closed_at or session.opened_at).date(), record.year, body, Closing(signatures),
        footer=record.footer, draft=not record.confirmed, file_stem=f"bien-ban-kiem-phieu-{session.id}")


def _rate(agree: int, present: int) -> str:
    return f"{agree * 100 / present:.2f}".replace(".", ",") + "%" if present else "—"


# ---------------------------------------------------------------- 3. tờ trình and the draft decision

def _honoured_table(record: SessionRecord) -> Table:
    return Table(["STT", "Họ và tên", "Đơn vị đề cử", "Lĩnh vực"],
                 [[str(i), row.dossier.full_name, row.dossier.organisation.name, field]
                  for i, (field, row) in enumerate(record.approved, start=1)], [8, 34, 34, 24], frozenset({0}))


def submission(record: SessionRecord) -> OfficialDocument:
    session, names = record.session, _names()
    approved = record.approved
    body = [
        Paragraph(f"Kính gửi: Chủ tịch {names['province']}.", centred=True),
        Paragraph(f"Căn cứ kết quả họp {names['council']} ngày {_day(session.opened_at)} và kết quả đã được Chủ tịch "
                  f"Hội đồng xác nhận ngày {_day(session.confirmed_at)}, Hội đồng kính trình Chủ tịch "
                  f"{names['province']} xem xét, quyết định tặng danh hiệu {TITLE_NAME} năm {record.year} "
                  f"cho {len(approved)} trí thức, cụ thể như sau:"),
        Heading("1. Kết quả xét chọn"),
        Paragraph(f"Hội đồng đã xem xét {len(record.tally.rows)} hồ sơ đủ điều kiện đưa ra bỏ phiếu; "
                  f"{record.quorum.present}/{record.quorum.total} thành viên có mặt; {record.tally.ballots} phiếu "
                  f"hợp lệ; ngưỡng thông qua: {_threshold(record)}."),
        Heading("2. Danh sách đề nghị tặng danh hiệu"),
        _honoured_table(record),
        Paragraph("Hồ sơ kèm theo: Biên bản họp Hội đồng; Biên bản kiểm phiếu; dự thảo Quyết định và danh sách kèm "
                  "theo."),
        Paragraph(f"Kính trình Chủ tịch {names['province']} xem xét, quyết định./."),
    ]
    return OfficialDocument(
        _council_issuer(), "TTr-HĐXT", "TỜ TRÌNH",
        f"Về việc đề nghị tặng danh hiệu {TITLE_NAME} năm {record.year}", names["place"],
        session.confirmed_at.date(), record.year, body,
        Closing([Signature("CHỦ TỊCH", record.chair, "TM. HỘI ĐỒNG")],
                ["Như trên;", f"{names['union']};", "Lưu: VT, HĐXT."]),
        footer=record.footer, file_stem=f"to-trinh-{session.id}")


def decision(record: SessionRecord) -> OfficialDocument:
    session, names = record.session, _names()
    province = names["province"]
    number = session.decision_number
    day = session.decision_date if number else None
    annex_of = (f"(Kèm theo Quyết định số {number or '      /QĐ-UBND'} "
                + (f"ngày {_day(day)} " if day else f"ngày      tháng      năm {record.year} ")
                + f"của Chủ tịch {province})")
    body = [
        Paragraph(f"CHỦ TỊCH {province.upper()}", bold=True, centred=True),
        Paragraph("Căn cứ Luật Tổ chức chính quyền địa phương;"),
        Paragraph(f"Căn cứ kết quả họp {names['council']} ngày {_day(session.opened_at)}, đã được Chủ tịch Hội đồng "
                  f"xác nhận ngày {_day(session.confirmed_at)};"),
        Paragraph(f"Theo đề nghị của {names['council']} tại Tờ trình số      /TTr-HĐXT.", ),
        Paragraph("QUYẾT ĐỊNH:", bold=True, centred=True),
        Paragraph(f"Điều 1. Tặng danh hiệu {TITLE_NAME} năm {record.year} cho {len(record.approved)} trí thức có "
                  "tên trong danh sách kèm theo Quyết định này."),
        Paragraph("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
        Paragraph(f"Điều 3. Chánh Văn phòng {province}, Chủ tịch {names['union']}, thủ trưởng "
                  "các cơ quan, đơn vị có liên quan và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
                  "Quyết định này./."),
    ]
    annex = [Paragraph("DANH SÁCH", bold=True, centred=True),
             Paragraph(f"Trí thức được tặng danh hiệu {TITLE_NAME} năm {record.year}", bold=True, centred=True),
             Paragraph(annex_of, italic=True, centred=True),
             _honoured_table(record)]
    return OfficialDocument(
        Issuer("", province), "QĐ-UBND", "QUYẾT ĐỊNH", f"Về việc tặng danh hiệu {TITLE_NAME} năm {record.year}",
        names["place"], day, record.year, body,
        Closing([Signature("CHỦ TỊCH", session.decision_signer if number else "")], ["Như Điều 3;", "Lưu: VT."]),
        annex=annex, number=number, footer=record.footer, draft=not number, file_stem=f"quyet-dinh-{session.id}")


# ---------------------------------------------------------------- 4. thông báo kết quả to each organisation

def organisations_of(record: SessionRecord) -> dict[int, str]:
    """Organisation id -> its name as recorded, for each organisation with a dossier in the result."""
    rows = {row.dossier.id: row.dossier.organisation.name for row in record.tally.rows}
    rows |= {r.dossier.id: r.dossier.organisation.name for r in record.tally.below_minimum}
    if not rows:
        return {}
    owners = dict(db.session.execute(
        select(Dossier.id, Dossier.organisation_id).where(Dossier.id.in_(list(rows)))).all())
    return dict(sorted({owners[d]: name for d, name in rows.items() if d in owners}.items(), key=lambda i: i[1]))


def notice(record: SessionRecord, organisation_id: int) -> OfficialDocument | None:
    session, names = record.session, _names()
    owned = set(db.session.scalars(select(Dossier.id).where(Dossier.round_id == session.round_id,
                                                            Dossier.organisation_id == organisation_id)))
    rows = [(field.name, row) for field in record.tally.fields for row in field.rows if row.dossier.id in owned]
    below = [r for r in record.tally.below_minimum if r.dossier.id in owned]
    if not rows and not below:
        return None
    organisation = (rows[0][1] if rows else below[0]).dossier.organisation.name
    table_rows = [[str(i), row.dossier.full_name, field, _score(row.final), f"{row.agree}/{row.present}",
                   _outcome(row)] for i, (field, row) in enumerate(rows, start=1)]
    table_rows += [[str(len(table_rows) + i), r.dossier.full_name, "—", _score(r.final), "—",
                    "Không đạt điểm tối thiểu"] for i, r in enumerate(below, start=1)]
    if session.decision_number:
        decided = (f"Chủ tịch {names['province']} đã ký Quyết định số {session.decision_number} ngày "
                   f"{_day(session.decision_date)} tặng danh hiệu cho các trí thức được thông qua.")
    else:
        decided = (f"Danh sách được thông qua đã được trình Chủ tịch {names['province']} xem xét, "
                   "quyết định.")
    body = [
        Paragraph(f"Kính gửi: {organisation}.", centred=True),
        Paragraph(f"{names['council']} đã họp ngày {_day(session.opened_at)}; Chủ tịch Hội đồng xác nhận kết quả "
                  f"ngày {_day(session.confirmed_at)}. Kết quả xét tôn vinh đối với các hồ sơ do {organisation} đề "
                  "cử như sau:"),
        Table(["STT", "Họ và tên", "Lĩnh vực", "Điểm", "Đồng ý / có mặt", "Kết quả"], table_rows,
              [8, 30, 20, 11, 13, 26], frozenset({0, 3, 4})),
        Paragraph(decided),
        Paragraph(f"{names['council']} trân trọng thông báo để {organisation} biết và thông báo tới các cá nhân "
                  "được đề cử./."),
    ]
    day = session.decision_date if session.decision_number else session.confirmed_at.date()
    return OfficialDocument(
        _council_issuer(), "TB-HĐXT", "THÔNG BÁO",
        f"Kết quả xét tôn vinh {TITLE_NAME} năm {record.year}", names["place"], day, record.year, body,
        Closing([Signature("CHỦ TỊCH", record.chair, "TM. HỘI ĐỒNG")], ["Như trên;", "Lưu: VT, HĐXT."]),
        footer=record.footer, file_stem=f"thong-bao-ket-qua-{session.id}-{organisation_id}")
