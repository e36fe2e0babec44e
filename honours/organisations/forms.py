from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField

from honours.core.forms import Form, email_address, max_length, number_range, optional, required
from honours.core.reference import ORGANISATION_TYPES


class OrganisationForm(Form):
    name = StringField(_l("Tên đơn vị"), validators=[required(), max_length(255)])
    org_type = SelectField(_l("Loại đơn vị"), choices=list(ORGANISATION_TYPES.items()))
    contact_person = StringField(_l("Người liên hệ"), validators=[optional(), max_length(200)])
    email = EmailField(_l("Email nhận thông báo"), validators=[optional(), email_address(), max_length(254)])
    phone = StringField(_l("Điện thoại"), validators=[optional(), max_length(30)])
    address = StringField(_l("Địa chỉ"), validators=[optional(), max_length(300)])
    nomination_limit = IntegerField(
        _l("Số hồ sơ tối đa mỗi đợt (để trống nếu không giới hạn)"),
        validators=[optional(), number_range(0, 1000)],
    )
