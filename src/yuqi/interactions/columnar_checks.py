"""The interaction checks over whole columns (Arrow arrays), for the columnar import.

Conservative by design: a row passes here only when every cell is in a form whose cleaned
value is certain — each distinct value of a repetitive column (channel, queue, yes/no words,
durations…) is cleaned once by the row path's own cleaner; an id, a plain mobile number and a
``YYYY-MM-DD HH:MM:SS`` time (on a day the zone keeps one offset) are checked by pattern and
converted in bulk; the cross-field rules and the derived defaults of
:func:`~yuqi.interactions.validation.apply_cross_field_rules` are applied column-wise (the
abandoned rule by :func:`yuqi.domain.contacts.abandoned` itself, once per combination).
Every other row — a bad value, an unusual spelling, a customer reference, a broken rule — is
left to :func:`~yuqi.interactions.validation.clean_interaction`, which names its field and
value as for any row. ``tests/imports/test_columnar.py`` checks that both give the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings

from yuqi.domain import contacts
from yuqi.imports.columnar import CheckedColumns
from yuqi.ingest import FieldError
from yuqi.interactions.choices import Direction
from yuqi.interactions.validation import MAX_TEXT, cleaners_for

# A repetitive column with more distinct values than this in a chunk is left to the row path.
MOST_DISTINCT = 20_000
_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
_MOBILE = r"^1[3-9][0-9]{9}$"
# An id or note whose first and last characters are certainly not white space (Python's
# ``str.strip`` and Arrow's notion of it differ on a few control characters).
_PLAIN_ENDS = r"^[0-9A-Za-z\p{Han}](?s:.*[0-9A-Za-z\p{Han}])?$"
_TIMES = ("arrived_at", "answered_at", "ended_at")
#: In a chunk's ``data``: the arrival's local wall-clock time (naive), for the derived columns.
LOCAL_ARRIVED = "_arrived_local"
_PLAIN = {"external_id": MAX_TEXT["external_id"], "notes": None}
# Fields every checked record carries (blank or not); the others only when the cell is not.
ALWAYS = frozenset(
    {
        "source", "external_id", "channel", "direction", "arrived_at", "abandoned",
        "wait_seconds", "talk_seconds", "wrap_seconds", "hold_seconds", "transferred",
        "first_contact_resolved", "caller_masked", "caller_hash", "customer_id", "queue_id",
        "team_id", "agent_id",
    }
)  # fmt: skip
OPTIONAL = ("answered_at", "ended_at", "category", "notes")
_BOOLEANS = ("abandoned", "transferred", "first_contact_resolved")
_SECONDS = ("wait_seconds", "talk_seconds", "wrap_seconds", "hold_seconds")
_TYPES = {
    **dict.fromkeys(_BOOLEANS, pa.bool_()),
    **dict.fromkeys(_SECONDS, pa.int64()),
}


def _steady_offset(zone: ZoneInfo, day: date) -> int | None:
    """The zone's UTC offset in seconds through ``day``, or None when it changes that day."""
    midnight = datetime.combine(day, time(), zone)
    offsets = {(midnight + timedelta(hours=hours)).utcoffset() for hours in (0, 6, 12, 18, 24)}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds()) if offset is not None else None


