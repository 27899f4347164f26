"""`flask --app coop backup` and `flask --app coop restore`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from coop.extensions import db
from coop.ops import backup as B


def register(app: Flask) -> None:
    @app.cli.command("collect-static")
    def collect_static_command() -> None:
        """Copy static/ into instance/static/ with hashed names and compressed copies."""
        from coop.ops.static import collect, collected_dir
        manifest = collect(Path(app.static_folder or "static"), collected_dir(app))
        click.echo(f"{len(manifest)} bestanden klaargezet in {collected_dir(app)}.")

    @app.cli.command("backup")
    @click.option("--to", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Map voor de back-ups (standaard instance/backups).")
    @click.option("--keep", type=click.IntRange(min=1), default=None,
                  help="Bewaar alleen de nieuwste N back-ups in die map.")
    def backup_command(directory: Path | None, keep: int | None) -> None:
        """Write a backup of the database (safe while the app runs)."""
        target_dir = directory or Path(current_app.instance_path) / "backups"
        db.engine.dispose()  # the backup opens its own connection
        try:
            path = B.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target_dir, keep=keep)
        except B.BackupError as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"Back-up geschreven: {path}")

    @app.cli.command("restore")
    @click.argument("backup_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
    def restore_command(backup_file: Path, yes: bool) -> None:
        """Replace the database's contents with a backup (stop the app and scheduler first)."""
        if not yes:
            click.confirm("Alle gegevens in de database worden vervangen door de back-up. Doorgaan?",
                          abort=True)
        db.engine.dispose()
        try:
            B.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], backup_file)
        except B.BackupError as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"Teruggezet uit {backup_file}.")
