"""The indicator tables, shared by the dashboard, the Excel report and the PDF report, so all three show the same
numbers. Cells keep their raw value (for Excel) and say how to print it (for HTML and PDF)."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from honours.core.i18n import format_date, format_number
from honours.core.reference import INCLUSION_TARGET_PERCENT

from .services import SMALL_CELL, SUPPRESSED, Counts, Group, HonoursIndicators, Profile, Share, TalentIndicators

DASH = "—"


@dataclass(frozen=True)
class Cell:
    value: int | str | Decimal | bool | None
    kind: str = "text"  # text | number | percent | target | verdict | suppressed (a small cell: no value at all)

    @property
    def text(self) -> str:
        if self.kind == "suppressed":
            return SUPPRESSED
        if self.kind == "percent":
            return DASH if self.value is None else f"{format_number(self.value, 1)}%"
        if self.kind == "target":
            return f"{self.value}%"
        if self.kind == "verdict":
            if self.value is None:
                return DASH
            return _("Đạt") if self.value else _("Chưa đạt")
        return str(self.value)

    @property
    def excel(self):
        """Numbers stay numbers in the spreadsheet and shares are fractions (38.5 % is 0.385, formatted as a
        percentage); a share without denominator is "—" there too, a small cell "< 5"."""
        if self.kind == "suppressed":
            return SUPPRESSED
        if self.kind in ("percent", "target"):
            return DASH if self.value is None else float(Decimal(self.value) / 100)
        if self.kind == "verdict":
            return self.text
        return self.value

    @property
    def css(self) -> str:
        if self.kind == "verdict" and self.value is not None:
            return "verdict verdict-ok" if self.value else "verdict verdict-short"
        return "number" if self.kind in ("number", "percent", "target", "suppressed") else ""


def text(value) -> Cell:
    return Cell(str(value))


def number(value: int) -> Cell:
    return Cell(value, "number")


SMALL = Cell(None, "suppressed")


@dataclass
class Table:
    key: str
    title: str
    sheet: str  # Excel sheet name (at most 31 characters)
    columns: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None  # the footer row, if any
    widths: tuple[int, ...] = ()  # relative PDF column widths


# ---------------------------------------------------------------- definitions (page and report)

def definitions(year: int, young_born_from) -> list[str]:
    return [
        _("Hồ sơ đề cử: mọi hồ sơ đã nộp (không tính hồ sơ nháp)."),
        _("Hợp lệ: hồ sơ đã được thẩm định hợp lệ, kể cả hồ sơ đang chấm điểm, đã chấm điểm, được hoặc không được "
          "hội đồng thông qua và đã công bố."),
        _("Được tôn vinh: hồ sơ có tên trong danh sách đã công bố của đợt xét."),
        _("Dân tộc thiểu số: mọi dân tộc khác dân tộc Kinh. Chỉ số “nữ hoặc dân tộc thiểu số” tính mỗi người một "
          "lần."),
        _("Dưới 45 tuổi: tuổi tròn tính đến ngày 31/12/%(year)s dưới 45, tức sinh từ ngày %(date)s trở đi.",
          year=year, date=format_date(young_born_from)),
        _("Mục tiêu: tối thiểu %(target)s%% là nữ và người dân tộc thiểu số; đạt khi tỷ lệ thực tế (chưa làm tròn) "
          "từ %(target)s%% trở lên. Tỷ lệ có mẫu số bằng 0 được ghi “—”.", target=INCLUSION_TARGET_PERCENT),
        _("Bảo vệ dữ liệu cá nhân: giới tính, dân tộc và tuổi chỉ được dùng để tính số liệu tổng hợp; số người "
          "hoặc tỷ lệ tính trên dưới %(cell)s người được ghi “< %(cell)s” để không nhận ra được từng người. Các "
          "tổng số giữ nguyên.", cell=SMALL_CELL),
        _("Tiến cử người tài: phiếu tiến cử tính theo năm nộp, sàng lọc tính theo năm sàng lọc, tham gia nhiệm vụ "
          "tính theo năm ghi nhận kết quả."),
    ]


# ---------------------------------------------------------------- tables

def _count_cells(counts: Counts) -> list[Cell]:
    return [number(counts.nominees.total), number(counts.eligible.total), number(counts.honourees.total)]


def _count_columns() -> list[str]:
    return [_("Hồ sơ đề cử"), _("Hợp lệ"), _("Được tôn vinh")]


def rounds_table(honours: HonoursIndicators) -> Table:
    published = {r.id: r.published_at is not None for r in honours.rounds}
    rows = [[text(g.label), *_count_cells(g.counts),
             text(_("Đã công bố") if published[int(g.key)] else _("Chưa công bố"))] for g in honours.by_round]
    return Table("rounds", _("Tổng hợp theo đợt xét"), _("Theo đợt xét"),
                 [_("Đợt xét"), *_count_columns(), _("Danh sách tôn vinh")], rows,
                 [text(_("Tổng cộng")), *_count_cells(honours.total), text("")], (60, 22, 22, 22, 28))


def _groups_table(key: str, title: str, sheet: str, heading: str, groups: list[Group], total: Counts,
                  with_quota: bool) -> Table:
    quota = [_("Chỉ tiêu")] if with_quota else []
    rows = [[text(g.label), *([number(g.quota or 0)] if with_quota else []), *_count_cells(g.counts)]
            for g in groups]
    total_quota = [number(sum(g.quota or 0 for g in groups))] if with_quota else []
    widths = (60, 18, 22, 22, 22) if with_quota else (60, 22, 22, 22)
    return Table(key, title, sheet, [heading, *quota, *_count_columns()], rows,
                 [text(_("Tổng cộng")), *total_quota, *_count_cells(total)], widths)


def fields_table(honours: HonoursIndicators) -> Table:
    return _groups_table("fields", _("Theo lĩnh vực"), _("Theo lĩnh vực"), _("Lĩnh vực"), honours.by_field,
                         honours.total, with_quota=True)


def org_types_table(honours: HonoursIndicators) -> Table:
    return _groups_table("org_types", _("Theo loại đơn vị đề cử"), _("Theo loại đơn vị"), _("Loại đơn vị"),
                         honours.by_org_type, honours.total, with_quota=False)


def _share_row(indicator: str, population: str, share: Share) -> list[Cell]:
    """A share based on fewer than 5 people shows "< 5" for the count and the share, and no verdict (it would
    narrow the small cell down) (services.is_small_cell); the population (denominator) stays."""
    target = share.target
    small = share.suppressed
    return [text(indicator), text(population), SMALL if small else number(share.count), number(share.total),
            SMALL if small else Cell(share.percent, "percent"),
            Cell(target, "target") if target is not None else text(""),
            Cell(None if small else share.meets_target, "verdict") if target is not None else text("")]


def inclusion_indicators() -> list[tuple[str, str]]:
    """(Profile share attribute, label) in the order of the table and the chart."""
    return [
        ("women_share", _("Nữ")),
        ("minorities_share", _("Người dân tộc thiểu số")),
        ("women_or_minorities_share", _("Nữ hoặc dân tộc thiểu số (mỗi người tính một lần)")),
        ("young_share", _("Dưới 45 tuổi")),
        ("overseas_share", _("Đang sinh sống, làm việc ở nước ngoài")),
    ]


def populations(honours: HonoursIndicators) -> list[tuple[str, Profile]]:
    return [(_("Người được đề cử"), honours.total.nominees), (_("Người được tôn vinh"), honours.total.honourees)]


def inclusion_table(honours: HonoursIndicators) -> Table:
    rows = [_share_row(label, population, getattr(profile, attribute))
            for population, profile in populations(honours) for attribute, label in inclusion_indicators()]
    return Table("inclusion", _("Bình đẳng giới, dân tộc thiểu số, trí thức trẻ và ở nước ngoài"),
                 _("Hòa nhập"),
                 [_("Chỉ số"), _("Đối tượng"), _("Số người"), _("Mẫu số"), _("Tỷ lệ"), _("Mục tiêu"),
                  _("Đánh giá")], rows, None, (52, 32, 16, 16, 18, 18, 22))


def talent_rows(talent: TalentIndicators) -> list[tuple[str, int]]:
    return [
        (_("Phiếu tiến cử nhận trong năm"), talent.received),
        (_("Trong đó: người ở nước ngoài"), talent.received_overseas),
        (_("Phiếu tiến cử đã sàng lọc"), talent.screened),
        (_("Trong đó: tiếp nhận vào nguồn nhân tài"), talent.accepted),
        (_("Trong đó: không tiếp nhận"), talent.declined),
        (_("Lượt tham gia nhiệm vụ, đặt hàng"), talent.engagements),
        (_("Số người tài tham gia nhiệm vụ"), talent.engaged_people),
    ]


def talent_table(talent: TalentIndicators) -> Table:
    rows = [[text(label), number(value)] for label, value in talent_rows(talent)]
    return Table("talent", _("Tiến cử người tài năm %(year)s", year=talent.year), _("Tiến cử người tài"),
                 [_("Chỉ số"), _("Số lượng")], rows, None, (120, 40))


def all_tables(honours: HonoursIndicators, talent: TalentIndicators) -> list[Table]:
    return [rounds_table(honours), fields_table(honours), org_types_table(honours), inclusion_table(honours),
            talent_table(talent)]
