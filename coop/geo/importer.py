"""Import the gazetteer from CSV: postcode, house number, street, place, lat, lon.

Good rows are written (an existing postcode + house number is updated), bad rows are
reported with their line number and what is wrong, in Dutch, so the file can be fixed.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from coop.core.errors import DomainError
from coop.core.validation import normalise_postcode
from coop.extensions import db
from coop.geo.distance import check_coordinates
from coop.geo.models import GazetteerAddress

# Accepted header names per column (English or Dutch).
COLUMNS = {
    "postcode": ("postcode",),
    "house_number": ("house_number", "huisnummer", "number"),
    "street": ("street", "straat"),
    "place": ("place", "plaats", "woonplaats"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "longitude", "lengtegraad"),
}


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)

    def summary(self) -> str:
        return (f"{self.added} adressen toegevoegd, {self.updated} bijgewerkt, "
                f"{len(self.bad)} regels overgeslagen.")


def _header_map(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for column, aliases in COLUMNS.items():
        index = next((names.index(a) for a in aliases if a in names), None)
        if index is None:
            raise DomainError(f"De kolom '{column}' ontbreekt in de eerste regel van het bestand.")
        found[column] = index
    return found


def parse_row(row: list[str], cols: dict[str, int]) -> dict:
    """One CSV row as clean values, or DomainError saying what is wrong with it."""
    try:
        values = {c: row[i].strip() for c, i in cols.items()}
    except IndexError:
        raise DomainError("te weinig kolommen") from None
    for column in ("postcode", "house_number", "street", "place"):
        if not values[column]:
            raise DomainError(f"{column} is leeg")
    values["postcode"] = normalise_postcode(values["postcode"])
    values["house_number"] = values["house_number"].upper()[:12]
    lat, lon = check_coordinates(values["lat"], values["lon"])
    return {**values, "lat": lat, "lon": lon}


def import_rows(lines: Iterable[list[str]], progress: Callable[[int], None] | None = None,
                batch: int = 500) -> ImportReport:
    """Import parsed CSV lines (the first is the header). Flushes, the caller commits."""
    rows = iter(lines)
    try:
        cols = _header_map(next(rows))
    except StopIteration:
        raise DomainError("Het bestand is leeg.") from None
    report = ImportReport()
    pending: dict[tuple[str, str], dict] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            values = parse_row(row, cols)
        except DomainError as err:
            report.bad.append((number, err.message))
        else:
            pending[(values["postcode"], values["house_number"])] = values
        if progress:
            progress(1)
        if len(pending) >= batch:
            _write(pending, report)
    _write(pending, report)
    return report


def _write(pending: dict, report: ImportReport) -> None:
    if not pending:
        return
    postcodes = {k[0] for k in pending}
    existing = {(a.postcode, a.house_number): a for a in db.session.scalars(
        select(GazetteerAddress).where(GazetteerAddress.postcode.in_(postcodes)))}
    for key, values in pending.items():
        row = existing.get(key)
        if row is None:
            db.session.add(GazetteerAddress(**values))
            report.added += 1
        else:
            for name, value in values.items():
                setattr(row, name, value)
            report.updated += 1
    db.session.flush()
    pending.clear()


def import_file(path: str, progress: Callable[[int], None] | None = None) -> ImportReport:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        return import_rows(csv.reader(handle, dialect), progress)
