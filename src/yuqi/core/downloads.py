"""Tables as downloadable files: CSV (UTF-8 with BOM, so Excel reads Chinese) or Excel.

Every chart's data is downloadable through this, from the same rows the chart is drawn from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value: Any) -> Any:
    # A text cell starting like a formula is written as text (CSV/formula injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def table_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str = "csv"
) -> HttpResponse:
    """``fmt`` is ``csv`` or ``xlsx``; ``filename`` is given without extension."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(filename[:31])
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append([_safe(value) for value in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(h) for h in headers])
        writer.writerows([_safe(value) for value in row] for row in rows)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CSV_TYPE
        )
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
