from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from honours.core.forms import Form, max_length, optional


class InboxFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Tìm theo tên"), validators=[optional(), max_length(200)])
    field_id = SelectField(_l("Lĩnh vực"), coerce=int, validators=[optional()])
    organisation_id = SelectField(_l("Đơn vị"), coerce=int, validators=[optional()])
    state = SelectField(_l("Trạng thái"), validators=[optional()])
    round_id = SelectField(_l("Đợt xét"), coerce=int, validators=[optional()])
