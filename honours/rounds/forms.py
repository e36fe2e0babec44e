from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from honours.core.forms import (
    Form,
    RowForm,
    VNDateField,
    VNDateTimeField,
    max_length,
    number_range,
    optional,
    required,
    required_input,
)
from honours.core.reference import APPROVAL_RULE_LABELS, ATTACHMENT_KINDS, PROGRAMMES, QUORUM_RULE_LABELS

from .models import DEFAULT_REQUIRED_ATTACHMENT_KINDS


class FieldRowForm(RowForm):
    id = HiddenField()
    name = StringField(_l("Lĩnh vực"), validators=[optional(), max_length(200)])
    quota = IntegerField(_l("Chỉ tiêu"), default=0, validators=[optional(), number_range(0, 1000)])
    remove = BooleanField(_l("Bỏ dòng này"))


class CriterionRowForm(RowForm):
    id = HiddenField()
    name = StringField(_l("Tiêu chí"), validators=[optional(), max_length(255)])
    description = TextAreaField(_l("Mô tả"), validators=[optional(), max_length(2000)])
    max_points = DecimalField(_l("Điểm tối đa"), places=2, validators=[optional(), number_range(0, 1000)])
    weight = DecimalField(_l("Trọng số (phần trăm)"), places=2, validators=[optional(), number_range(0, 100)])
    remove = BooleanField(_l("Bỏ dòng này"))


class RoundForm(Form):
    name = StringField(_l("Tên đợt xét"), validators=[required(), max_length(255)])
    programme = SelectField(_l("Chương trình"), choices=list(PROGRAMMES.items()))
    year = IntegerField(_l("Năm"), validators=[required(), number_range(2000, 2100)])
    description = TextAreaField(_l("Mô tả"), validators=[optional(), max_length(5000)])
    nominations_open_at = VNDateTimeField(_l("Mở nhận hồ sơ"), validators=[required_input()])
    nominations_close_at = VNDateTimeField(_l("Hạn nộp hồ sơ"), validators=[required_input()])
    review_close_at = VNDateTimeField(_l("Hạn chấm điểm"), validators=[required_input()])
    council_date = VNDateField(_l("Ngày họp hội đồng"), validators=[required_input()])
    reviewers_per_dossier = IntegerField(_l("Số người chấm mỗi hồ sơ"), default=3,
                                         validators=[required(), number_range(1, 20)])
    quorum_rule = SelectField(_l("Điều kiện họp hợp lệ (túc số)"), choices=list(QUORUM_RULE_LABELS.items()))
    approval_rule = SelectField(_l("Ngưỡng thông qua"), choices=list(APPROVAL_RULE_LABELS.items()))
    min_average_score = DecimalField(_l("Điểm trung bình tối thiểu"), places=2,
                                     validators=[optional(), number_range(0, 1000)])
    score_decimals = IntegerField(_l("Số chữ số thập phân khi chấm"), default=1,
                                  validators=[optional(), number_range(0, 2)])
    trim_extremes = BooleanField(_l("Bỏ điểm cao nhất và thấp nhất khi có từ 5 người chấm"), default=True)
    deviation_flag_percent = IntegerField(_l("Cảnh báo khi điểm lệch trung bình quá (%)"), default=20,
                                          validators=[optional(), number_range(1, 100)])
    required_kinds = SelectMultipleField(
        _l("Tệp bắt buộc trong mỗi hồ sơ"), choices=[(k, v) for k, v in ATTACHMENT_KINDS.items() if k != "other"],
        default=list(DEFAULT_REQUIRED_ATTACHMENT_KINDS),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    fields = FieldList(FormField(FieldRowForm), min_entries=1)
    criteria = FieldList(FormField(CriterionRowForm), min_entries=1)
