"""The words of ``yuqi.ingest``'s problems: each :class:`~yuqi.ingest.problems.Code` and its
translated message (English msgid, Chinese in ``locale/zh_Hans/LC_MESSAGES/django.po``).

``ingest`` imports no Django (a contract), so it names its problems by code and parameters;
this module words them. :class:`~yuqi.imports.apps.ImportsConfig` installs :func:`render` as
``ingest``'s renderer, so ``str(error)`` on the command line, on the pages and in the error
report reads as it did when the messages lived in ``ingest``; :func:`render_english` serves
commands that run without Django set up.
"""

from __future__ import annotations

from django.utils.translation import gettext

from yuqi.ingest.problems import Code, Problem

__all__ = ["MESSAGES", "render", "render_english"]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for ``makemessages`` (which looks for this name) and return it as is.
    Django's own asks the settings whether translation is on, and this module must load
    without settings (``yuqi text evaluate`` runs without Django set up)."""
    return message


#: The msgid of each code, marked for ``makemessages`` and translated when rendered.
MESSAGES: dict[Code, str] = {
    # sniff
    Code.CANNOT_OPEN: gettext_noop("The file cannot be opened: %(detail)s"),
    Code.EMPTY_FILE: gettext_noop("The file is empty."),
    Code.ZIP_DAMAGED: gettext_noop(
        "The file looks like a ZIP archive or .xlsx workbook but is damaged (%(detail)s)."
    ),
    Code.XLSB: gettext_noop(
        "Binary Excel workbooks (.xlsb) cannot be read; save it as .xlsx or CSV."
    ),
    Code.ZIP_NOT_WORKBOOK: gettext_noop(
        "The file is a ZIP archive, not an Excel workbook or CSV file."
    ),
    Code.XLS_LEGACY: gettext_noop(
        "The file is an Excel 97-2003 workbook (.xls) or a password-protected workbook; open "
        "it in Excel and save it as .xlsx (without a password) or CSV."
    ),
    Code.PDF: gettext_noop("The file is a PDF document, not a CSV or Excel file."),
    Code.HTML: gettext_noop(
        "The file is a web page (HTML) saved with a spreadsheet name; open it in Excel and "
        "save it as .xlsx or CSV."
    ),
    Code.XML_SPREADSHEET: gettext_noop(
        "The file is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx."
    ),
    Code.NUL_BYTES: gettext_noop(
        "The file contains NUL bytes (first at byte %(offset)s), so it is not a CSV text "
        "file: it may be a binary file renamed .csv, or UTF-16 without a byte-order mark."
    ),
    Code.BOM_MISMATCH: gettext_noop(
        "The file starts with a %(encoding)s byte-order mark but byte %(offset)s is not "
        "%(encoding)s."
    ),
    Code.UNKNOWN_ENCODING: gettext_noop(
        "The file is neither UTF-8 (bad byte at offset %(utf8)s) nor GBK/GB18030 (bad byte "
        "at offset %(gb)s): it is not a text file, or in another encoding; save it as CSV "
        "UTF-8."
    ),
    # limits
    Code.XLSX_TOO_LARGE: gettext_noop(
        "The workbook expands to %(size)s MB when opened, more than the %(limit)s MB allowed "
        "(YUQI_XLSX_MAX_TOTAL_MB). Save the sheet as CSV, or split the file."
    ),
    Code.XLSX_RATIO_TOO_HIGH: gettext_noop(
        "The workbook's part %(part)s expands %(ratio)s times its compressed size (%(size)s "
        "MB), more than the ×%(limit)s allowed (YUQI_XLSX_MAX_RATIO): it may be a ZIP bomb. "
        "Save the sheet as CSV."
    ),
    Code.XLSX_PART_TOO_LARGE: gettext_noop(
        "The workbook's part %(part)s expands to %(size)s MB, more than the %(limit)s MB "
        "allowed for a part read whole (YUQI_XLSX_MAX_PART_MB); a workbook with this many "
        "distinct texts is read with less memory when saved as CSV."
    ),
    Code.XLSX_ROW_TOO_LONG: gettext_noop(
        "A row of the workbook's part %(part)s is longer than the %(limit)s MB allowed for "
        "one row (YUQI_IMPORT_MAX_ROW_MB)."
    ),
    # reader
    Code.NO_HEADER_ROW: gettext_noop("The file has no header row: it holds only blank lines."),
    Code.MIXED_ENCODING: gettext_noop(
        "The file is not %(encoding)s throughout: byte %(offset)s (after row %(row)s) cannot "
        "be decoded. Was it put together from files in different encodings?"
    ),
    Code.CSV_CELL_TOO_LONG: gettext_noop(
        "Row %(row)s has a cell longer than the %(limit)s characters allowed "
        "(YUQI_IMPORT_MAX_CELL_CHARS); the rows before it are imported. If the cell is not "
        "meant to be that long, a quote is left unclosed."
    ),
    Code.CSV_INVALID_ROW: gettext_noop(
        "Row %(row)s is not valid CSV (%(detail)s); is a quote left unclosed?"
    ),
    Code.CSV_ROW_TOO_LONG: gettext_noop(
        "Row %(row)s is longer than the %(limit)s MB allowed for one row "
        "(YUQI_IMPORT_MAX_ROW_MB); the rows before it are imported."
    ),
    Code.SHEET_DAMAGED: gettext_noop(
        "Sheet “%(sheet)s” is damaged after row %(row)s (%(detail)s)."
    ),
    Code.XLSX_UNREADABLE: gettext_noop("The Excel workbook cannot be read (%(detail)s)."),
    Code.NO_WORKSHEETS: gettext_noop("The workbook has no worksheets."),
    Code.SHEET_EMPTY: gettext_noop("Sheet “%(sheet)s” is empty."),
    # errors
    Code.SHEET_NOT_FOUND: gettext_noop(
        "The workbook has no sheet named “%(sheet)s”; its sheets are: %(sheets)s."
    ),
    Code.MISSING_COLUMNS: gettext_noop(
        "Required columns are missing (accepted headers in brackets): %(missing)s."
    ),
    Code.SHEET_MISSING_COLUMNS: gettext_noop(
        "Sheet “%(sheet)s” lacks required columns (accepted headers in brackets): %(missing)s."
    ),
    Code.NO_MATCHING_SHEET: gettext_noop(
        "No sheet has all the required columns. What each sheet lacks: %(lacking)s. Name the "
        "sheet to read, or fix its header row."
    ),
    Code.DUPLICATE_COLUMNS: gettext_noop(
        "Columns %(columns)s all mean the field %(field)s; keep only one of them."
    ),
    # columns
    Code.OVERRIDE_UNKNOWN_FIELD: gettext_noop(
        "Unknown field “%(field)s” in the column overrides; the fields are: %(fields)s."
    ),
    Code.OVERRIDE_HEADER_IS_FIELD_NAME: gettext_noop(
        "The header “%(header)s” is the name of the field %(other)s."
    ),
    Code.OVERRIDE_CANNOT_OPEN: gettext_noop(
        "The column override file %(path)s cannot be opened: %(detail)s"
    ),
    Code.OVERRIDE_NOT_TOML: gettext_noop(
        "The column override file %(path)s is not valid TOML: %(detail)s"
    ),
    Code.OVERRIDE_KEYS_OUTSIDE_TABLE: gettext_noop(
        "The column override file %(path)s has keys outside a table (%(keys)s); put them "
        "under a heading such as [%(section)s]."
    ),
    Code.OVERRIDE_BAD_HEADERS: gettext_noop(
        "In [%(section)s], %(field)s must be a header or a list of headers."
    ),
    # parse
    Code.REQUIRED: gettext_noop("A value is required."),
    Code.IMPOSSIBLE_UTC_OFFSET: gettext_noop("“%(value)s” has an impossible UTC offset."),
    Code.TIME_SKIPPED_BY_CLOCKS: gettext_noop(
        "“%(value)s” does not exist in the time zone %(tz)s (clocks skipped it)."
    ),
    Code.NOT_EXCEL_SERIAL: gettext_noop(
        "“%(value)s” is a number but not an Excel date serial between 1950 and 2099; write "
        "dates as 2026-11-24 08:05:03."
    ),
    Code.NOT_A_DATE: gettext_noop("“%(value)s” is not a date."),
    Code.DATE_WITHOUT_TIME: gettext_noop("“%(value)s” has a date but no time."),
    Code.DATETIME_UNREADABLE: gettext_noop(
        "“%(value)s” is not a date and time that can be read; use for example 2026-11-24 "
        "08:05:03, 2026/11/24 8:05 or 2026年11月24日 08:05:03."
    ),
    Code.NOT_12_HOUR: gettext_noop("“%(value)s” has an hour that is not on a 12-hour clock."),
    Code.IMPOSSIBLE_DATETIME: gettext_noop("“%(value)s” is not a real date or time."),
    Code.NOT_YES_NO: gettext_noop(
        "“%(value)s” is not yes or no; use 是/否, Y/N, true/false or 1/0."
    ),
    Code.MINUTES_ABOVE_59: gettext_noop("“%(value)s” has minutes or seconds above 59."),
    Code.DURATION_UNREADABLE: gettext_noop(
        "“%(value)s” is not a duration; use seconds (185), minutes:seconds (3:05), "
        "hours:minutes:seconds (00:03:05) or 3分5秒."
    ),
    Code.NOT_A_DURATION: gettext_noop("“%(value)s” is not a duration."),
    Code.NEGATIVE_DURATION: gettext_noop("“%(value)s” is a negative duration."),
    Code.DURATION_TOO_LONG: gettext_noop(
        "“%(value)s” is %(seconds)s seconds, more than %(hours)s hours: not a real duration."
    ),
    Code.NOT_A_NUMBER: gettext_noop("“%(value)s” is not a number."),
    Code.NEGATIVE_NUMBER: gettext_noop("“%(value)s” may not be negative."),
    Code.NOT_A_CHOICE: gettext_noop("“%(value)s” is not one of the accepted values: %(accepted)s."),
    Code.NOT_A_PHONE: gettext_noop("“%(value)s” is not a phone number."),
    Code.PHONE_ROUNDED_BY_EXCEL: gettext_noop(
        "“%(value)s” is a phone number that Excel turned into a rounded number; format the "
        "column as text and export again."
    ),
    Code.PHONE_FOREIGN: gettext_noop(
        "“%(value)s” is a foreign number; only mainland China numbers are accepted."
    ),
    Code.PHONE_BAD_CHARACTERS: gettext_noop(
        "“%(value)s” has characters that do not belong in a phone number."
    ),
    Code.PHONE_NOT_MAINLAND: gettext_noop(
        "“%(value)s” is neither a mainland mobile number (11 digits starting 13–19) nor a "
        "landline with its area code (such as 010-12345678)."
    ),
    # report
    Code.CUT_MARKER: gettext_noop("… [cut: %(n)s characters in all]"),
}


def render(problem: Problem) -> str:
    """The problem's message in the active language, filled with its parameters."""
    return _fill(gettext(MESSAGES[problem.code]), problem)


def render_english(problem: Problem) -> str:
    """The problem's message in English, for commands that run without Django set up
    (``yuqi text evaluate``): no settings, no translation catalogue."""
    return _fill(MESSAGES[problem.code], problem)


def _fill(text: str, problem: Problem) -> str:
    return text % dict(problem.params) if problem.params else text
