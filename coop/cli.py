"""Flask commands: `flask --app coop demo`, `create-admin`, `scheduler` …"""
from __future__ import annotations

import click
from flask import Flask

from coop.extensions import db


def init_app(app: Flask) -> None:
    from coop.followups.cli import register as register_followups
    from coop.geo.cli import import_gazetteer
    from coop.ops.cli import register as register_ops
    app.cli.add_command(import_gazetteer)
    register_followups(app)
    register_ops(app)

    @app.cli.command("demo")
    def demo_command():
        """Build the demo village Austerlitz (only when it does not exist yet)."""
        from coop import demo
        demo.build(echo=click.echo)
        print_logins()

    @app.cli.command("audit-verify")
    def audit_verify_command():
        """Walk the audit log's hash chains; report the first row that does not fit (exit 1)."""
        from coop.core import audit, dutch
        with db.engine.connect() as connection:
            result = audit.verify(connection)
        if result.broken is not None:
            bad = result.broken
            raise click.ClickException(f"Logboek niet in orde bij rij {bad.id} (dorp {bad.village_id or '–'}): "
                                       f"{bad.reason}. De {result.rows - 1} rijen ervoor kloppen.")
        click.echo(f"Logboek in orde: {result.rows} rijen in {len(result.heads)} ketens.")
        if result.unhashed:
            click.echo(f"{result.unhashed} rijen zonder eigen hash (geschreven door de vorige versie tijdens "
                       "een update); ze tellen mee in de hash van de rij erna.")
        for village_id, (last_id, head) in sorted(result.heads.items(), key=lambda item: item[0] or 0):
            # Written down elsewhere (with the backups), a head also shows when rows were cut off the end.
            click.echo(f"  dorp {village_id or '–'}: laatste rij {last_id}, hash {head}")
        for village_id, (first_id, removed, before) in sorted(result.starts.items(), key=lambda item: item[0] or 0):
            click.echo(f"  dorp {village_id or '–'}: begint bij rij {first_id}; {removed} oudere rijen verwijderd "
                       f"na hun bewaartermijn (van voor {dutch.date(before)})")

    @app.cli.command("demo-logins")
    def demo_logins_command():
        """Print the demo logins."""
        print_logins()

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--village", "village_slug", required=True)
    @click.password_option()
    def create_admin(email, village_slug, password):
        """Make an administrator account for an existing village."""
        from sqlalchemy import select

        from coop.auth.passwords import hash_password
        from coop.core import roles as R
        from coop.core.models import Village
        from coop.core.transaction import unit_of_work
        from coop.core.validation import check_password
        from coop.people.service import create_person
        with unit_of_work():
            village = db.session.scalar(select(Village).where(Village.slug == village_slug))
            if village is None:
                raise click.ClickException(f"Geen dorp met code {village_slug}.")
            check_password(password, email=email)
            create_person(village=village, first_name="Beheerder", last_name=village.name, email=email,
                          roles=(R.ADMIN,), by=None, password_hash=hash_password(password))
        click.echo(f"Beheerder {email} is aangemaakt.")


def print_logins() -> None:
    from coop import demo
    click.echo("")
    click.echo(f"Inloggen op het demodorp (wachtwoord voor iedereen: {demo.PASSWORD}):")
    for label, email in demo.logins():
        click.echo(f"  {label:32} {email}")
