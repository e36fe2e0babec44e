"""The person profile that dossiers, referrals and person records share: its columns, form fields, data and rules.

Each feature adds its own fields (a dossier's round field and merits, a referral's expertise and justification, a
person record's field and consent) on top of these.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired

from . import clock
from .errors import RuleViolation
from .forms import Form, VNDateField, email_address, max_length, optional, required, required_input
from .reference import ACADEMIC_TITLES, DEGREES, ETHNICITIES, GENDERS

PROFILE_FIELDS = ("full_name", "gender", "date_of_birth", "ethnicity", "hometown", "workplace", "position",
                  "academic_title", "degree", "email", "phone", "is_overseas")
# Labels of the profile fields, on every form that edits them and in the audit of a person record's corrections.
PROFILE_LABELS = {
    "full_name": _l("Họ và tên"), "gender": _l("Giới tính"), "date_of_birth": _l("Ngày sinh"),
    "ethnicity": _l("Dân tộc"), "hometown": _l("Quê quán"), "workplace": _l("Cơ quan công tác"),
    "position": _l("Chức vụ"), "academic_title": _l("Học hàm"), "degree": _l("Học vị"), "email": _l("Email"),
    "phone": _l("Điện thoại"), "is_overseas": _l("Trí thức người Việt Nam ở nước ngoài"),
}


# ---------------------------------------------------------------- columns

class ProfileColumns:
    """The profile columns, and the display labels of its coded values. Every column is declared per table, so a
    table can index the ones its lists filter on by naming them in `indexed_profile_columns`."""

    indexed_profile_columns: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _column(cls, name: str, *args, **kwargs):
        return mapped_column(*args, index=True if name in cls.indexed_profile_columns else None, **kwargs)

    @declared_attr
    def full_name(cls) -> Mapped[str]:
        return cls._column("full_name", String(200))

    @declared_attr
    def name_folded(cls) -> Mapped[str]:
        return cls._column("name_folded", String(200))

    @declared_attr
    def gender(cls) -> Mapped[str]:
        return cls._column("gender", String(10))

    @declared_attr
    def date_of_birth(cls) -> Mapped[date]:
        return cls._column("date_of_birth")

    @declared_attr
    def ethnicity(cls) -> Mapped[str]:
        return cls._column("ethnicity", String(40))

    @declared_attr
    def hometown(cls) -> Mapped[str]:
        return cls._column("hometown", String(255), default="")

    @declared_attr
    def workplace(cls) -> Mapped[str]:
        return cls._column("workplace", String(255), default="")

    @declared_attr
    def position(cls) -> Mapped[str]:
        return cls._column("position", String(255), default="")

    @declared_attr
    def academic_title(cls) -> Mapped[str]:
        return cls._column("academic_title", String(10), default="")

    @declared_attr
    def degree(cls) -> Mapped[str]:
        return cls._column("degree", String(10), default="")

    @declared_attr
    def email(cls) -> Mapped[str]:
        return cls._column("email", String(254), default="")

    @declared_attr
    def phone(cls) -> Mapped[str]:
        return cls._column("phone", String(30), default="")

    @declared_attr
    def is_overseas(cls) -> Mapped[bool]:
        return cls._column("is_overseas", default=False)

    @property
    def gender_label(self) -> str:
        return str(GENDERS.get(self.gender, self.gender))

    @property
    def degree_label(self) -> str:
        return str(DEGREES.get(self.degree, self.degree)) if self.degree else ""

    @property
    def academic_title_label(self) -> str:
        return str(ACADEMIC_TITLES.get(self.academic_title, self.academic_title)) if self.academic_title else ""


# ---------------------------------------------------------------- form

CHOOSE = ("", _l("— Chọn —"))


class ProfileForm(Form):
    """The profile fields of a page form; the feature's form adds its own (and may redefine one)."""

    full_name = StringField(PROFILE_LABELS["full_name"], validators=[required(), max_length(200)])
    # Gender and ethnicity start empty and must be chosen: a preselected value would be recorded for whoever did not
    # look (and bias the women-and-minorities indicator).
    gender = SelectField(PROFILE_LABELS["gender"], choices=[CHOOSE, *GENDERS.items()],
                         validators=[DataRequired(message=_l("Vui lòng chọn giới tính."))])
    date_of_birth = VNDateField(PROFILE_LABELS["date_of_birth"], validators=[required_input()])
    ethnicity = SelectField(PROFILE_LABELS["ethnicity"], choices=[CHOOSE, *((e, e) for e in ETHNICITIES)],
                            validators=[DataRequired(message=_l("Vui lòng chọn dân tộc."))])
    hometown = StringField(PROFILE_LABELS["hometown"], validators=[optional(), max_length(255)])
    workplace = StringField(PROFILE_LABELS["workplace"], validators=[optional(), max_length(255)])
    position = StringField(PROFILE_LABELS["position"], validators=[optional(), max_length(255)])
    academic_title = SelectField(PROFILE_LABELS["academic_title"], choices=list(ACADEMIC_TITLES.items()))
    degree = SelectField(PROFILE_LABELS["degree"], choices=[("", _l("— Chọn học vị —")), *DEGREES.items()],
                         validators=[required()])
    email = EmailField(PROFILE_LABELS["email"], validators=[optional(), email_address(), max_length(254)])
    phone = StringField(PROFILE_LABELS["phone"], validators=[optional(), max_length(30)])
    is_overseas = BooleanField(PROFILE_LABELS["is_overseas"])

    def values(self, names: Iterable[str], keep_none: Iterable[str] = ("date_of_birth",)) -> dict:
        """The data of these fields by name; a text left out (None) becomes "", except for the `keep_none` ones
        (a missing date or id stays None, for the rules to refuse)."""
        keep_none = set(keep_none)
        values = {name: self[name].data for name in names}
        return {name: "" if value is None and name not in keep_none else value for name, value in values.items()}