def caller_digest(key: bytes) -> Callable[[bytes], str]:
    """``hmac.digest(key, message, "sha256").hex()[:32]`` (the callers' hash, see
    :mod:`yuqi.interactions.callers`) with the key's inner and outer pads hashed once rather
    than once a message (RFC 2104: a key longer than the block is hashed first): half the
    time of a million calls of ``hmac.digest``."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def digest(message: bytes) -> str:
        first = inner.copy()
        first.update(message)
        second = outer.copy()
        second.update(first.digest())
        return second.digest()[:16].hex()

    return digest


class ColumnarChecks:
    """Checks chunks of one import's rows column by column."""

    def __init__(self, zone: ZoneInfo, ids_for: Callable[[type, set[str | None]], dict]) -> None:
        self.zone = zone
        self.cleaners = cleaners_for(zone)
        self.ids_for = ids_for
        self._offsets: dict[str, int | None] = {}
        self._key = settings.SECRET_KEY.encode("utf-8")
        self._local: pa.Array | None = None

    def _mapped(
        self, name: str, raw: pa.Array, bad: np.ndarray
    ) -> tuple[pa.Array, np.ndarray] | None:
        """Each distinct cell cleaned once by the row path's cleaner: (values, present)."""
        uniques = pc.unique(raw)
        if len(uniques) > MOST_DISTINCT:
            return None
        cleaner = self.cleaners[name]
        values: list[Any] = []
        failed: list[bool] = []
        for text in uniques.to_pylist():
            text = text.strip() if text is not None else None
            if not text:
                values.append(None)
                failed.append(False)
                continue
            try:
                value = cleaner(text)
                values.append(str(value) if isinstance(value, str) else value)
                failed.append(False)
            except FieldError:
                values.append(None)
                failed.append(True)
        index = pc.index_in(raw, uniques).to_numpy(zero_copy_only=False)
        bad |= np.asarray(failed, dtype=bool)[index]
        kind = _TYPES.get(name, pa.string())
        taken = pa.array(values, kind).take(pa.array(index))
        return taken, taken.is_valid().to_numpy(zero_copy_only=False)

    def _time(self, raw: pa.Array, bad: np.ndarray) -> tuple[pa.Array, np.ndarray]:
        """Plain local times to UTC instants: (timestamps, present)."""
        present = pc.not_equal(raw, "").to_numpy(zero_copy_only=False)
        plain = pc.match_substring_regex(raw, _TIME).to_numpy(zero_copy_only=False)
        bad |= present & ~plain
        parsed = pc.strptime(raw, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
        # Arrow rolls 2026-02-30 over to March 2 (the pattern bounds hours, minutes and
        # seconds): the day of the month must be the one written.
        written = pc.cast(
            pc.utf8_slice_codeunits(pc.if_else(pa.array(plain), raw, "1970-01-01"), 8, 10),
            pa.int64(),
        )
        same = pc.fill_null(pc.equal(pc.day(parsed), written), False).to_numpy(zero_copy_only=False)
        bad |= present & ~same
        days = pc.utf8_slice_codeunits(raw, 0, 10)
        uniques = pc.unique(days)
        offsets: list[int] = []
        steady: list[bool] = []
        for day in uniques.to_pylist():
            if day not in self._offsets:
                try:
                    self._offsets[day] = _steady_offset(self.zone, date.fromisoformat(day))
                except (TypeError, ValueError):
                    self._offsets[day] = None
            offset = self._offsets[day]
            offsets.append(offset or 0)
            steady.append(offset is not None)
        index = pc.index_in(days, uniques).to_numpy(zero_copy_only=False)
        bad |= present & ~np.asarray(steady, dtype=bool)[index]
        seconds = parsed.cast(pa.int64()).to_numpy(zero_copy_only=False)
        seconds = np.where(present & ~bad, seconds, 0).astype(np.int64)
        utc = seconds - np.asarray(offsets, dtype=np.int64)[index]
        stamps = pa.array(utc, pa.int64(), mask=~present).cast(pa.timestamp("s", tz="UTC"))
        # The local wall-clock time as written (exact: only days of one offset pass here).
        self._local = parsed
        return stamps, present

    def _plain(self, name: str, raw: pa.Array, bad: np.ndarray) -> tuple[pa.Array, np.ndarray]:
        present = pc.not_equal(raw, "").to_numpy(zero_copy_only=False)
        ends = pc.match_substring_regex(raw, _PLAIN_ENDS).to_numpy(zero_copy_only=False)
        bad |= present & ~ends
        limit = _PLAIN[name]
        if limit is not None:
            bad |= pc.utf8_length(raw).to_numpy(zero_copy_only=False) > limit
        return pc.if_else(pa.array(present), raw, pa.scalar(None, pa.string())), present

    def check(self, columns: dict[str, pa.Array], *, source: str, default_source: str) -> Any:
        rows = len(next(iter(columns.values())))
        bad = np.zeros(rows, dtype=bool)
        values: dict[str, pa.Array] = {}
        present: dict[str, np.ndarray] = {}
        for name, raw in columns.items():
            if name not in self.cleaners:
                continue
            if name in _TIMES:
                values[name], present[name] = self._time(raw, bad)
                if name == "arrived_at":
                    values[LOCAL_ARRIVED] = self._local
            elif name in _PLAIN:
                values[name], present[name] = self._plain(name, raw, bad)
            elif name == "caller_number":
                continue
            elif name == "customer_external_id":
                # A customer reference is resolved (or refused) by the row path.
                bad |= pc.not_equal(pc.utf8_trim_whitespace(raw), "").to_numpy(zero_copy_only=False)
            else:
                mapped = self._mapped(name, raw, bad)
                if mapped is None:
                    bad[:] = True
                    return self._result(rows, bad, {}, None, [])
                values[name], present[name] = mapped
        missing = np.zeros(rows, dtype=bool)
        for name in ("external_id", "channel", "arrived_at"):
            missing |= ~present[name] if name in present else True
        bad |= missing
        self._cross_field(rows, values, present, bad)
        self._callers(columns.get("caller_number"), values, bad)
        if "source" in values:
            sources = pc.fill_null(values["source"], source or default_source)
        else:
            sources = pa.repeat(source or default_source, rows).cast(pa.string())
        values["source"] = sources
        keys = list(zip(sources.to_pylist(), values["external_id"].to_pylist(), strict=True))
        from yuqi.interactions.models import Agent, Queue, Team

        for code_field, model in (("queue", Queue), ("team", Team), ("agent", Agent)):
            codes = values.pop(code_field, None)
            if codes is None:
                values[f"{code_field}_id"] = pa.nulls(rows, pa.int64())
                continue
            kept = codes.filter(pa.array(~bad))
            ids = self.ids_for(model, set(pc.unique(kept).to_pylist()))
            known = pa.array(list(ids), pa.string())
            index = pc.index_in(codes, known)
            values[f"{code_field}_id"] = pa.array(list(ids.values()), pa.int64()).take(index)
        values["customer_id"] = pa.nulls(rows, pa.int64())
        shape = np.zeros(rows, dtype=np.int32)
        for bit, name in enumerate(OPTIONAL):
            if name in present:
                shape |= present[name].astype(np.int32) << bit
        shapes = [
            ALWAYS | {name for bit, name in enumerate(OPTIONAL) if code >> bit & 1}
            for code in range(1 << len(OPTIONAL))
        ]
        return self._result(rows, bad, values, pa.array(shape, pa.int32()), shapes, keys)

    @staticmethod
    def _result(
        rows: int,
        bad: np.ndarray,
        values: dict[str, pa.Array],
        shape: pa.Array | None,
        shapes: list[frozenset[str]],
        keys: list[Any] | None = None,
    ) -> CheckedColumns:
        return CheckedColumns(
            ok=(~bad).tolist(),
            keys=keys or [None] * rows,
            data=values,
            shape=shape if shape is not None else pa.array(np.zeros(rows, np.int32)),
            shapes=shapes or [frozenset()],
        )

    def _cross_field(
        self,
        rows: int,
        values: dict[str, pa.Array],
        present: dict[str, np.ndarray],
        bad: np.ndarray,
    ) -> None:
        """apply_cross_field_rules, column-wise, for the rows still passing."""

        def seconds(name: str) -> tuple[np.ndarray, np.ndarray]:
            if name not in values:
                return np.zeros(rows, np.int64), np.zeros(rows, dtype=bool)
            numbers = pc.fill_null(values[name].cast(pa.int64()), 0)
            return numbers.to_numpy(zero_copy_only=False), present[name]

        arrived, _has_arrived = seconds("arrived_at")
        answered, has_answered = seconds("answered_at")
        ended, has_ended = seconds("ended_at")
        bad |= has_answered & (answered < arrived)
        bad |= has_ended & (ended < arrived)
        bad |= has_answered & has_ended & (ended < answered)

        def flags(name: str) -> np.ndarray:
            """0 blank, 1 no, 2 yes."""
            if name not in values:
                return np.zeros(rows, np.int8)
            column = values[name]
            yes = pc.fill_null(column, False).to_numpy(zero_copy_only=False)
            return np.where(present[name], np.where(yes, 2, 1), 0).astype(np.int8)

        flagged = flags("abandoned")
        bad |= (flagged == 2) & has_answered
        directions = values.get("direction")
        if directions is None:
            directions = pa.repeat(str(Direction.INBOUND), rows).cast(pa.string())
        else:
            directions = pc.fill_null(directions, str(Direction.INBOUND))
        values["direction"] = directions
        queued = present.get("queue", np.zeros(rows, dtype=bool))
        # contacts.abandoned once per combination of its inputs.
        channel = values["channel"]
        combos = pa.table(
            {
                "f": pa.array(flagged),
                "a": pa.array(has_answered),
                "d": directions,
                "c": channel,
                "q": pa.array(queued),
            }
        )
        rules: dict[tuple, bool] = {}
        for f, a, d, c, q in zip(
            *(combos.column(n).to_pylist() for n in ("f", "a", "d", "c", "q")), strict=True
        ):
            rules.setdefault((f, a, d, c, q), False)
        for combo in rules:
            f, a, d, c, q = combo
            rules[combo] = c is not None and contacts.abandoned(
                flagged=None if f == 0 else f == 2, answered=a, direction=d, channel=c, queued=q
            )
        # Rows map to their combination's answer (vectorised through a joined key).
        keys = pc.binary_join_element_wise(
            pc.cast(combos.column("f"), pa.string()),
            pc.cast(combos.column("a"), pa.string()),
            pc.fill_null(combos.column("d"), ""),
            pc.fill_null(combos.column("c"), ""),
            pc.cast(combos.column("q"), pa.string()),
            "\x1f",
        )
        names = ["\x1f".join([str(f), str(a).lower(), d or "", c or "", str(q).lower()])
                 for f, a, d, c, q in rules]  # fmt: skip
        found = pc.index_in(keys, pa.array(names, pa.string()))
        index = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
        answers = np.asarray([*rules.values(), False], dtype=bool)
        abandoned = answers[index]  # -1 (a row already refused): the appended False
        values["abandoned"] = pa.array(abandoned)
        if "wait_seconds" in values and present["wait_seconds"].any():
            given, has_given = seconds("wait_seconds")
        else:
            given, has_given = np.zeros(rows, np.int64), np.zeros(rows, dtype=bool)
        until = np.where(has_answered, answered, ended)
        has_until = has_answered | (abandoned & has_ended)
        derived = np.where(has_until, np.maximum(0, until - arrived), 0)
        values["wait_seconds"] = pa.array(np.where(has_given, given, derived), pa.int64())
        talk_given, has_talk = seconds("talk_seconds")
        talk = np.where(
            has_talk,
            talk_given,
            np.where(has_answered & has_ended, np.maximum(0, ended - answered), 0),
        )
        values["talk_seconds"] = pa.array(talk, pa.int64())
        for name in ("wrap_seconds", "hold_seconds"):
            given, has = seconds(name)
            values[name] = pa.array(np.where(has, given, 0), pa.int64())
        for name in ("transferred",):
            flag = flags(name)
            values[name] = pa.array(flag == 2)
        if "first_contact_resolved" in values:
            flag = flags("first_contact_resolved")
            values["first_contact_resolved"] = pa.array(flag == 2, mask=flag == 0)
        else:
            values["first_contact_resolved"] = pa.nulls(rows, pa.bool_())
        bad |= abandoned & (talk > 0)

    def _callers(self, raw: pa.Array | None, values: dict[str, pa.Array], bad: np.ndarray) -> None:
        """A plain mobile number masked and hashed as the row path does; any other
        non-blank number takes the row path."""
        rows = len(bad)
        if raw is None:
            values["caller_masked"] = pa.repeat("", rows).cast(pa.string())
            values["caller_hash"] = pa.repeat("", rows).cast(pa.string())
            return
        blank = pc.equal(pc.utf8_trim_whitespace(raw), "").to_numpy(zero_copy_only=False)
        mobile = pc.match_substring_regex(raw, _MOBILE).to_numpy(zero_copy_only=False)
        bad |= ~(blank | mobile)
        numbers = raw.to_pylist()
        digest = caller_digest(self._key)
        use = mobile & ~bad
        hashes = [
            digest(number.encode()) if ok else ""
            for number, ok in zip(numbers, use.tolist(), strict=True)
        ]
        masked = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(raw, 0, 3), "****", pc.utf8_slice_codeunits(raw, 7), ""
        )
        values["caller_masked"] = pc.if_else(pa.array(use), masked, "")
        values["caller_hash"] = pa.array(hashes, pa.string())


