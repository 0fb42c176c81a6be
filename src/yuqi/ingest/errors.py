"""Errors of the import layer, in two families that callers must treat differently.

* :class:`IngestError` and its subclasses: the *file* cannot be imported at all (not readable,
  wrong format, required columns missing...). The import command exits with status 2.
* :class:`FieldError`: one *value* is bad. The importer writes it to the error report, rejects
  that row and goes on. It is deliberately not an ``IngestError`` so that
  ``except IngestError`` can never swallow a row problem, nor the other way round.

Each error names a :class:`~yuqi.ingest.problems.Problem` (a :class:`~yuqi.ingest.problems.Code`
and its parameters); the application words it (``yuqi.imports.messages``), by ``str()`` in the
language active at that moment (the CLI's, or the request's), not when raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from yuqi.ingest.problems import Code, Problem, render

if TYPE_CHECKING:
    from yuqi.ingest.fields import FieldSpec

__all__ = [
    "DuplicateColumns",
    "FieldError",
    "IngestError",
    "MissingColumns",
    "NoMatchingSheet",
    "OverrideError",
    "SheetNotFound",
    "UnreadableFile",
]


class _Rendered(Exception):
    """An exception that names its :class:`~yuqi.ingest.problems.Problem` (a code and its
    parameters). Rendered by ``str()`` through the installed renderer, in the language active
    at that moment.

    Callers outside this package may pass their own (already translated, or lazy) template
    instead of a code: ``FieldError(_("not a valid e-mail address"))``; ``problem`` is then
    ``None`` and the template is rendered with ``%`` as before.
    """

    def __init__(self, template: Code | Any, /, **params: Any) -> None:
        super().__init__(template, params)
        self.template = template
        self.params = params
        self.problem = Problem(template, params) if isinstance(template, Code) else None

    @property
    def message(self) -> str:
        if self.problem is not None:
            return render(self.problem)
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message


class IngestError(_Rendered):
    """The file as a whole cannot be imported; nothing in it should be stored."""


class UnreadableFile(IngestError):
    """Empty, binary, undecodable, of an unsupported format, or not a valid CSV/XLSX."""


class SheetNotFound(UnreadableFile):
    """``sheet=`` named a sheet the workbook does not have; ``sheets`` lists those it has."""

    def __init__(self, sheet: str, sheets: tuple[str, ...]) -> None:
        super().__init__(
            Code.SHEET_NOT_FOUND,
            sheet=sheet,
            sheets=", ".join(f"“{name}”" for name in sheets),
        )
        self.sheet = sheet
        self.sheets = sheets


def describe_field(spec: FieldSpec) -> str:
    """``external_id (客户编号, 客户ID, 客户号)``: a field and the headers it accepts."""
    return f"{spec.name} ({', '.join(spec.headers)})"


class MissingColumns(IngestError):
    """The header row lacks required columns; ``missing`` has them with their aliases."""

    def __init__(
        self,
        missing: tuple[FieldSpec, ...],
        *,
        headers: tuple[str, ...] = (),
        row: int | None = None,
        sheet: str | None = None,
    ) -> None:
        names = "; ".join(describe_field(spec) for spec in missing)
        if sheet is None:
            super().__init__(
                Code.MISSING_COLUMNS,
                missing=names,
            )
        else:
            super().__init__(
                Code.SHEET_MISSING_COLUMNS,
                missing=names,
                sheet=sheet,
            )
        self.missing = missing
        self.headers = headers
        self.row = row
        self.sheet = sheet


class NoMatchingSheet(IngestError):
    """No sheet of a workbook has all required columns; ``lacking`` maps sheet → fields."""

    def __init__(self, lacking: Mapping[str, tuple[str, ...]]) -> None:
        parts = [f"“{sheet}”: {', '.join(fields)}" for sheet, fields in lacking.items()]
        super().__init__(
            Code.NO_MATCHING_SHEET,
            lacking="; ".join(parts),
        )
        self.lacking = dict(lacking)


class DuplicateColumns(IngestError):
    """Several columns map to the same field, so which one to use would be a guess."""

    def __init__(self, field: str, columns: tuple[str, ...]) -> None:
        super().__init__(
            Code.DUPLICATE_COLUMNS,
            field=field,
            columns=", ".join(columns),
        )
        self.field = field
        self.columns = columns


class OverrideError(IngestError):
    """The TOML file of extra column aliases is missing, not TOML or not of the right shape."""


class FieldError(_Rendered):
    """One value is bad. ``reason`` is for the error report; ``code`` is stable for APIs (the
    kind of fault, not ``problem.code``, which names the message):
    ``format`` (not understood), ``range`` (understood but out of bounds), ``choice`` (not one
    of the accepted values), ``required`` (blank but needed)."""

    def __init__(self, template: Any, /, *, code: str = "format", **params: Any) -> None:
        super().__init__(template, **params)
        self.code = code

    @property
    def reason(self) -> str:
        return self.message
