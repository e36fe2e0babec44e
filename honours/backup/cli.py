"""`flask backup` and `flask restore` (registered in honours/cli.py)."""
import click

from .services import BackupError, create_backup, stage_restore


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Archive to write (default: <instance>/backups/honours-backup-<time>.tar.gz).")
def backup_command(output):
    """Back up the database and the attachments folder into one .tar.gz with a checksummed manifest."""
    try:
        result = create_backup(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for path in result.skipped:
        click.echo(f"Skipped (not a regular file): {path}", err=True)
    size = result.path.stat().st_size
    click.echo(f"Backup written to {result.path} ({result.manifest['dialect']} database, "
               f"{result.upload_count} attachment files, {size / 1024 / 1024:.1f} MB).")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(archive, yes):
    """Replace the database and the attachments folder with a backup (verified before anything changes).

    Stop the app servers and the outbox worker first."""
    try:
        staged = stage_restore(archive)
    except BackupError as error:
        raise click.ClickException(f"Refusing to restore: {error}") from None
    try:
        click.echo(staged.summary())
        if not yes:
            click.confirm("Replace the current data with this backup?", abort=True)
        staged.apply()
    except BackupError as error:
        raise click.ClickException(f"Restore failed: {error}") from None
    finally:
        staged.discard()
    click.echo("Restore complete. If the backup's schema revision is older than the code, run `flask db upgrade`.")