# ---------------------------------------------------------------- data and rules

@dataclass(kw_only=True)
class ProfileData:
    """The profile as filled in, validated by profile_problems() whatever the form did."""

    full_name: str
    gender: str
    date_of_birth: date
    ethnicity: str
    hometown: str = ""
    workplace: str = ""
    position: str = ""
    academic_title: str = ""
    degree: str = ""
    email: str = ""
    phone: str = ""
    is_overseas: bool = False


def profile_problems(data: ProfileData, name_message: str, *, degree_optional: bool = False,
                     after_name: Iterable[tuple[str, str]] = (),
                     before_birth: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Every broken profile rule as (attribute, message), with the feature's own problems where its users have
    always seen them: the name, `after_name` (the field), gender / academic title / degree, ethnicity,
    `before_birth`, the date of birth. `name_message` names who is missing a name; a person record may leave its
    degree unknown (`degree_optional`)."""
    problems = []
    if not (data.full_name or "").strip():
        problems.append(("full_name", name_message))
    problems.extend(after_name)
    for name, valid in (("degree", data.degree in DEGREES or (degree_optional and not data.degree)),
                        ("academic_title", data.academic_title in ACADEMIC_TITLES),
                        ("gender", data.gender in GENDERS)):
        if not valid:
            problems.append((name, _("Giới tính, học hàm hoặc học vị không hợp lệ.")))
    if data.ethnicity not in ETHNICITIES:
        problems.append(("ethnicity", _("Dân tộc không có trong danh mục 54 dân tộc.")))
    problems.extend(before_birth)
    born = data.date_of_birth
    if born is None or born >= clock.now().date() or born.year < 1900:
        problems.append(("date_of_birth", _("Ngày sinh không hợp lệ.")))
    return problems


def refuse_first(problems: list[tuple[str, str]]) -> None:
    """A service refuses with the first problem (a form shows one message at a time)."""
    if problems:
        raise RuleViolation(problems[0][1])
