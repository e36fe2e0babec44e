from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from honours.core.forms import Form

NO_ORGANISATION = 0


class IntakeForm(Form):
    # The secretariat's only: an organisation always loads its own staff.
    organisation_id = SelectField(_l("Danh sách nhân sự của đơn vị"), coerce=int, default=NO_ORGANISATION)
    file = FileField(_l("Tệp Excel (.xlsx)"),
                     validators=[FileRequired(message=_l("Vui lòng chọn tệp Excel (.xlsx) để tải lên."))],
                     render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})

    def set_organisations(self, organisations) -> None:
        self.organisation_id.choices = [(NO_ORGANISATION, _l("(Không gắn với đơn vị nào)")),
                                        *((o.id, o.name) for o in organisations)]
