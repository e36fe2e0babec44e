from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo

from honours.core.forms import Form, email_address, max_length, optional, required
from honours.core.roles import ROLE_LABELS


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Mật khẩu"), validators=[required(), max_length(200)])


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[required()])
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[required(), max_length(200)])
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[required(), EqualTo("new_password", message=_l("Hai mật khẩu không khớp."))],
    )


class UserForm(Form):
    """Creating or editing an account. No password: the owner chooses it through the invitation link."""

    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)])
    full_name = StringField(_l("Họ và tên"), validators=[required(), max_length(200)])
    role = SelectField(_l("Vai trò"), choices=[(k, v) for k, v in ROLE_LABELS.items()], validators=[required()])
    organisation_id = SelectField(_l("Đơn vị (với tài khoản đơn vị đề cử)"), coerce=int, validators=[optional()])
    is_chair = BooleanField(_l("Chủ tịch hội đồng"))


class TwoFactorCodeForm(Form):
    code = StringField(_l("Mã xác thực"), validators=[required(), max_length(40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class TwoFactorEnableForm(TwoFactorCodeForm):
    password = PasswordField(_l("Mật khẩu hiện tại"), validators=[required(), max_length(200)],
                             render_kw={"autocomplete": "current-password"})


class TwoFactorLoginForm(Form):
    code = StringField(_l("Mã xác thực hoặc mã khôi phục"), validators=[required(), max_length(40)],
                       render_kw={"autocomplete": "one-time-code", "autofocus": True})


class TwoFactorDisableForm(Form):
    proof = PasswordField(_l("Mã xác thực hiện tại hoặc mật khẩu"), validators=[required(), max_length(200)],
                          render_kw={"autocomplete": "off"})


class SecurityPolicyForm(Form):
    """One "two-factor login required" box per role that can use it (field names are the role codes)."""

    admin = BooleanField(ROLE_LABELS["admin"])
    secretariat = BooleanField(ROLE_LABELS["secretariat"])
    council = BooleanField(ROLE_LABELS["council"])
