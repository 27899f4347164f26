"""SQL that reads the same on both databases, where they spell it differently."""
from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import ReturnTypeFromArgs


class greatest(ReturnTypeFromArgs):  # noqa: N801 (named as the SQL function)
    """The largest of its arguments: GREATEST on PostgreSQL, the many-argument max() on SQLite.

    The two differ on NULL (PostgreSQL leaves it out, SQLite answers NULL): give it none."""
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"
