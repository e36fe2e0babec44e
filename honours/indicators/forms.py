from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from honours.core.forms import Form, optional


class SelectionForm(Form):
    """The dashboard's GET selector: a year, and the whole year (0) or one of its honours rounds."""

    class Meta:
        csrf = False  # a GET form

    year = SelectField(_l("Năm"), coerce=int, validators=[optional()])
    round_id = SelectField(_l("Đợt xét"), coerce=int, validators=[optional()])
