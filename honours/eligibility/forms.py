from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from honours.core.forms import Form, max_length, optional, required


class InboxFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Tìm theo tên"), validators=[optional(), max_length(200)])
    field_id = SelectField(_l("Lĩnh vực"), coerce=int, validators=[optional()])
    organisation_id = SelectField(_l("Đơn vị"), coerce=int, validators=[optional()])
    state = HiddenField(validators=[optional(), max_length(20)])  # the tab, kept when filtering
    round_id = SelectField(_l("Đợt xét"), coerce=int, validators=[optional()])
    sort = HiddenField(validators=[optional(), max_length(20)])


class ReopenCheckForm(Form):
    """Send an eligible dossier back to the check: this page is the confirmation, with the reason."""

    version = HiddenField()
    confirmed = HiddenField(default="1")
    reason = TextAreaField(_l("Lý do đưa về bước thẩm định (ghi vào nhật ký)"),
                           validators=[required(), max_length(2000)])
