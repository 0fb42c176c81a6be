"""The file-reading layer of bulk import: streaming CSV/XLSX reader, column maps, strict value
parsers and the error report. No models and no ORM: the importers call this package. Pure
Python (an import-linter contract): no Django, no ``yuqi`` package but ``yuqi.domain``. Errors
name a :class:`Problem` (a :class:`Code` and its parameters) that the caller words
(``yuqi.imports.messages``); limits come in as a :class:`Limits`.

See ``docs/import-columns.md`` for what users may put in their files.
"""

from yuqi.ingest.columns import ColumnMap, FieldSpec, HeaderMatch, header_key
from yuqi.ingest.errors import (
    DuplicateColumns,
    FieldError,
    IngestError,
    MissingColumns,
    NoMatchingSheet,
    OverrideError,
    SheetNotFound,
    UnreadableFile,
)
from yuqi.ingest.limits import FileTooLarge, Limits
from yuqi.ingest.problems import Code, Problem
from yuqi.ingest.reader import SourceRow, Table, open_table
from yuqi.ingest.report import ErrorReport

__all__ = [
    "Code",
    "ColumnMap",
    "DuplicateColumns",
    "ErrorReport",
    "FieldError",
    "FieldSpec",
    "FileTooLarge",
    "HeaderMatch",
    "IngestError",
    "Limits",
    "MissingColumns",
    "NoMatchingSheet",
    "OverrideError",
    "Problem",
    "SheetNotFound",
    "SourceRow",
    "Table",
    "UnreadableFile",
    "header_key",
    "open_table",
]
