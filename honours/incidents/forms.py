from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField, TextAreaField

from honours.core.forms import Form, VNDateTimeField, max_length, number_range, optional, required, required_input


class IncidentForm(Form):
    summary = StringField(_l("Sự việc"), validators=[required(), max_length(500)])
    found_at = VNDateTimeField(_l("Thời điểm phát hiện"), validators=[required_input()])
    people_affected = IntegerField(_l("Số người bị ảnh hưởng (ước tính)"),
                                   validators=[optional(), number_range(0, 100_000_000)])
    data_categories = TextAreaField(_l("Loại dữ liệu liên quan"), validators=[optional(), max_length(5000)])
    measures = TextAreaField(_l("Biện pháp đã thực hiện"), validators=[optional(), max_length(10000)])
    authority_notified_at = VNDateTimeField(_l("Thời điểm đã thông báo cơ quan chuyên trách"),
                                            validators=[optional()])
    people_notified_at = VNDateTimeField(_l("Thời điểm đã thông báo người bị ảnh hưởng"), validators=[optional()])
    notifications = TextAreaField(_l("Nội dung thông báo (gửi ai, cách gửi, số văn bản)"),
                                  validators=[optional(), max_length(5000)])
    closed_at = VNDateTimeField(_l("Thời điểm kết thúc xử lý"), validators=[optional()])
    version = HiddenField()
