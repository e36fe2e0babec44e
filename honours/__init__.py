"""Bắc Ninh honours platform: create_app() wires config, extensions, blueprints, CLI and error handlers."""
import os
from pathlib import Path

from flask import Flask

from .config import (  # noqa: F401  (InsecureConfiguration re-exported)
    Config,
    InsecureConfiguration,
    finalise,
    read_secret_key_file,
)
from .core.db import db
from .core.extensions import babel, csrf, login_manager, mail, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=os.environ.get("HONOURS_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _apply_defaults(app)

    from . import models  # noqa: F401  (registers every table)
    from .blueprints import init_blueprints
    from .core import querycount
    from .core.http import init_http, wrap_wsgi
    from .core.i18n import init_i18n

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    init_i18n(app, babel)
    if querycount.enabled():  # the load benchmark's X-Query-Count header; never on by default
        querycount.init_query_count(app, db)
    init_http(app)
    init_blueprints(app)
    wrap_wsgi(app)

    from .cli import register_cli

    register_cli(app)
    return app


def _apply_defaults(app: Flask) -> None:
    read_secret_key_file(app.config, app.instance_path)
    finalise(app.config)  # refuses the default SECRET_KEY in production; Secure cookies, https URLs
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "honours.sqlite")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):  # use psycopg 3, the driver we install
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