class DirectDerivation:
    """The derived KPI columns of contacts written straight into their table by the columnar
    import's direct ``COPY`` (an empty table in bulk-load mode): the values
    :func:`yuqi.interactions.derived.derived_on_insert` computes in SQL for a contact without
    a customer (every row the column checks pass has none), computed on the chunk's columns.

    The local day and minute come from the arrival as written: the column checks pass a time
    only on a day its zone keeps one offset, so the local wall-clock time is the cell's. The
    service-level threshold is the queue's (else ``DEFAULT_SL_SECONDS``). The local days
    written are queued for the rollups by :meth:`done`, as ``derived_on_insert``'s
    ``queue_sql`` does."""

    #: Columns with the same value in every row of a load (the direct ``COPY`` leaves them
    #: out and sets them as the columns' defaults for the load, ``_DirectCopy.set_constants``).
    constant = ("repeated", "tier_id", "derived_at")

    def __init__(self) -> None:
        self._thresholds: dict[int, int] = {}
        self.days: set[date] = set()

    def columns(
        self, data: dict[str, pa.Array], keep: pa.Array, stamp: datetime
    ) -> dict[str, pa.Array]:
        from yuqi.domain.kpi import DEFAULT_SL_SECONDS
        from yuqi.interactions.models import Queue

        rows = keep.true_count
        local = data[LOCAL_ARRIVED].filter(keep)
        day = local.cast(pa.date32())
        minute = pc.add(pc.multiply(pc.hour(local), 60), pc.minute(local)).cast(pa.int16())
        queues = data["queue_id"].filter(keep)
        if missing := set(pc.unique(queues).drop_null().to_pylist()) - self._thresholds.keys():
            found = Queue.objects.filter(pk__in=missing).values_list("pk", "sl_seconds")
            self._thresholds.update(found)
        ids = pa.array(list(self._thresholds), pa.int64())
        thresholds = pa.array(list(self._thresholds.values()), pa.int64())
        sl_seconds = pc.fill_null(thresholds.take(pc.index_in(queues, ids)), DEFAULT_SL_SECONDS)
        self.days.update(pc.unique(day).drop_null().to_pylist())
        return {
            "local_day": day,
            "local_minute": minute,
            "repeated": pa.repeat(pa.scalar(False), rows),
            "tier_id": pa.nulls(rows, pa.int64()),
            "sl_seconds": sl_seconds,
            "derived_at": pa.repeat(pa.scalar(stamp, pa.timestamp("us")), rows),
        }

    def done(self) -> None:
        """Queue the local days written for the rollup refresh."""
        from yuqi.interactions.models import RollupDay

        RollupDay.objects.bulk_create(
            [RollupDay(day=day) for day in sorted(self.days)], ignore_conflicts=True
        )
