"""Forms of the review stage: council membership, assignment, score sheets, reasons."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from honours.core.forms import Form, max_length, number_range, optional, required

from .services import SheetInput

NONE = 0  # the "(none)" choice of optional selects


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (easier than a multi-select list, and accessible)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MemberForm(Form):
    panel_field_id = SelectField(_l("Tiểu ban lĩnh vực"), coerce=int, default=NONE, validators=[optional()])
    affiliation_organisation_id = SelectField(_l("Đơn vị công tác (nếu là đơn vị đề cử)"), coerce=int,
                                              default=NONE, validators=[optional()])
    affiliation = StringField(_l("Cơ quan công tác"), validators=[optional(), max_length(255)])
    expertise = CheckboxesField(_l("Chuyên môn"), coerce=int, validators=[optional()])

    def set_choices(self, round_, organisations) -> None:
        self.panel_field_id.choices = [(NONE, _l("(Không thuộc tiểu ban)"))] + [(f.id, f.name) for f in round_.fields]
        self.affiliation_organisation_id.choices = [(NONE, _l("(Không)"))] + [(o.id, o.name) for o in organisations]
        self.expertise.choices = [(f.id, f.name) for f in round_.fields]


class ExpertiseForm(Form):
    """A member declares their own expertise in one round."""

    expertise = CheckboxesField(_l("Lĩnh vực chuyên môn của tôi"), coerce=int, validators=[optional()])

    def set_choices(self, round_) -> None:
        self.expertise.choices = [(f.id, f.name) for f in round_.fields]


class NewMemberForm(MemberForm):
    user_id = SelectField(_l("Thành viên"), coerce=int, validators=[required()])


class AssignForm(Form):
    """Several dossiers (the ticked rows of the assignments table) for one reviewer. The service checks that the
    dossiers belong to the round and may be assigned, so the ticked ids are not limited to a page's choices."""

    dossier_ids = SelectMultipleField(_l("Hồ sơ"), coerce=int, validate_choice=False, validators=[optional()])
    dossier_id = IntegerField(validators=[optional()])  # a single dossier (scripts, older links)
    # No reviewer preselected (NONE is "choose one").
    reviewer_id = SelectField(_l("Người chấm"), coerce=int, default=NONE,
                              validators=[DataRequired(message=_l("Vui lòng chọn người chấm."))])

    def chosen_dossiers(self) -> list[int]:
        return [*(self.dossier_ids.data or []), *([self.dossier_id.data] if self.dossier_id.data else [])]


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


class UnassignForm(Form):
    """The confirmation page of a removal: the reason is asked there, not beside every assignment."""

    confirmed = HiddenField(default="1")
    reason = StringField(_l("Lý do gỡ (không bắt buộc)"), validators=[optional(), max_length(500)])


class ReasonForm(Form):
    reason = TextAreaField(_l("Lý do"), validators=[required(), max_length(2000)])


class ConflictForm(Form):
    reason = TextAreaField(_l("Lý do xung đột lợi ích"), validators=[required(), max_length(2000)])


class PointsField(DecimalField):
    """Points typed with a decimal comma (Vietnamese) or point (browsers' number inputs) alike."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).strip().replace(",", ".")]
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        try:
            self.data = Decimal(valuelist[0]) if valuelist else None
        except (InvalidOperation, ValueError):
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value.")) from None
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # exactly what was typed
        return format(self.data.normalize(), "f") if self.data is not None else ""  # 7.50 -> 7.5, 10.00 -> 10


class ScoreSheetForm(Form):
    version = HiddenField()
    overall_comment = TextAreaField(_l("Nhận xét chung"), validators=[optional(), max_length(5000)])
    save = SubmitField(_l("Lưu nháp"))
    submit_sheet = SubmitField(_l("Nộp phiếu"))

    criteria: list = []

    def points_field(self, criterion):
        return self[f"points_{criterion.id}"]

    def comment_field(self, criterion):
        return self[f"comment_{criterion.id}"]

    def rows(self):
        return [(c, self.points_field(c), self.comment_field(c)) for c in self.criteria]

    def to_input(self) -> SheetInput:
        return SheetInput(points={c.id: self.points_field(c).data for c in self.criteria},
                          comments={c.id: self.comment_field(c).data or "" for c in self.criteria},
                          overall_comment=self.overall_comment.data or "")


def score_sheet_form(criteria, score_decimals: int, sheet=None, **kwargs) -> ScoreSheetForm:
    """A sheet form with one points and one comment field per criterion of the round. Given a sheet (GET), it
    starts from the saved values; without (POST), from the request."""
    step = str(Decimal(1).scaleb(-score_decimals)) if score_decimals else "1"

    class SheetForm(ScoreSheetForm):
        pass

    for criterion in criteria:
        maximum = criterion.max_points
        setattr(SheetForm, f"points_{criterion.id}", PointsField(
            _l("Điểm"), places=None, validators=[optional(), number_range(0, maximum)],
            render_kw={"type": "number", "min": "0", "max": format(maximum.normalize(), "f"), "step": step,
                       "inputmode": "decimal", "class": "short",
                       # For the running total (static/js/score-total.js): the same formula as totals.py.
                       "data-weight": format(criterion.weight.normalize(), "f")}))
        setattr(SheetForm, f"comment_{criterion.id}", TextAreaField(
            _l("Nhận xét"), validators=[optional(), max_length(5000)], render_kw={"rows": 2}))
    SheetForm.criteria = list(criteria)
    if sheet is not None:
        items = {item.criterion_id: item for item in sheet.items}
        for criterion in criteria:
            item = items.get(criterion.id)
            kwargs.setdefault(f"points_{criterion.id}", item.points if item else None)
            kwargs.setdefault(f"comment_{criterion.id}", item.comment if item else "")
        kwargs.setdefault("overall_comment", sheet.overall_comment)
        kwargs.setdefault("version", sheet.version)
        return SheetForm(formdata=None, **kwargs)
    return SheetForm(**kwargs)
