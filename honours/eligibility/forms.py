from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from honours.forms import Form, VNDateTimeField, max_length, optional


class DecisionForm(Form):
    version = HiddenField()
    action = SelectField(
        _l("Kết luận"),
        choices=[
            ("mark_eligible", _l("Hợp lệ")),
            ("return", _l("Yêu cầu bổ sung")),
            ("mark_ineligible", _l("Không hợp lệ")),
        ],
    )
    reason = TextAreaField(_l("Lý do (bắt buộc khi yêu cầu bổ sung hoặc không hợp lệ)"), validators=[optional(), max_length(5000)])
    supplement_deadline = VNDateTimeField(_l("Hạn nộp bổ sung"), validators=[optional()])


class InboxFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Tìm theo tên"), validators=[optional(), max_length(200)])
    field_id = SelectField(_l("Lĩnh vực"), coerce=int, validators=[optional()])
    organisation_id = SelectField(_l("Đơn vị"), coerce=int, validators=[optional()])
    state = SelectField(_l("Trạng thái"), validators=[optional()])
    round_id = SelectField(_l("Đợt xét"), coerce=int, validators=[optional()])
