from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an action. The message is for the user (already translated);
    ``field`` names the input at fault, when there is one; ``fields`` lists several
    (field, reason) pairs when a whole record was checked at once."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        fields: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.fields = fields or ([(field, message)] if field else [])
