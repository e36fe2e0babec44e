from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField

from honours.core.forms import Form, max_length, optional, required


class TemplateForm(Form):
    title = StringField(_l("Tiêu đề"), validators=[required(), max_length(120)])
    text = TextAreaField(_l("Nội dung chứng nhận (năm của đợt xét được thêm vào cuối)"),
                         validators=[required(), max_length(500)])
    signer_capacity = StringField(_l("Thẩm quyền ký (không bắt buộc, ví dụ \"TM.\", \"KT.\")"),
                                  validators=[optional(), max_length(120)])
    signer_title = StringField(_l("Chức danh người ký"), validators=[required(), max_length(120)])
    signer_name = StringField(_l("Họ và tên người ký"), validators=[optional(), max_length(120)])
    logo = FileField(_l("Biểu trưng (không bắt buộc; ảnh JPEG hoặc PNG)"))
    remove_logo = BooleanField(_l("Bỏ biểu trưng đang dùng"))


class ReasonForm(Form):
    reason = TextAreaField(_l("Lý do"), validators=[required(), max_length(1000)])
