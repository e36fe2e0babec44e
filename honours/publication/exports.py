"""Exports of a year's published honoured list: Excel, CSV, PDF and JSON.

They all start from `records()`, built from the public `Honouree` projection only, so what an export may
contain is decided in one place: never contact data, scores, nor a person's gender, birth date or year, or
ethnicity (Law 91/2025/QH15: ethnic origin is sensitive data; the indicators use these in aggregates only).
"""
import csv
import io
import json
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from openpyxl import Workbook

from honours.core import storage
from honours.core.clock import PROVINCE_TZ
from honours.core.i18n import format_date, format_datetime
from honours.core.pdf import Document, Image
from honours.core.spreadsheets import defuse, describe, finish_sheet

from .services import Honouree, Listing, PublicRound

JSON_FORMAT_VERSION = 2  # 2: gender, birth_year and ethnicity removed (docs/public-json.md)


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=PROVINCE_TZ).isoformat()


def record(honouree: Honouree, public_round: PublicRound, base_url: str) -> dict:
    decision = public_round.decision
    return {
        "id": honouree.id,
        "full_name": honouree.full_name,
        "academic_title": honouree.academic_title,
        "degree": honouree.degree,
        "workplace": honouree.workplace,
        "position": honouree.position,
        "field": honouree.field_name,
        "organisation": honouree.organisation,
        "citation": honouree.citation,
        "url": base_url + honouree.path,
        "photo_url": base_url + honouree.photo_path(480) if honouree.has_photo else None,
        "photo_urls": {str(w): base_url + honouree.photo_path(w) for w in honouree.photo_widths} or None,
        "year": honouree.year,
        "round": public_round.name,
        "decision_number": decision.number if decision else "",
        "decision_date": decision.date.isoformat() if decision else None,
    }


def records(listing: Listing, base_url: str) -> list[dict]:
    rounds = {r.id: r for r in listing.rounds}
    return [record(h, rounds[h.round_id], base_url) for h in listing.honourees]


def to_json(listing: Listing, base_url: str) -> bytes:
    latest = listing.latest_round
    document = {
        "format_version": JSON_FORMAT_VERSION,
        "year": listing.year,
        "round": latest.name,
        "published_at": _iso(latest.published_at),
        "decision_number": latest.decision.number if latest.decision else "",
        "decision_date": latest.decision.date.isoformat() if latest.decision else None,
        "rounds": [{"name": r.name, "published_at": _iso(r.published_at),
                    "decision_number": r.decision.number if r.decision else "",
                    "decision_date": r.decision.date.isoformat() if r.decision else None,
                    "decision_signer": r.decision.signer if r.decision else ""} for r in listing.rounds],
        "count": len(listing.honourees),
        "honourees": records(listing, base_url),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------- spreadsheets (one row per honouree)

def _columns() -> list[tuple[str, str]]:
    return [
        ("index", _("STT")), ("full_name", _("Họ và tên")), ("academic_title", _("Học hàm")),
        ("degree", _("Học vị")), ("workplace", _("Nơi công tác")), ("position", _("Chức vụ")),
        ("field", _("Lĩnh vực")), ("organisation", _("Đơn vị đề cử")), ("citation", _("Trích dẫn")),
        ("round", _("Đợt xét")), ("decision_number", _("Số quyết định")), ("decision_date", _("Ngày quyết định")),
        ("url", _("Trang giới thiệu")),
    ]


def _rows(listing: Listing, base_url: str) -> list[dict]:
    """The spreadsheet rows: STT a number, the decision date a real date (the CSV writes it dd/mm/yyyy)."""
    rounds = {r.id: r for r in listing.rounds}
    rows = []
    for index, honouree in enumerate(listing.honourees, start=1):
        public_round = rounds[honouree.round_id]
        row = record(honouree, public_round, base_url)
        row.update(index=index, academic_title=honouree.academic_title_label,
                   degree=honouree.degree_label,
                   decision_date=public_round.decision.date if public_round.decision else None)
        rows.append(row)
    return rows


def to_csv(listing: Listing, base_url: str) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel reads Vietnamese as mojibake. Numbers are plain numbers,
    dates dd/mm/yyyy (docs/exports.md)."""
    columns = _columns()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([defuse(label) for _key, label in columns])
    for row in _rows(listing, base_url):
        writer.writerow([defuse(format_date(row[key]) if key == "decision_date" else row[key])
                         for key, _label in columns])
    return out.getvalue().encode("utf-8-sig")


def list_title(year: int) -> str:
    return _("Danh sách Trí thức Bắc Ninh tiêu biểu năm %(year)s", year=year)


def to_xlsx(listing: Listing, base_url: str) -> bytes:
    """One row per honouree under a title row naming the year and the moment the list last changed: the file is
    cached until then, so that moment, not the download's, is what it shows."""
    columns = _columns()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Năm %(year)s", year=listing.year)[:31]
    sheet.append([])
    sheet.append([label for _key, label in columns])
    for row in _rows(listing, base_url):
        sheet.append([row[key] for key, _label in columns])
    title = list_title(listing.year)
    updated = _("%(title)s — Cập nhật lúc %(moment)s", title=title, moment=format_datetime(listing.last_modified))
    keys = [key for key, _label in columns]
    finish_sheet(sheet, header_row=2, title=updated, freeze_column=3,
                 widths={keys.index(key) + 1: width for key, width in (("index", 6), ("citation", 60), ("url", 45))})
    names = "; ".join(r.name for r in listing.rounds)
    describe(book, title=f"{title} ({names})", exported_at=listing.last_modified)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF (a table per field)

def _photo_file(honouree: Honouree):
    """The smallest publication photo for the PDF (a JPEG the app wrote, no metadata) with its alternative text, or
    "" without one or when its file is missing. The dossier's own portrait is not embedded: the PDF shows what was
    chosen to publish."""
    if honouree.publication_photo_key is None or not honouree.photo_widths:
        return ""
    path = Path(storage.path_for(f"{honouree.publication_photo_key}-{honouree.photo_widths[0]}"))
    return Image(path, _("Ảnh công bố %(name)s", name=honouree.full_name)) if path.exists() else ""


def to_pdf(listing: Listing) -> bytes:
    title = list_title(listing.year)
    document = Document(title, orientation="landscape")
    document.heading(title)
    headings = [_("STT"), _("Ảnh"), _("Họ và tên"), _("Học hàm, học vị"), _("Nơi công tác, chức vụ"),
                _("Đơn vị đề cử")]
    widths = [12, 18, 56, 36, 80, 59]
    for section in listing.sections():
        decision = section.round.decision
        document.paragraph(section.round.name, size=12, bold=True)
        if decision:
            document.paragraph(_("Quyết định số %(number)s ngày %(date)s, người ký: %(signer)s.",
                                 number=decision.number, date=format_date(decision.date), signer=decision.signer))
        for group in section.fields:
            document.paragraph(f"{group.name} ({len(group.honourees)})", size=11, bold=True)
            rows = [[str(i), _photo_file(h), h.full_name,
                     ", ".join(p for p in (h.academic_title_label, h.degree_label) if p),
                     ", ".join(p for p in (h.position, h.workplace) if p), h.organisation]
                    for i, h in enumerate(group.honourees, start=1)]
            document.data_table(headings, rows, widths)
    return document.bytes()
