"""What went wrong, as a code and its parameters: ``ingest`` names problems, the caller words
them (``ingest`` imports no Django, so it cannot translate).

Every error of this package carries a :class:`Problem`. Its text comes from the renderer the
application installs with :func:`use_renderer` (``yuqi.imports`` installs its translated
messages, ``yuqi.imports.messages``, in ``ready()``), so ``str(error)`` reads as before, in the
language active when it is rendered, not when raised. Without a renderer a problem renders as
its code and parameters, which is enough for a script or a test that runs without Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = ["Code", "Problem", "render", "use_renderer"]


class Code(StrEnum):
    """The problems this package reports; each has a message in ``yuqi.imports.messages``."""

    # sniff
    CANNOT_OPEN = "cannot_open"
    EMPTY_FILE = "empty_file"
    ZIP_DAMAGED = "zip_damaged"
    XLSB = "xlsb"
    ZIP_NOT_WORKBOOK = "zip_not_workbook"
    XLS_LEGACY = "xls_legacy"
    PDF = "pdf"
    HTML = "html"
    XML_SPREADSHEET = "xml_spreadsheet"
    NUL_BYTES = "nul_bytes"
    BOM_MISMATCH = "bom_mismatch"
    UNKNOWN_ENCODING = "unknown_encoding"
    # limits
    XLSX_TOO_LARGE = "xlsx_too_large"
    XLSX_RATIO_TOO_HIGH = "xlsx_ratio_too_high"
    XLSX_PART_TOO_LARGE = "xlsx_part_too_large"
    XLSX_ROW_TOO_LONG = "xlsx_row_too_long"
    # reader
    NO_HEADER_ROW = "no_header_row"
    MIXED_ENCODING = "mixed_encoding"
    CSV_CELL_TOO_LONG = "csv_cell_too_long"
    CSV_INVALID_ROW = "csv_invalid_row"
    CSV_ROW_TOO_LONG = "csv_row_too_long"
    SHEET_DAMAGED = "sheet_damaged"
    XLSX_UNREADABLE = "xlsx_unreadable"
    NO_WORKSHEETS = "no_worksheets"
    SHEET_EMPTY = "sheet_empty"
    # errors
    SHEET_NOT_FOUND = "sheet_not_found"
    MISSING_COLUMNS = "missing_columns"
    SHEET_MISSING_COLUMNS = "sheet_missing_columns"
    NO_MATCHING_SHEET = "no_matching_sheet"
    DUPLICATE_COLUMNS = "duplicate_columns"
    # columns
    OVERRIDE_UNKNOWN_FIELD = "override_unknown_field"
    OVERRIDE_HEADER_IS_FIELD_NAME = "override_header_is_field_name"
    OVERRIDE_CANNOT_OPEN = "override_cannot_open"
    OVERRIDE_NOT_TOML = "override_not_toml"
    OVERRIDE_KEYS_OUTSIDE_TABLE = "override_keys_outside_table"
    OVERRIDE_BAD_HEADERS = "override_bad_headers"
    # parse
    REQUIRED = "required"
    IMPOSSIBLE_UTC_OFFSET = "impossible_utc_offset"
    TIME_SKIPPED_BY_CLOCKS = "time_skipped_by_clocks"
    NOT_EXCEL_SERIAL = "not_excel_serial"
    NOT_A_DATE = "not_a_date"
    DATE_WITHOUT_TIME = "date_without_time"
    DATETIME_UNREADABLE = "datetime_unreadable"
    NOT_12_HOUR = "not_12_hour"
    IMPOSSIBLE_DATETIME = "impossible_datetime"
    NOT_YES_NO = "not_yes_no"
    MINUTES_ABOVE_59 = "minutes_above_59"
    DURATION_UNREADABLE = "duration_unreadable"
    NOT_A_DURATION = "not_a_duration"
    NEGATIVE_DURATION = "negative_duration"
    DURATION_TOO_LONG = "duration_too_long"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE_NUMBER = "negative_number"
    NOT_A_CHOICE = "not_a_choice"
    NOT_A_PHONE = "not_a_phone"
    PHONE_ROUNDED_BY_EXCEL = "phone_rounded_by_excel"
    PHONE_FOREIGN = "phone_foreign"
    PHONE_BAD_CHARACTERS = "phone_bad_characters"
    PHONE_NOT_MAINLAND = "phone_not_mainland"
    # report
    CUT_MARKER = "cut_marker"


@dataclass(frozen=True)
class Problem:
    """One problem: its ``code`` and the ``params`` its message is filled with."""

    code: Code
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


Renderer = Callable[[Problem], str]
_renderer: list[Renderer] = []


def use_renderer(renderer: Renderer) -> None:
    """Word every problem with ``renderer`` from now on (the last one installed wins)."""
    _renderer[:] = [renderer]


def plain(problem: Problem) -> str:
    """The code and the parameters, for when no renderer is installed."""
    if not problem.params:
        return str(problem.code)
    details = ", ".join(f"{key}={value!r}" for key, value in problem.params.items())
    return f"{problem.code} ({details})"


def render(problem: Problem) -> str:
    """The problem in words, by the installed renderer (else :func:`plain`)."""
    return _renderer[0](problem) if _renderer else plain(problem)
