from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField

from honours.core.forms import Form, max_length, optional


class SignedDecisionForm(Form):
    file = FileField(_l("Tệp quyết định (PDF có chữ ký số)"))
    note = TextAreaField(_l("Ghi chú (bắt buộc khi tệp không có chữ ký số hợp lệ)"),
                         validators=[optional(), max_length(2000)])
