"""Chart descriptions for static/js/indicators.js (JSON in a data attribute of each <canvas>).

Only labels and numbers travel to the browser; colours and Chart.js options live in the script. A share without
denominator is null, which Chart.js leaves out (the table next to the chart shows "—"); so is a suppressed small
cell (the table shows "< 5"): its value never reaches the browser.
"""
from flask_babel import gettext as _

from honours.core.reference import INCLUSION_TARGET_PERCENT

from .services import Group, HonoursIndicators, TalentIndicators
from .tables import inclusion_indicators, populations, talent_rows

TARGET_INDICATORS = 3  # women, minorities, women or minorities: the ones with the 40% minimum


def _counts_chart(title: str, groups: list[Group]) -> dict:
    return {
        "title": title,
        "type": "bar",
        "labels": [g.label for g in groups],
        "series": [
            {"label": _("Hồ sơ đề cử"), "data": [g.counts.nominees.total for g in groups]},
            {"label": _("Hợp lệ"), "data": [g.counts.eligible.total for g in groups]},
            {"label": _("Được tôn vinh"), "data": [g.counts.honourees.total for g in groups]},
        ],
    }


def field_chart(honours: HonoursIndicators) -> dict:
    return _counts_chart(_("Hồ sơ theo lĩnh vực"), honours.by_field)


def org_type_chart(honours: HonoursIndicators) -> dict:
    return _counts_chart(_("Hồ sơ theo loại đơn vị đề cử"), honours.by_org_type)


def inclusion_chart(honours: HonoursIndicators) -> dict:
    indicators = inclusion_indicators()[:TARGET_INDICATORS]
    series = []
    for population, profile in populations(honours):
        shares = [getattr(profile, attribute) for attribute, _label in indicators]
        series.append({"label": population, "data": [None if s.suppressed or s.percent is None else float(s.percent)
                                                      for s in shares]})
    return {
        "title": _("Tỷ lệ nữ và người dân tộc thiểu số so với mục tiêu %(target)s%%",
                   target=INCLUSION_TARGET_PERCENT),
        "type": "bar",
        "percent": True,
        "labels": [label for _attribute, label in indicators],
        "series": series,
        "target": {"label": _("Mục tiêu tối thiểu %(target)s%%", target=INCLUSION_TARGET_PERCENT),
                   "value": INCLUSION_TARGET_PERCENT},
    }


def talent_chart(talent: TalentIndicators) -> dict:
    rows = talent_rows(talent)
    return {
        "title": _("Tiến cử người tài năm %(year)s", year=talent.year),
        "type": "bar",
        "horizontal": True,
        "labels": [label for label, _value in rows],
        "series": [{"label": _("Số lượng"), "data": [value for _label, value in rows]}],
    }


def all_charts(honours: HonoursIndicators, talent: TalentIndicators) -> dict[str, dict]:
    """Charts by the key of the table showing the same numbers."""
    return {"fields": field_chart(honours), "org_types": org_type_chart(honours),
            "inclusion": inclusion_chart(honours), "talent": talent_chart(talent)}
