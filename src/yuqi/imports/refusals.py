"""Why a row is refused whatever its values, worded for the error report: cells under no header
(usually an unquoted comma shifted the row) or cells holding the NUL character, which no text
field may hold. The row path (:mod:`yuqi.imports.engine`) and the columnar path
(:mod:`yuqi.imports.columnar`) reject such rows alike, before the importer sees them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yuqi.ingest import SourceRow

__all__ = ["refusal"]


def refusal(row: SourceRow) -> list[tuple[str | None, str]]:
    """The (column label or ``None``, reason) pairs that refuse ``row``; empty if none."""
    errors: list[tuple[str | None, str]] = [
        (label, _("contains the NUL character (code 0), which text may not hold"))
        for label in row.nul
    ]
    if row.stray:
        errors.append(
            (
                None,
                _("cells outside the header's columns: %(cells)s")
                % {"cells": ", ".join(row.stray)},
            )
        )
    return errors
