from flask import Blueprint, render_template
from flask_login import current_user

from honours.core import roles

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Public landing page; signed-in users see the entry points of their role."""
    if current_user.is_authenticated and current_user.role == roles.NOMINATOR:
        from honours.nominations.services import open_rounds

        return render_template("home/index.html", open_rounds=open_rounds())
    return render_template("home/index.html", open_rounds=[])
