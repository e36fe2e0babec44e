from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from honours.core.forms import Form, required

NO_ROUND = 0


def _file_field():
    return FileField(_l("Tệp Excel (.xlsx)"),
                     validators=[FileRequired(message=_l("Vui lòng chọn tệp Excel (.xlsx) để tải lên."))],
                     render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})


class DossierImportForm(Form):
    round_id = SelectField(_l("Đợt xét"), coerce=int, validators=[required()])
    file = _file_field()


class AccountImportForm(Form):
    round_id = SelectField(_l("Đưa thành viên hội đồng vào hội đồng của đợt"), coerce=int, default=NO_ROUND)
    file = _file_field()

    def set_rounds(self, rounds) -> None:
        none = (NO_ROUND, _l("(Tệp không có thành viên hội đồng)"))
        self.round_id.choices = [none] + [(r.id, r.name) for r in rounds]
