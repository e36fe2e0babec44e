"""flask CLI: init-db, create-user, outbox send, jobs work, people link, backup, restore."""
import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select

from .core import roles
from .core.db import db
from .core.errors import RuleViolation
from .core.transactions import unit_of_work


def register_cli(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema (alembic upgrade head)."""
        upgrade()
        click.echo("Database schema is up to date.")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", "full_name", required=True)
    @click.option("--role", type=click.Choice(roles.ALL_ROLES), required=True)
    @click.option("--organisation", "organisation_name", help="Organisation name (nominator accounts).")
    @click.option("--chair", is_flag=True, help="Council chair (council accounts).")
    @click.password_option()
    def create_user(email, full_name, role, organisation_name, chair, password):
        """Create an account."""
        from .auth.services import create_user as create
        from .organisations.models import Organisation

        organisation_id = None
        if organisation_name:
            organisation_id = db.session.scalar(select(Organisation.id).where(Organisation.name == organisation_name))
            if organisation_id is None:
                raise click.ClickException(f"No organisation named {organisation_name!r}.")
        try:
            with unit_of_work():
                user = create(email, full_name, role, password, organisation_id=organisation_id, is_chair=chair)
        except RuleViolation as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Created {user.role} account {user.email}.")

    outbox_cli = AppGroup("outbox", help="Email outbox.")

    @outbox_cli.command("send")
    @click.option("--limit", default=100, show_default=True)
    def outbox_send(limit):
        """Deliver due emails once (run it from cron or a systemd timer)."""
        from .core.outbox.services import deliver_due

        counts = deliver_due(limit=limit)
        click.echo(f"sent={counts['sent']} retry_later={counts['pending']} failed={counts['failed']}")

    app.cli.add_command(outbox_cli)

    jobs_cli = AppGroup("jobs", help="Background jobs (exports, large imports).")

    @jobs_cli.command("work")
    @click.option("--once", is_flag=True, help="Run the jobs due now, then exit (tests, cron).")
    @click.option("--idle", "idle_seconds", type=float, default=None,
                  help="Seconds between looks at the queue when idle (default JOBS_IDLE_SECONDS).")
    def jobs_work(once, idle_seconds):
        """Run background jobs until SIGTERM (the worker process beside the web server; README, Production)."""
        import logging

        from flask import current_app

        from .core.jobs import worker

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if once:
            counts = worker.run_due()
            click.echo(" ".join(f"{state}={count}" for state, count in sorted(counts.items())) or "no jobs due")
            return
        worker.work(idle_seconds if idle_seconds is not None else current_app.config["JOBS_IDLE_SECONDS"])

    app.cli.add_command(jobs_cli)

    people_cli = AppGroup("people", help="Intellectuals & experts database.")

    @people_cli.command("link")
    def people_link():
        """Link submitted dossiers and referrals that have no person record yet (run once after upgrading)."""
        from .directory.backfill import link_unlinked

        with unit_of_work():
            linked = link_unlinked()
        click.echo(f"linked={linked}")

    app.cli.add_command(people_cli)

    retention_cli = AppGroup("retention", help="Storage limitation: delete data past its retention period.")

    @retention_cli.command("run")
    @click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
    def retention_run(dry_run):
        """Delete what is past its retention period and audit the counts (run it daily from cron or a timer)."""
        from .retention.services import run

        with unit_of_work():
            counts = run(dry_run=dry_run)
        prefix = "would_delete" if dry_run else "deleted"
        click.echo(" ".join(f"{prefix}.{name}={count}" for name, count in counts.items()))

    app.cli.add_command(retention_cli)

    from .backup.cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
