"""The one error type services raise; its message is Dutch because the user reads it."""


class DomainError(Exception):
    """A rule of the domain refused an action. `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
