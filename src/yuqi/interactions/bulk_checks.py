"""The interaction checks run a column at a time over a batch of file rows.

:func:`clean_interaction` checks one row, one cell at a time; a file of a million contacts
repeats the same few channels, queues, yes/no words and durations over and over, and its
times are nearly all written ``2026-09-01 08:00:01``. :class:`ColumnChecks` checks a batch of
rows column by column with the same cleaners: each distinct cell text is cleaned once per
import and remembered (the cleaners depend on nothing but the text and the time zone), plain
ISO times take a shortcut that gives the same datetime as ``parse_datetime``, and the
cross-field rules are :func:`~yuqi.interactions.validation.apply_cross_field_rules` itself.

A row this path cannot pass whole — any cell a cleaner refuses, a missing required field, a
broken cross-field rule, a value that is not plain text — gets ``None``: the caller runs it
through :func:`clean_interaction`, so a bad row is reported with the very same field and
reason as before. Rows that pass come out with the values :func:`clean_interaction` would give.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from yuqi.ingest import FieldError
from yuqi.interactions.validation import (
    REQUIRED,
    Cleaned,
    apply_cross_field_rules,
    cleaners_for,
)

# Distinct cell texts remembered per column: enough for codes, words and durations; a column
# of unique values (ids, numbers) stops being remembered once it is full.
MEMO_LIMIT = 4096
_FAILED = object()
_MISSING = object()
_DATETIME_FIELDS = frozenset({"arrived_at", "answered_at", "ended_at"})
# Columns whose values are nearly all distinct: remembering them would cost more than it saves.
_UNIQUE_FIELDS = frozenset({"external_id", "caller_number", "notes"})


def _steady(zone: ZoneInfo, day: date) -> bool:
    """Whether ``zone`` keeps one UTC offset through ``day`` (as ``parse_datetime`` checks):
    then any wall-clock time that day exists and attaching the zone is the whole job."""
    midnight = datetime.combine(day, time(), zone)
    offsets = {(midnight + timedelta(hours=hours)).utcoffset() for hours in (0, 6, 12, 18, 24)}
    return len(offsets) == 1


class ColumnChecks:
    """Checks batches of one import's rows; remembers cleaned cells across batches."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.cleaners = cleaners_for(zone)
        self._memo: dict[str, dict[str, Any]] = {}
        self._days: dict[str, bool] = {}

    def clean(self, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any] | None]:
        """Each row's cleaned values, or None where :func:`clean_interaction` must decide."""
        if not rows:
            return []
        keys = rows[0].keys()
        out: list[dict[str, Any]] = [{} for _ in rows]
        # Rows that take the row path (a batch of file rows all have the same fields).
        failed = {index for index, row in enumerate(rows) if row.keys() != keys}
        names = [name for name in keys if name in self.cleaners]
        if not names:
            return [None] * len(rows)
        # The batch turned into columns (rows with other fields contribute blanks).
        get = itemgetter(*names, names[0])  # a tuple even for one name
        if failed:
            blank = (None,) * (len(names) + 1)
            cells = [blank if index in failed else get(row) for index, row in enumerate(rows)]
        else:
            cells = list(map(get, rows))
        columns = list(zip(*cells, strict=True))
        for name, column in zip(names, columns[: len(names)], strict=True):
            cleaner = self.cleaners[name]
            if column.count(None) == len(column):
                continue  # a column the file does not have
            if name in _DATETIME_FIELDS:
                self._times(column, out, failed, name, cleaner)
            elif name in _UNIQUE_FIELDS:
                self._plain(column, out, failed, name, cleaner)
            else:
                self._remembered(column, out, failed, name, cleaner)
        result: list[dict[str, Any] | None] = []
        for index, values in enumerate(out):
            if index in failed or any(name not in values for name in REQUIRED):
                result.append(None)
                continue
            cleaned = Cleaned(values)
            apply_cross_field_rules(cleaned)
            result.append(None if cleaned.errors else values)
        return result

    @staticmethod
    def _usable(value: Any) -> bool:
        # Text as a file row holds it: stripped, not blank. Anything else takes the row path.
        return (
            type(value) is str and bool(value) and not (value[0].isspace() or value[-1].isspace())
        )

    def _plain(
        self,
        column: Sequence[Any],
        out: list[dict[str, Any]],
        failed: set[int],
        name: str,
        cleaner: Callable[[str], Any],
    ) -> None:
        usable = self._usable
        for index, value in enumerate(column):
            if value is None:
                continue
            if not usable(value):
                failed.add(index)
                continue
            try:
                out[index][name] = cleaner(value)
            except FieldError:
                failed.add(index)

    def _remembered(
        self,
        column: Sequence[Any],
        out: list[dict[str, Any]],
        failed: set[int],
        name: str,
        cleaner: Callable[[str], Any],
    ) -> None:
        memo = self._memo.setdefault(name, {})
        outcome: dict[Any, Any] = {}
        for value in set(column):
            if value is None:
                continue
            if not self._usable(value):
                outcome[value] = _FAILED
                continue
            result = memo.get(value, _MISSING)
            if result is _MISSING:
                try:
                    result = cleaner(value)
                except FieldError:
                    result = _FAILED
                if len(memo) < MEMO_LIMIT:
                    memo[value] = result
            outcome[value] = result
        for index, value in enumerate(column):
            if value is not None:
                result = outcome[value]
                if result is _FAILED:
                    failed.add(index)
                else:
                    out[index][name] = result

    def _times(
        self,
        column: Sequence[Any],
        out: list[dict[str, Any]],
        failed: set[int],
        name: str,
        cleaner: Callable[[str], Any],
    ) -> None:
        zone, days = self.zone, self._days
        fromisoformat = datetime.fromisoformat
        for index, value in enumerate(column):
            if value is None:
                continue
            # ``YYYY-MM-DD HH:MM:SS``: what parse_datetime reads with fromisoformat and then
            # gives the zone (checking the day has no clock change).
            if (
                type(value) is str
                and len(value) == 19
                and value[10] in " T"
                and value[4] == "-"
                and value[7] == "-"
                and value[13] == ":"
                and value[16] == ":"
                and value.isascii()
            ):
                day = value[:10]
                steady = days.get(day)
                if steady is not False:
                    try:
                        naive = fromisoformat(value)
                    except ValueError:
                        failed.add(index)
                        continue
                    if naive.tzinfo is None:
                        if steady is None:
                            steady = days[day] = _steady(zone, naive.date())
                        if steady:
                            out[index][name] = naive.replace(tzinfo=zone)
                            continue
            if not self._usable(value):
                failed.add(index)
                continue
            try:
                out[index][name] = cleaner(value)
            except FieldError:
                failed.add(index)
