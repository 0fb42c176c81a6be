"""The export cell guard, kept in :mod:`yuqi.domain.cells` (pure Python, so the import layer,
which imports no ``core``, uses the same one); re-exported here for the exports of ``core``
and the contexts."""

from yuqi.domain.cells import FORMULA_START, append_xlsx_row, csv_cell, csv_row, xlsx_cell

__all__ = ["FORMULA_START", "append_xlsx_row", "csv_cell", "csv_row", "xlsx_cell"]
