"""`flask --app coop import-gazetteer FILE.csv`: the village's addresses, for offline geocoding."""
from __future__ import annotations

import click

from coop.core.errors import DomainError
from coop.core.transaction import unit_of_work


def _count_lines(path: str) -> int:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


@click.command("import-gazetteer")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_gazetteer(path: str) -> None:
    """Import addresses (postcode, house number, street, place, lat, lon) from a CSV file."""
    from coop.geo.importer import import_file
    try:
        with unit_of_work(), click.progressbar(length=_count_lines(path), label="Adressen inlezen") as bar:
            report = import_file(path, progress=bar.update)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    click.echo(report.summary())
    for line, reason in report.bad:
        click.echo(f"  regel {line}: {reason}", err=True)
