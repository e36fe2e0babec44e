"""The results workbook: one ranked sheet per field, and every submitted sheet's raw scores."""
import re
from datetime import datetime
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from honours.core import audit, clock
from honours.core.db import db
from honours.core.roles import ensure_secretariat
from honours.core.spreadsheets import describe, finish_sheet
from honours.core.text import slugify
from honours.core.transactions import operation
from honours.rounds.models import Criterion, Round
from honours.selection import services as selection

from .results import FieldRanking, round_results

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_MAX = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
RESULTS_EXPORTED = audit.Reason("reviews.results_export", audit.N_(
    "Xuất bảng kết quả chấm điểm (Excel): %(dossiers)s hồ sơ, %(sheets)s phiếu chấm có tên người chấm."))


@operation
def export_results(actor, round_: Round) -> bytes:
    """The results workbook of the round (nominees, reviewers and their scores), its download audited."""
    ensure_secretariat(actor)
    rankings = round_results(round_)
    met = None
    if round_.uses_standards:
        met = selection.met_standard_names(round_, [r.dossier.id for ranking in rankings for r in ranking.results])
    content = results_workbook(rankings, round_.criteria, met, round_name=round_.name)
    results = [result for ranking in rankings for result in ranking.results]
    audit.record(actor, "round", round_.id, "export_results", reason=RESULTS_EXPORTED(
        dossiers=len(results), sheets=sum(len(result.totals) for result in results)))
    db.session.flush()
    return content


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\, no leading or trailing
    apostrophe, not empty, and different (ignoring case, as Excel does) from the names already taken."""
    base = _FORBIDDEN.sub(" ", name)
    base = " ".join(base.split()).strip("'").strip() or _("Lĩnh vực")
    candidate, n = base[:SHEET_NAME_MAX].strip(), 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[:SHEET_NAME_MAX - len(suffix)].strip() + suffix
    taken.add(candidate.lower())
    return candidate


def filename(round_: Round) -> str:
    slug = slugify(round_.name, fallback="dot-xet")[:60]
    return f"ket-qua-cham-diem-{slug}.xlsx"


def _number(value):
    return float(value) if value is not None else None


def _yes(flag: bool) -> str:
    return _("Có") if flag else ""


def ranking_rows(ranking: FieldRanking, standards_met: dict[int, list[str]] | None = None) -> list[list]:
    """One field's ranking, header first; with `standards_met` (a round selecting by standards) a column of the
    standards met."""
    columns = [_("Hạng"), _("Họ và tên"), _("Đơn vị đề cử"), _("Số phiếu"), _("Điểm trung bình"),
               _("Độ lệch chuẩn"), _("Điểm TB sau loại cao/thấp nhất"), _("Điểm xét chọn"), _("Chênh lệch cao"),
               _("Dưới điểm tối thiểu"), _("Trong chỉ tiêu")]
    rows = [[r.rank, r.dossier.full_name, r.dossier.organisation.name, r.count, _number(r.mean), _number(r.stdev),
             _number(r.trimmed_mean), _number(r.final), _yes(r.high_disagreement),
             _yes(r.final is not None and not r.meets_minimum), _yes(r.within_quota)]
            for r in ranking.results]
    if standards_met is not None:
        columns.append(_("Tiêu chuẩn đạt"))
        for row, result in zip(rows, ranking.results, strict=True):
            row.append("; ".join(standards_met.get(result.dossier.id, [])))
    return [columns, *rows]


def raw_rows(rankings: list[FieldRanking], criteria: list[Criterion]) -> list[list]:
    rows = [[_("Hồ sơ"), _("Lĩnh vực"), _("Người chấm"), *[c.name for c in criteria], _("Tổng có trọng số"),
             _("Bị gắn cờ")]]
    for ranking in rankings:
        for result in ranking.results:
            for total in result.totals:
                rows.append([result.dossier.full_name, ranking.name, total.reviewer_name,
                             *[_number(total.points.get(c.id)) for c in criteria], _number(total.total),
                             _yes(total.flagged)])
    return rows


def workbook_title(round_name: str) -> str:
    return _("Kết quả chấm điểm: %(round)s", round=round_name)


def results_workbook(rankings: list[FieldRanking], criteria: list[Criterion],
                     standards_met: dict[int, list[str]] | None = None, *, round_name: str = "",
                     exported_at: datetime | None = None) -> bytes:
    """A sheet per field (ranks, counts, means and deviations as numbers) and the raw scores, each under a title
    row naming the round and the export time."""
    exported_at = exported_at or clock.now()
    title = workbook_title(round_name)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    raw_name = sheet_name(_("Điểm chi tiết"), taken)
    for ranking in rankings:
        write_sheet(book, sheet_name(ranking.name, taken), ranking_rows(ranking, standards_met), title, exported_at)
    write_sheet(book, raw_name, raw_rows(rankings, criteria), title, exported_at)
    describe(book, title=title, exported_at=exported_at)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_sheet(book, name: str, rows: list[list], title: str, exported_at: datetime) -> None:
    """A sheet of `rows` (header first) below the title row; text stays text (no formula injection)."""
    sheet = book.create_sheet(name)
    sheet.append([])
    for row in rows:
        sheet.append(row)
    finish_sheet(sheet, header_row=2, title=title, exported_at=exported_at)
