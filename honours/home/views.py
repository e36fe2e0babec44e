from flask import Blueprint, render_template
from flask_login import current_user

from . import todo

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Public landing page; signed-in users see what waits for them, with counts linking to the lists."""
    work = todo.for_role(current_user) if current_user.is_authenticated else None
    return render_template("home/index.html", work=work)
