from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired

from honours.core.forms import Form, RowForm, VNDateField, max_length, number_range, optional, required
from honours.core.reference import ATTACHMENT_KINDS, DEGREES
from honours.rounds.models import ACHIEVEMENT, GENERAL

from .models import VERDICTS

METHOD_LABELS = {
    "points": _l("Chấm điểm theo tiêu chí (có trọng số)"),
    "standards": _l("Theo tiêu chuẩn (không chấm điểm)"),
    "both": _l("Cả hai: tiêu chuẩn quyết định danh sách bỏ phiếu, điểm để xếp hạng"),
}
KIND_LABELS = {GENERAL: _l("Tiêu chuẩn chung (phải đạt tất cả)"),
               ACHIEVEMENT: _l("Tiêu chuẩn thành tích (đạt ít nhất K)")}


class StandardRowForm(RowForm):
    id = HiddenField()
    kind = SelectField(_l("Loại tiêu chuẩn"), choices=list(KIND_LABELS.items()))
    name = StringField(_l("Tiêu chuẩn"), validators=[optional(), max_length(255)])
    description = TextAreaField(_l("Mô tả"), validators=[optional(), max_length(2000)])
    evidence = TextAreaField(_l("Minh chứng cần nộp"), validators=[optional(), max_length(2000)])
    remove = BooleanField(_l("Bỏ dòng này"))


class SetupForm(Form):
    selection_method = SelectField(_l("Phương thức xét chọn"), choices=list(METHOD_LABELS.items()))
    achievement_standards_needed = IntegerField(_l("Số tiêu chuẩn thành tích phải đạt (K)"), default=1,
                                                validators=[optional(), number_range(1, 50)])
    standards = FieldList(FormField(StandardRowForm), min_entries=1, max_entries=50)
    # The fixed rule types (honours.selection.rules.RULE_TYPES): a switch and its parameters each.
    min_years_in_province = BooleanField(_l("Số năm sinh sống, công tác tại tỉnh tối thiểu"))
    min_years_in_province_years = IntegerField(_l("Số năm tối thiểu"), validators=[optional(), number_range(1, 60)])
    min_degree = BooleanField(_l("Trình độ tối thiểu"))
    min_degree_degree = SelectField(_l("Học vị tối thiểu"), choices=[("", _l("— Chọn —"))] + [
        (k, v) for k, v in DEGREES.items() if k != "other"], validators=[optional()])
    age_limits = BooleanField(_l("Giới hạn tuổi"))
    age_limits_min_age = IntegerField(_l("Tuổi tối thiểu"), validators=[optional(), number_range(18, 100)])
    age_limits_max_age = IntegerField(_l("Tuổi tối đa"), validators=[optional(), number_range(18, 100)])
    age_limits_reference_date = VNDateField(_l("Ngày tính tuổi (để trống: ngày họp hội đồng)"),
                                            validators=[optional()])
    recent_achievement = BooleanField(_l("Có thành tích trong N năm gần đây"))
    recent_achievement_years = IntegerField(_l("Số năm (N)"), validators=[optional(), number_range(1, 30)])
    not_honoured = BooleanField(_l("Chưa được tôn vinh trong chương trình này"))
    not_honoured_years = IntegerField(_l("Trong số năm gần đây (để trống: chưa bao giờ)"),
                                      validators=[optional(), number_range(1, 50)])
    max_per_organisation = BooleanField(_l("Giới hạn số người được đề cử của mỗi đơn vị"))
    max_per_organisation_limit = IntegerField(_l("Tối đa mỗi đơn vị (để trống: giới hạn riêng của từng đơn vị)"),
                                              validators=[optional(), number_range(1, 1000)])


class ClaimRowForm(RowForm):
    standard_id = HiddenField()
    claimed = BooleanField(_l("Người được đề cử đạt tiêu chuẩn này"))
    achievement = SelectField(_l("Thành tích minh chứng"), validate_choice=False)
    attachment = SelectField(_l("Tệp minh chứng"), validate_choice=False)
    note = TextAreaField(_l("Ghi chú"), validators=[optional(), max_length(2000)])


class ClaimsForm(Form):
    claims = FieldList(FormField(ClaimRowForm), min_entries=0, max_entries=50)


class AppraisalRowForm(RowForm):
    standard_id = HiddenField()
    verdict = SelectField(_l("Kết quả"), choices=[("", _l("— Chưa thẩm định —"))] + list(VERDICTS.items()),
                          validators=[optional()])
    note = TextAreaField(_l("Nhận xét hoặc câu hỏi cần làm rõ"), validators=[optional(), max_length(2000)])


class AppraisalForm(Form):
    rows = FieldList(FormField(AppraisalRowForm), min_entries=0, max_entries=50)


class OverrideForm(Form):
    """Accept a dossier despite a failed rule: this form is the confirmation, with the reason."""

    rule_kind = HiddenField(validators=[DataRequired(), max_length(40)])
    confirmed = HiddenField(default="1")
    override_reason = TextAreaField(_l("Lý do chấp nhận dù không đạt điều kiện (ghi vào nhật ký)"),
                                    validators=[required(), max_length(1000)])


class AnswerForm(Form):
    clarification_id = HiddenField(validators=[DataRequired(), max_length(20)])
    answer = TextAreaField(_l("Trả lời"), validators=[required(), max_length(2000)])
    kind = SelectField(_l("Loại tệp"), choices=list(ATTACHMENT_KINDS.items()), default="evidence")
    file = FileField(_l("Tệp bổ sung (không bắt buộc; PDF, JPEG, PNG)"))


class BallotForm(Form):
    """Send a dossier that meets the standards to the ballot list (a "standards" round)."""
