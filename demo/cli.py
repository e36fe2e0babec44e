"""`flask seed-demo`, registered as a "flask.commands" entry point (pyproject.toml), so honours never imports demo."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from honours.auth.models import User
from honours.core.db import db
from honours.core.transactions import unit_of_work

from .seed import seed


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
@with_appcontext
def seed_demo_command(if_empty):
    """Load a realistic Vietnamese demo round, organisations, accounts and dossiers."""
    if if_empty and db.session.scalar(select(User.id).limit(1)):
        click.echo("Demo data already present; nothing to do.")
        return
    with unit_of_work():  # the whole demo in one transaction, committed at the end
        lines = seed()
    for line in lines:
        click.echo(line)
