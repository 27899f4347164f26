"""A few addresses of the test village in the gazetteer, for tests that geocode offline."""
from __future__ import annotations

from coop.geo.importer import import_rows

HEADER = ["postcode", "huisnummer", "straat", "plaats", "lat", "lon"]
# Dorpsstraat 1 lies at the village centre of the test factory (52.08, 5.31).
ADDRESSES = [
    ["3712 AB", "1", "Dorpsstraat", "Austerlitz", "52.0800", "5.3100"],
    ["3712 AB", "5", "Dorpsstraat", "Austerlitz", "52.0810", "5.3110"],
    ["3712 AC", "2", "Kerkweg", "Austerlitz", "52.0830", "5.3150"],
    ["3712 AD", "12", "Lindelaan", "Austerlitz", "52.0790", "5.3080"],
]


def load(extra: list[list[str]] = ()) -> None:
    import_rows([HEADER, *ADDRESSES, *extra])
