"""SQL that reads the same on both databases, where they spell it differently."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Integer, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlalchemy.sql.functions import ReturnTypeFromArgs


class greatest(ReturnTypeFromArgs):  # noqa: N801 (named as the SQL function)
    """The largest of its arguments: GREATEST on PostgreSQL, the many-argument max() on SQLite.

    The two differ on NULL (PostgreSQL leaves it out, SQLite answers NULL): give it none."""
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


def one_of(column: SQLCoreOperations[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (…)` with a bound parameter per value. A plain `in_(list)` is an expanding
    parameter, and SQLAlchemy renders the statement's text again on every execution to fill
    it in: for the login query and the helpers' statement, read on every page, that cost more
    than the list is long."""
    return column.in_([literal(value) for value in values])


def written(n: int) -> ColumnElement[int]:
    """A LIMIT or OFFSET written into the statement's text, not bound. PostgreSQL plans a
    prepared statement with a bound LIMIT as if it kept a tenth of the rows, finds that plan
    dear, and so plans the statement anew at every execution; with the number written in,
    the plan is made once per connection. For numbers the code chooses (a page size, a page's
    offset), never for a value from outside."""
    return literal(int(n), Integer(), literal_execute=True)
