from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an action. The message is for the user (already translated);
    ``field`` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
