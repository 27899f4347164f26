"""The one error type services raise; its message is Dutch because the user reads it."""
from __future__ import annotations

from collections.abc import Callable


class DomainError(Exception):
    """A rule of the domain refused an action. `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several rules refused at once, each with its own field: a form shows them all together."""

    def __init__(self, errors: list[DomainError]):
        super().__init__(errors[0].message, errors[0].field)
        self.errors = errors


def collect(*checks: Callable[[], object]) -> list[DomainError]:
    """Call each check (a function without arguments) and gather the DomainErrors they raise."""
    found: list[DomainError] = []
    for check in checks:
        try:
            check()
        except DomainErrors as many:
            found.extend(many.errors)
        except DomainError as err:
            found.append(err)
    return found
