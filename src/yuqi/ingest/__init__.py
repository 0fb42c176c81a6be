"""The file-reading layer of bulk import: streaming CSV/XLSX reader, column maps, strict value
parsers and the error report. No models and no ORM: the importers call this package.

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
from yuqi.ingest.reader import SourceRow, Table, open_table
from yuqi.ingest.report import ErrorReport

__all__ = [
    "ColumnMap",
    "DuplicateColumns",
    "ErrorReport",
    "FieldError",
    "FieldSpec",
    "HeaderMatch",
    "IngestError",
    "MissingColumns",
    "NoMatchingSheet",
    "OverrideError",
    "SheetNotFound",
    "SourceRow",
    "Table",
    "UnreadableFile",
    "header_key",
    "open_table",
]
