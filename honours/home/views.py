from flask import Blueprint, render_template
from flask_login import current_user

from honours.notice import services as notice
from honours.publication import open_call

from . import todo

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Public landing page: the open call for visitors; signed-in users see what waits for them, with counts
    linking to the lists."""
    if current_user.is_authenticated:
        return render_template("home/index.html", work=todo.for_role(current_user))
    return render_template("home/index.html", work=None, public=open_call.home_page(),
                           contact=open_call.contact(), notices=notice.running_rounds())
