from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, SelectField, TextAreaField

from honours.core.forms import Form, email_address, max_length, optional, required

from .workflows import KIND_LABELS


class LinkForm(Form):
    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value],
                       render_kw={"autocomplete": "email"})


class RequestForm(Form):
    kind = SelectField(_l("Loại yêu cầu"), choices=[("", _l("— Chọn —")), *KIND_LABELS.items()],
                       validators=[required()])
    details = TextAreaField(_l("Nội dung yêu cầu (dữ liệu nào cần sửa, xoá, hạn chế; vì sao)"),
                            validators=[optional(), max_length(5000)])


class ActionForm(Form):
    note = TextAreaField(_l("Việc đã làm"), validators=[required(), max_length(5000)])
    version = HiddenField()


class ReplyForm(Form):
    reply = TextAreaField(_l("Nội dung trả lời (gửi qua email cho người yêu cầu)"),
                          validators=[required(), max_length(10000)])
    version = HiddenField()


class EraseForm(Form):
    note = TextAreaField(_l("Lời nhắn thêm trong thư trả lời (không bắt buộc)"),
                         validators=[optional(), max_length(5000)])
    version = HiddenField()
