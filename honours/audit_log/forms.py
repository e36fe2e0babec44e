from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField

from honours.core.forms import Form, VNDateField, max_length, number_range, optional
from honours.core.urls import MAX_ID


class LogFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form

    actor = StringField(_l("Người thực hiện (email hoặc tên)"), validators=[optional(), max_length(200)])
    entity_type = SelectField(_l("Loại đối tượng"), validators=[optional()])
    entity_id = IntegerField(_l("Mã đối tượng"), validators=[optional(), number_range(0, MAX_ID)])
    action = SelectField(_l("Thao tác"), validators=[optional()])
    date_from = VNDateField(_l("Từ ngày"), validators=[optional()])
    date_to = VNDateField(_l("Đến ngày"), validators=[optional()])
    q = StringField(_l("Lý do có chứa"), validators=[optional(), max_length(200)])
