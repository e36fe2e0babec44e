"""GET /healthz for the load balancer: the app answers and its database does (SELECT 1)."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from honours.core.db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check():
    """Anonymous and cheap. Never touches the session (no cookie), never cached, and on failure says only
    "error": the cause goes to the log, not to whoever polls the URL."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except (SQLAlchemyError, OSError):
        current_app.logger.exception("health check: the database does not answer")
        try:
            db.session.rollback()
        except SQLAlchemyError:
            current_app.logger.debug("health check: rollback failed too (connection gone)")
        response = jsonify(status="error")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok")
    response.headers["Cache-Control"] = "no-store"
    return response
