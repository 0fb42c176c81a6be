"""Tables as downloadable files: CSV (UTF-8 with BOM, so Excel reads Chinese) or Excel.

Every chart's data is downloadable through this, from the same rows the chart is drawn from.
Every cell goes through :mod:`yuqi.core.cells` (never a live formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from yuqi.core.cells import append_xlsx_row, csv_row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str = "csv"
) -> HttpResponse:
    """``fmt`` is ``csv`` or ``xlsx``; ``filename`` is given without extension."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(filename[:31])
        append_xlsx_row(sheet, [str(h) for h in headers])
        for row in rows:
            append_xlsx_row(sheet, row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_row(str(h) for h in headers))
        writer.writerows(csv_row(row) for row in rows)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CSV_TYPE
        )
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
