"""``yuqi kpi FILE``: KPIs of a large CSV or Parquet export, computed by DuckDB in place.

The file is never loaded into Yuqi's database: DuckDB scans it (in parallel, out of core) and
computes the ``KpiCounts`` sums per group in one SQL statement; the ratios then come from the
same pure formulas as everywhere else (``yuqi.domain.kpi.kpi_values``).

Columns are the import format's English field names (docs/import-columns.md): ``arrived_at``
(required), ``channel``, ``direction``, ``queue``, ``team``, ``agent``,
``customer_external_id``, ``answered_at``, ``ended_at``, ``abandoned``, ``wait_seconds``,
``talk_seconds``, ``wrap_seconds``, ``hold_seconds``, ``transferred``, ``first_contact_resolved``,
``category``. Values are read with the importer's vocabulary (``yuqi.domain.contacts``):
the same yes/no words, the same channel and direction labels (电话, 微信, 回访...), the same
abandonment rule (a contact's own yes/no wins; without one, an inbound real-time contact with
a queue and no answer time counts as abandoned). Missing or blank optional values are treated
as the importer treats them: no direction means inbound; no ``wait_seconds`` is derived from
the times (to the answer, or for an abandoned contact to its end; otherwise 0), no
``talk_seconds`` from the answer to the end. A value the importer would refuse (an unknown
channel or yes/no word) is kept here: an unknown channel as its lower-cased text, an unknown
yes/no as blank, an unknown direction as inbound. Times without an offset are local
(``YUQI_TIME_ZONE``, Asia/Shanghai). The file has no customer tiers, so the service-level
threshold Y is the queue's (``--queue-sl vip=15``) or ``--sl-seconds``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, cast

from yuqi.domain import contacts
from yuqi.domain.kpi import (
    DEFAULT_REPEAT_DAYS,
    DEFAULT_SHORT_ABANDON_SECONDS,
    DEFAULT_SL_SECONDS,
    INTERVAL_CHOICES,
    SL_CONVENTIONS,
    SL_DEFAULT,
    KpiCounts,
    sl_denominator_from_counts,
)
from yuqi.ingest.errors import FieldError
from yuqi.ingest.maps import INTERACTION_COLUMNS
from yuqi.ingest.parse import parse_seconds

FILE_DIMENSIONS = ("month", "week", "day", "interval", "queue", "team", "agent", "channel")
TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y%m%d%H%M%S")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(values: object) -> str:
    return ", ".join(_quote(v) for v in sorted(values))  # type: ignore[call-overload]


def _seconds(start: str, end: str) -> str:
    """Whole seconds from ``start`` to ``end`` (NULL if either is)."""
    return f"CAST(epoch({end} - {start}) AS BIGINT)"


def _yes_no_sql(text: str) -> str:
    """``contacts.yes_no`` in SQL: true, false, or NULL (blank or not a yes/no word).

    ``text`` is trimmed already; case folding is ``lower`` (the words are NFKC-stable).
    """
    value = f"lower({text})"
    return (
        f"(CASE WHEN {value} IN ({_in(contacts.YES_WORDS)}) THEN true "
        f"WHEN {value} IN ({_in(contacts.NO_WORDS)}) THEN false END)"
    )


def _label_sql(text: str, labels: Mapping[str, str], *, unknown: str) -> str:
    """The code ``labels`` gives ``text`` after :func:`contacts.label_key`'s normalising
    (lower case, no spaces, ``_`` or ``-``); ``unknown`` (SQL) for any other text."""
    key = f"regexp_replace(lower({text}), '[\\s_\\-]+', '', 'g')"
    codes = {contacts.label_key(label): code for label, code in labels.items()}
    cases = " ".join(f"WHEN {_quote(k)} THEN {_quote(c)}" for k, c in sorted(codes.items()))
    return f"(CASE {key} {cases} ELSE {unknown} END)"


def _channel_sql(text: str) -> str:
    """The channel code of a trimmed text (an unknown label: its lower-cased text)."""
    return _label_sql(text, contacts.CHANNEL_LABELS, unknown=f"lower({text})")


def _inbound_sql(text: str) -> str:
    """Whether a trimmed direction text is inbound: anything but an outbound label."""
    code = _label_sql(text, contacts.DIRECTION_LABELS, unknown="NULL")
    return f"coalesce({code} <> {_quote(contacts.OUTBOUND)}, true)"


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def _source(path: Path, types: Mapping[str, str] | None = None) -> str:
    """The file as a DuckDB table: Parquet as stored; a CSV with ``types`` (every column's
    type, from :func:`csv_types`) or, without them, every field as text."""
    name = _quote(str(path))
    if _is_parquet(path):
        return f"read_parquet({name})"
    if types is None:
        return f"read_csv({name}, header=true, all_varchar=true)"
    struct = ", ".join(f"{_quote(column)}: {_quote(kind)}" for column, kind in types.items())
    return f"read_csv({name}, header=true, types={{{struct}}})"


# The canonical fields a CSV may hand over typed, and the DuckDB types accepted for each:
# those whose values read exactly as the text path reads the same text (an integer, an ISO
# time without offset, true/false/t/f/1/0/y/n/yes/no, all yes/no words of the importer). Any
# other sniffed type (TIME for "3:05", DOUBLE, DATE, TIMESTAMP WITH TIME ZONE, a number in a
# queue code "001") is read as text and parsed by the importer's rules, as before.
_TYPED_FIELDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("arrived_at", "answered_at", "ended_at"), frozenset({"TIMESTAMP"})),
    **dict.fromkeys(
        ("wait_seconds", "talk_seconds", "wrap_seconds", "hold_seconds"),
        frozenset({"BIGINT", "INTEGER", "SMALLINT", "TINYINT"}),
    ),
    **dict.fromkeys(("abandoned", "transferred", "first_contact_resolved"), frozenset({"BOOLEAN"})),
}


def csv_types(con: Any, path: Path) -> dict[str, str]:
    """Each CSV column's type for ``read_csv(types=…)``: DuckDB's sniffed type where
    ``_TYPED_FIELDS`` accepts it for the field the header names, VARCHAR otherwise.

    Times are taken typed only when DuckDB sniffed no time format of its own (ISO
    ``2025-03-01 10:00:00``): a day-first or month-first guess is left to the text path.
    A value later in the file that does not fit the sniffed type makes the typed read fail;
    ``kpi_counts_from_file`` then reads the file again as text.
    """
    row = con.execute(
        "SELECT Columns, TimestampFormat FROM sniff_csv(?, header = true)", [str(path)]
    ).fetchone()
    columns, timestamp_format = row
    types = {}
    for column in columns:
        name, kind = column["name"], str(column["type"]).upper()
        field = INTERACTION_COLUMNS.field_for(name) or name.lower()
        accepted = _TYPED_FIELDS.get(field, frozenset())
        if kind == "TIMESTAMP" and timestamp_format:
            accepted = frozenset()
        types[name] = kind if kind in accepted else "VARCHAR"
    return types


def _duration_seconds(text: str | None) -> int | None:
    """The importer's duration reading, for DuckDB; a refused value is missing."""
    try:
        return parse_seconds(text)
    except FieldError:
        return None


class ParquetFacts(NamedTuple):
    """What a Parquet file's footer proves about its columns (by the file's column names)."""

    #: Text columns whose every value is the same non-null text: that text.
    constants: dict[str, str]
    #: Columns without a null value.
    not_null: frozenset[str]


def parquet_facts(con: Any, path: Path) -> ParquetFacts:
    """The constant text columns and the columns without nulls of a Parquet file, from the
    column statistics of its row groups (``parquet_metadata``: no data page is read).

    A column counts only if every row group has the statistic: a null count of 0 for
    ``not_null``; for ``constants`` also exact minimum and maximum, equal to each other and
    the same in all row groups (then every value is that text). A missing statistic (some
    writers omit them, or truncate long strings: not exact) proves nothing. A file without
    row groups proves nothing either.
    """
    rows = con.execute(
        """
        SELECT path_in_schema, count(*) AS groups,
            bool_and(coalesce(stats_null_count = 0, false)) AS not_null,
            bool_and(coalesce(min_is_exact AND max_is_exact
                AND stats_min_value = stats_max_value, false))
                AND count(DISTINCT stats_min_value) = 1 AS constant,
            any_value(stats_min_value) AS value
        FROM parquet_metadata(?) GROUP BY path_in_schema
        """,
        [str(path)],
    ).fetchall()
    (row_groups,) = con.execute(
        "SELECT coalesce(sum(num_row_groups), 0) FROM parquet_file_metadata(?)", [str(path)]
    ).fetchone()
    if not row_groups:
        return ParquetFacts({}, frozenset())
    complete = [row for row in rows if row[1] == row_groups]
    return ParquetFacts(
        constants={name: value for name, _, nn, constant, value in complete if nn and constant},
        not_null=frozenset(name for name, _, nn, _, _ in complete if nn),
    )


class _Columns:
    """SQL expressions for the canonical fields, given the file's columns and their types.

    ``facts`` (of a Parquet file) make a constant text column a literal, so that DuckDB
    neither reads nor groups by it, and let the statements drop what a column without nulls
    cannot change.
    """

    def __init__(self, types: Mapping[str, str], facts: ParquetFacts | None = None) -> None:
        # The importer's header vocabulary (``yuqi.ingest.maps.INTERACTION_COLUMNS``): a file
        # headed 到达时间, 保持时长, 话后处理时长 reads the same in ``yuqi kpi`` as in
        # ``yuqi import``. A header that names no field keeps its own (lower-cased) name.
        self.types: dict[str, tuple[str, str]] = {}
        for name, kind in types.items():
            field = INTERACTION_COLUMNS.field_for(name) or name.lower()
            if field in self.types:
                raise ValueError(f"columns {self.types[field][0]!r} and {name!r} both give {field}")
            self.types[field] = (name, kind.upper())
        facts = facts or ParquetFacts({}, frozenset())
        self.constants = {
            field: facts.constants[name]
            for field, (name, kind) in self.types.items()
            if kind == "VARCHAR" and name in facts.constants
        }
        self.not_null = {field for field, (name, _) in self.types.items() if name in facts.not_null}

    def has(self, field: str) -> bool:
        return field in self.types

    def constant(self, field: str) -> bool:
        """Whether the file proves every value of ``field`` is one and the same text."""
        return field in self.constants

    def never_null(self, field: str) -> bool:
        return field in self.not_null

    def raw(self, field: str) -> str:
        if field in self.constants:
            return f"{_quote(self.constants[field])}::VARCHAR"
        return '"' + self.types[field][0].replace('"', '""') + '"'

    def text(self, field: str) -> str:
        if not self.has(field):
            return "NULL::VARCHAR"
        return f"NULLIF(trim(CAST({self.raw(field)} AS VARCHAR)), '')"

    def raw_text(self, field: str) -> str:
        """The column as stored (no trimming): for grouping before normalising."""
        return f"CAST({self.raw(field)} AS VARCHAR)" if self.has(field) else "NULL::VARCHAR"

    def integer(self, field: str) -> str | None:
        """Whole seconds, read as the importer reads a duration: digits (rounded half up),
        else ``3:05``, ``00:03:05``, ``3分5秒``, ``2m 5s`` through the importer's own
        ``parse_seconds`` (the ``yuqi_seconds`` function); what it refuses is missing."""
        if not self.has(field):
            return None
        if self.types[field][1] in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT"):
            return self.raw(field)
        text = self.text(field)
        number = f"TRY_CAST({text} AS DOUBLE)"
        return (
            f"CASE WHEN {text} IS NULL THEN NULL WHEN {number} IS NOT NULL "
            f"THEN CAST(round({number}) AS BIGINT) ELSE yuqi_seconds({text}) END"
        )

    def boolean(self, field: str) -> str:
        if not self.has(field):
            return "NULL::BOOLEAN"
        if self.types[field][1] == "BOOLEAN":
            return self.raw(field)
        return _yes_no_sql(self.text(field))

    def timestamp(self, field: str) -> str:
        """A local wall-clock TIMESTAMP (the session time zone is the local one)."""
        if not self.has(field):
            return "NULL::TIMESTAMP"
        kind = self.types[field][1]
        if kind == "TIMESTAMP":
            return self.raw(field)
        if kind.startswith("TIMESTAMP WITH TIME ZONE") or kind == "TIMESTAMPTZ":
            return f"CAST({self.raw(field)} AS TIMESTAMP)"
        text = self.text(field)
        formats = "[" + ", ".join(_quote(f) for f in TIME_FORMATS) + "]"
        return (
            f"coalesce(CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP), "
            f"try_strptime({text}, {formats}))"
        )


def _rows_sql(cols: _Columns, *, sl_seconds: int, queue_sl: Mapping[str, int]) -> str:
    """One parsed row per contact (the importer's rules for missing columns)."""
    arrived = cols.timestamp("arrived_at")
    answered_at = cols.timestamp("answered_at")
    ended_at = cols.timestamp("ended_at")
    channel = _channel_sql(cols.text("channel"))
    inbound = _inbound_sql(cols.text("direction"))
    unanswered_realtime = (
        f"({answered_at} IS NULL AND {channel} IN ({_in(contacts.REAL_TIME_CHANNELS)}) "
        f"AND {cols.text('queue')} IS NOT NULL AND {inbound})"
    )
    # contacts.abandoned: the contact's own yes/no wins, else the inference.
    abandoned = f"coalesce({cols.boolean('abandoned')}, {unanswered_realtime})"
    # As the importer: a blank or missing wait or talk time is derived from the times.
    waited_until = f"coalesce({answered_at}, {ended_at})"
    wait = (
        f"coalesce({cols.integer('wait_seconds') or 'NULL'}, CASE WHEN {answered_at} IS NOT NULL"
        f" OR {abandoned} THEN {_seconds(arrived, waited_until)} END, 0)"
    )
    talk = (
        f"coalesce({cols.integer('talk_seconds') or 'NULL'}, {_seconds(answered_at, ended_at)}, 0)"
    )
    sl_cases = " ".join(
        f"WHEN {_quote(code)} THEN {int(seconds)}" for code, seconds in queue_sl.items()
    )
    threshold = (
        f"CASE {cols.text('queue')} {sl_cases} ELSE {int(sl_seconds)} END"
        if sl_cases
        else str(int(sl_seconds))
    )
    return f"""
        SELECT
            {arrived} AS ts,
            {inbound} AS inbound,
            {cols.text("queue")} AS queue,
            {cols.text("team")} AS team,
            {cols.text("agent")} AS agent,
            {channel} AS channel,
            {cols.text("customer_external_id")} AS customer,
            coalesce({cols.text("category")}, '') AS category,
            {abandoned} AS abandoned,
            ({answered_at} IS NOT NULL AND NOT {abandoned}) AS answered,
            {wait} AS wait,
            {talk} AS talk,
            coalesce({cols.integer("wrap_seconds") or "NULL"}, 0) AS wrap,
            coalesce({cols.integer("hold_seconds") or "NULL"}, 0) AS hold,
            coalesce({cols.boolean("transferred")}, false) AS transferred,
            {cols.boolean("first_contact_resolved")} AS fcr,
            {threshold} AS sl_seconds
        FROM src
    """


TEXT_KEYS = ("queue", "team", "agent", "channel")


def _grouped_first_sql(
    cols: _Columns,
    *,
    by: Sequence[str],
    where: Sequence[str],
    interval_minutes: int,
    short_abandon_seconds: int,
    sl_seconds: int,
    queue_sl: Mapping[str, int],
) -> tuple[str, str]:
    """The same sums as the row-by-row statement, in two aggregations, for files without
    derived FCR (no per-customer window is needed): the first statement's result is stored
    as the temporary table ``first_stage``, which the second reads.

    Why: trimming and lower-casing text on every row was most of the work. Here the rows are
    first summed per *raw* queue, channel, direction (and any text key) and time key; the
    text is normalised only on those few groups, which are then summed again. What depends on
    the normalised text is constant within a raw group, so it can be decided afterwards:
    whether the contact was inbound with a queue (the filter), and whether an unanswered
    contact counts as abandoned (a real-time channel). The first stage also groups by the
    contact's own abandoned flag (``f``: yes, no or blank), whether it has an answer time
    (``n``: none) and whether its wait is missing with it (``wx``): these few values decide
    whether a contact is answered or abandoned, so the first stage needs only plain sums and
    counts per group (no per-row condition), and the second picks the answered and abandoned
    groups. An answered contact is never implicitly abandoned; an unanswered one without a
    flag is abandoned on a real-time channel; a wait derived from the times counts only for an
    answered or abandoned contact (``wx`` groups that are neither have a longest wait of 0).
    """
    arrived = cols.timestamp("arrived_at")
    answered_at = cols.timestamp("answered_at")
    ended_at = cols.timestamp("ended_at")
    given_wait = cols.integer("wait_seconds") or "NULL"
    derived_wait = _seconds(arrived, f"coalesce({answered_at}, {ended_at})")
    talk = (
        f"coalesce({cols.integer('talk_seconds') or 'NULL'}, {_seconds(answered_at, ended_at)}, 0)"
    )
    sl_cases = " ".join(
        f"WHEN {_quote(code)} THEN {int(seconds)}" for code, seconds in queue_sl.items()
    )
    threshold = (
        f"CASE {cols.text('queue')} {sl_cases} ELSE {int(sl_seconds)} END"
        if sl_cases
        else str(int(sl_seconds))
    )
    text_keys = [key for key in by if key in TEXT_KEYS and key not in ("queue", "channel")]
    time_keys = [key for key in by if key not in TEXT_KEYS]
    # Keys the file proves constant (a Parquet column of one text; a wait never missing) are
    # not grouped by in the first stage, where every key costs on every row: the second stage
    # adds them back as literals.
    raw_keys = {
        f"r_{field}": cols.raw_text(field)
        for field in ("queue", "channel", "direction", *text_keys)
    }
    constant_keys = {
        name: sql
        for name, sql in raw_keys.items()
        if cols.constant(name[2:]) or not cols.has(name[2:])
    }
    if (
        cols.never_null("wait_seconds")
        and cols.integer("wait_seconds") == cols.raw("wait_seconds")  # a number column
    ):
        constant_keys["wx"] = "false"  # the wait is never missing
    wx = f"({given_wait} IS NULL AND {answered_at} IS NULL)"
    rows = f"""
        SELECT {arrived} AS ts,
            {"".join(f"{sql} AS {name}, " for name, sql in raw_keys.items())}
            {cols.boolean("abandoned")} AS f, ({answered_at} IS NULL) AS n,
            coalesce({given_wait}, {derived_wait}, 0) AS w,
            {constant_keys.get("wx", wx)} AS wx, {talk} AS talk,
            coalesce({cols.integer("wrap_seconds") or "NULL"}, 0) AS wrap,
            coalesce({cols.integer("hold_seconds") or "NULL"}, 0) AS hold,
            coalesce({cols.boolean("transferred")}, false) AS transferred,
            {cols.boolean("first_contact_resolved")} AS fcr, {threshold} AS sl_seconds
        FROM src
    """
    first_keys = [
        *(name for name in [*raw_keys, "f", "n", "wx"] if name not in constant_keys),
        *(f"{_key_sql(key, interval_minutes)} AS k_{key}" for key in time_keys),
    ]

    def present(field: str, aggregate: str) -> str:
        """The aggregate of a column the file has; 0 for one it lacks (nothing to add up)."""
        return aggregate if cols.has(field) else "0"

    first = f"""
        SELECT {", ".join(first_keys)},
            count(*) AS offered,
            count_if(w < {int(short_abandon_seconds)}) AS short,
            count_if(w <= sl_seconds) AS within,
            sum(w) AS wait_seconds,
            max(w) AS longest,
            sum(talk) AS talk_seconds,
            {present("wrap_seconds", "sum(wrap)")} AS wrap_seconds,
            {present("hold_seconds", "sum(hold)")} AS hold_seconds,
            {present("transferred", "count_if(transferred)")} AS transferred,
            {present("first_contact_resolved", "count_if(fcr IS NOT NULL)")} AS fcr_flagged,
            {present("first_contact_resolved", "count_if(fcr)")} AS fcr_resolved
        FROM ({rows}) WHERE {" AND ".join(where)}
        GROUP BY ALL
    """
    queue = "NULLIF(trim(r_queue), '')"
    channel = _channel_sql("NULLIF(trim(r_channel), '')")
    inbound = _inbound_sql("NULLIF(trim(r_direction), '')")
    second_keys = []
    for key in by:
        if key == "queue":
            second_keys.append(f"{queue} AS k_queue")
        elif key == "channel":
            second_keys.append(f"{channel} AS k_channel")
        elif key in TEXT_KEYS:
            second_keys.append(f"NULLIF(trim(r_{key}), '') AS k_{key}")
        else:
            second_keys.append(f"k_{key}")
    # contacts.abandoned: the contact's own yes/no wins; without one, an unanswered contact on
    # a real-time channel (the filter below keeps inbound contacts with a queue only).
    abandoned = f"coalesce(f, n AND {channel} IN ({_in(contacts.REAL_TIME_CHANNELS)}))"
    answered = "(NOT n AND NOT coalesce(f, false))"
    # BIGINT, not DuckDB's HUGEINT sums: those are several times slower to hand to Python.

    def total(value: str, name: str, when: str | None = None) -> str:
        picked = f"CASE WHEN {when} THEN {value} ELSE 0 END" if when else value
        return f"CAST(coalesce(sum({picked}), 0) AS BIGINT) AS {name}"

    group = f"GROUP BY {', '.join(f'k_{key}' for key in by)}" if by else ""
    stage = "first_stage"
    if constant_keys:
        added = ", ".join(f"{sql} AS {name}" for name, sql in constant_keys.items())
        stage = f"(SELECT *, {added} FROM first_stage)"
    # Two statements: in one (even with a MATERIALIZED CTE) DuckDB pushes the filter on the
    # normalised direction and queue (it names only first-stage keys) below the first
    # aggregation, back onto every row.
    second = f"""
        SELECT {", ".join([*second_keys, ""])}
            {total("offered", "offered")},
            {total("offered", "answered", answered)},
            {total("offered", "abandoned", "ab")},
            {total("short", "short_abandoned", "ab")},
            {total("within", "answered_within", answered)},
            {total("wait_seconds", "answered_wait_seconds", answered)},
            max(CASE WHEN wx AND NOT ab THEN 0 ELSE longest END) AS longest_wait_seconds,
            {total("talk_seconds", "talk_seconds", answered)},
            {total("wrap_seconds", "wrap_seconds", answered)},
            {total("hold_seconds", "hold_seconds", answered)},
            {total("transferred", "transferred", answered)},
            {total("fcr_flagged", "fcr_flagged")},
            {total("fcr_resolved", "fcr_resolved")},
            0 AS repeat_candidates,
            0 AS repeated
        FROM (SELECT *, {abandoned} AS ab FROM {stage}
              WHERE {inbound} AND {queue} IS NOT NULL)
        {group}
        ORDER BY {", ".join([f"k_{key} NULLS LAST" for key in by]) or "1"}
    """
    return first, second


def _key_sql(key: str, interval_minutes: int) -> str:
    if key == "interval":
        return f"time_bucket(INTERVAL '{int(interval_minutes)} minutes', ts)"
    if key == "day":
        return "CAST(ts AS DATE)"
    if key in ("week", "month"):
        return f"CAST(date_trunc('{key}', ts) AS DATE)"
    return key


def kpi_counts_from_file(
    path: str | Path,
    *,
    by: Sequence[str] = ("queue",),
    interval_minutes: int = 30,
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS,
    sl_seconds: int = DEFAULT_SL_SECONDS,
    queue_sl: Mapping[str, int] | None = None,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
    date_from: date | None = None,
    date_to: date | None = None,
    time_zone: str | None = None,
    threads: int | None = None,
    sl_convention: str = SL_DEFAULT,
) -> list[tuple[dict[str, Any], KpiCounts]]:
    """``KpiCounts`` per group of ``by`` over a CSV/Parquet file, summed by DuckDB.

    Derived FCR needs ``customer_external_id`` and ``category`` columns (else it has no
    candidates); it uses a window over each customer's contacts on a category, counting
    inbound contacts in (t, t + ``repeat_days``]. ``sl_convention`` (one of
    ``yuqi.domain.kpi.SL_CONVENTIONS``) sets the service level's denominator for every queue
    of the file (a file carries no queue settings). Raises ``ValueError`` for an unknown key.
    """
    if sl_convention not in SL_CONVENTIONS:
        raise ValueError(f"sl_convention must be one of {', '.join(SL_CONVENTIONS)}")
    return [
        (keys, _with_denominator(counts, sl_convention))
        for keys, counts in _file_counts(
            path,
            by=by,
            interval_minutes=interval_minutes,
            short_abandon_seconds=short_abandon_seconds,
            sl_seconds=sl_seconds,
            queue_sl=queue_sl,
            repeat_days=repeat_days,
            date_from=date_from,
            date_to=date_to,
            time_zone=time_zone,
            threads=threads,
            sl_convention=sl_convention,
        )
    ]


def _with_denominator(counts: KpiCounts, convention: str) -> KpiCounts:
    """``counts`` with the service level's denominator (when the SQL did not count it)."""
    if counts.sl_offered is not None:
        return counts
    return replace(counts, sl_offered=sl_denominator_from_counts(counts, convention))


class _Sql(str):
    """A SQL expression that ``+`` and ``-`` combine into SQL (see :func:`_sl_offered_sql`)."""

    def __add__(self, other: object) -> _Sql:
        return _Sql(f"({self} + {other})")

    def __sub__(self, other: object) -> _Sql:
        return _Sql(f"({self} - {other})")


class _SqlCounts:
    """Stands for a result row in ``sl_denominator_from_counts``: each count is its column."""

    def __getattr__(self, name: str) -> _Sql:
        if name not in _COUNT_FIELDS:
            raise AttributeError(name)
        return _Sql(name)


def _sl_offered_sql(convention: str) -> str | None:
    """The service level's denominator as SQL over the result's count columns: the domain's
    own ``sl_denominator_from_counts`` applied to the columns' names, so the formula is not
    written twice. Counting it in DuckDB spares a second ``KpiCounts`` per group (a frozen
    dataclass: ``replace`` costs as much as building the counts). ``None`` if the formula is
    not a sum or difference of counts; the counts then get it in Python."""
    try:
        found = sl_denominator_from_counts(cast(KpiCounts, _SqlCounts()), convention)
    except TypeError:
        return None
    return str(found) if isinstance(found, _Sql) else None


def _file_counts(
    path: str | Path,
    *,
    by: Sequence[str],
    interval_minutes: int,
    short_abandon_seconds: int,
    sl_seconds: int,
    queue_sl: Mapping[str, int] | None,
    repeat_days: int,
    date_from: date | None,
    date_to: date | None,
    time_zone: str | None,
    threads: int | None,
    sl_convention: str,
) -> list[tuple[dict[str, Any], KpiCounts]]:
    import duckdb

    by = list(by)
    unknown = [key for key in by if key not in FILE_DIMENSIONS]
    if unknown:
        raise ValueError(
            f"cannot group a file by {', '.join(unknown)}; choose from {', '.join(FILE_DIMENSIONS)}"
        )
    if interval_minutes not in INTERVAL_CHOICES:
        raise ValueError(f"interval must be one of {INTERVAL_CHOICES} minutes")
    con = duckdb.connect()
    try:
        zone = time_zone or os.environ.get("YUQI_TIME_ZONE", "Asia/Shanghai")
        con.execute(f"SET TimeZone = {_quote(zone)}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        path = Path(path)
        query = partial(
            _query,
            con,
            by=by,
            interval_minutes=interval_minutes,
            short_abandon_seconds=short_abandon_seconds,
            sl_seconds=sl_seconds,
            queue_sl=queue_sl or {},
            repeat_days=repeat_days,
            date_from=date_from,
            date_to=date_to,
            sl_convention=sl_convention,
        )
        if _is_parquet(path):
            return query(_source(path), facts=parquet_facts(con, path))
        try:
            types: dict[str, str] | None = csv_types(con, path)
        except duckdb.Error:  # not sniffable (e.g. empty): the text read says what is wrong
            types = None
        if types is None or set(types.values()) == {"VARCHAR"}:
            return query(_source(path))
        try:
            return query(_source(path, types))
        except (duckdb.ConversionException, duckdb.InvalidInputException):
            # A value past DuckDB's sniffing sample does not fit its type: read it as text.
            return query(_source(path))
    finally:
        con.close()


def _query(
    con: Any,
    source: str,
    *,
    by: list[str],
    interval_minutes: int,
    short_abandon_seconds: int,
    sl_seconds: int,
    queue_sl: Mapping[str, int],
    repeat_days: int,
    date_from: date | None,
    date_to: date | None,
    sl_convention: str,
    facts: ParquetFacts | None = None,
) -> list[tuple[dict[str, Any], KpiCounts]]:
    """The counts per group of ``source`` (a DuckDB table expression of the file); ``facts``
    what the file's metadata proves about its columns (see :func:`parquet_facts`)."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM {source}")
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE src)").fetchall())
    cols = _Columns(types, facts)
    if not cols.has("arrived_at"):
        raise ValueError("the file has no arrived_at column")
    derived = cols.has("customer_external_id") and cols.has("category")
    where = ["ts IS NOT NULL"]
    if date_from:
        where.append(f"ts >= TIMESTAMP '{date_from.isoformat()}'")
    if date_to:
        where.append(f"ts < TIMESTAMP '{(date_to + timedelta(days=1)).isoformat()}'")
    if not derived:
        first, second = _grouped_first_sql(
            cols,
            by=by,
            where=where,
            interval_minutes=interval_minutes,
            short_abandon_seconds=short_abandon_seconds,
            sl_seconds=sl_seconds,
            queue_sl=queue_sl or {},
        )
        _durations_as_text(con, first)
        con.execute(f"CREATE OR REPLACE TEMP TABLE first_stage AS {first}")
        return _counts(con.execute(_and_denominator(second, by, sl_convention)), by)
    rows = _rows_sql(cols, sl_seconds=sl_seconds, queue_sl=queue_sl or {})
    candidate = "(inbound AND customer IS NOT NULL AND category <> '')"
    repeat = (
        f"CASE WHEN {candidate} THEN count(*) OVER (PARTITION BY {candidate}, customer, "
        f"category ORDER BY ts RANGE BETWEEN INTERVAL '1 microsecond' FOLLOWING AND "
        f"INTERVAL '{int(repeat_days)} days' FOLLOWING) > 0 ELSE false END"
        if derived
        else "false"
    )
    keys = [f"{_key_sql(key, interval_minutes)} AS k_{key}" for key in by]
    group = f"GROUP BY {', '.join(f'k_{key}' for key in by)}" if by else ""
    answered_candidate = "(answered AND customer IS NOT NULL AND category <> '')"
    sql = f"""
        WITH parsed AS ({rows}),
        flagged AS (SELECT *, {repeat} AS repeated FROM parsed
                    {"WHERE ts IS NOT NULL" if derived else ""})
        SELECT {", ".join([*keys, ""])}
            count(*) AS offered,  -- count_if/CASE: faster in DuckDB than FILTER clauses
            count_if(answered) AS answered,
            count_if(abandoned) AS abandoned,
            count_if(abandoned AND wait < {int(short_abandon_seconds)})
                AS short_abandoned,
            count_if(answered AND wait <= sl_seconds) AS answered_within,
            coalesce(sum(CASE WHEN answered THEN wait ELSE 0 END), 0) AS answered_wait_seconds,
            max(wait) AS longest_wait_seconds,
            coalesce(sum(CASE WHEN answered THEN talk ELSE 0 END), 0) AS talk_seconds,
            coalesce(sum(CASE WHEN answered THEN wrap ELSE 0 END), 0) AS wrap_seconds,
            coalesce(sum(CASE WHEN answered THEN hold ELSE 0 END), 0) AS hold_seconds,
            coalesce(count_if(answered AND transferred), 0) AS transferred,
            count_if(fcr IS NOT NULL) AS fcr_flagged,
            coalesce(count_if(fcr), 0) AS fcr_resolved,
            count_if({answered_candidate}) AS repeat_candidates,
            count_if({answered_candidate} AND repeated) AS repeated
        FROM flagged
        WHERE {" AND ".join(where)} AND inbound AND queue IS NOT NULL
        {group}
        ORDER BY {", ".join([f"k_{key} NULLS LAST" for key in by]) or "1"}
    """
    _durations_as_text(con, sql)
    return _counts(con.execute(_and_denominator(sql, by, sl_convention)), by)


def _and_denominator(sql: str, by: Sequence[str], convention: str) -> str:
    """``sql`` (the counts per group, ordered by the keys) with an ``sl_offered`` column."""
    denominator = _sl_offered_sql(convention)
    if denominator is None:
        return sql
    order = ", ".join([f"k_{key} NULLS LAST" for key in by]) or "1"
    return f"SELECT *, CAST({denominator} AS BIGINT) AS sl_offered FROM ({sql}) ORDER BY {order}"


def _durations_as_text(con: Any, sql: str) -> None:
    """Register ``yuqi_seconds`` (the importer's duration reading) when ``sql`` calls it, i.e.
    when a duration column is text. Only then: a Python function makes DuckDB import NumPy,
    a tenth of a second of start-up that a file with whole-number durations does not need."""
    if "yuqi_seconds(" not in sql:
        return
    known = con.execute(
        "SELECT 1 FROM duckdb_functions() WHERE function_name = 'yuqi_seconds'"
    ).fetchone()
    if not known:
        con.create_function(
            "yuqi_seconds", _duration_seconds, ["VARCHAR"], "BIGINT", side_effects=False
        )


_COUNT_FIELDS = [field.name for field in dataclass_fields(KpiCounts)]
_WHOLE_NUMBERS = frozenset({"BIGINT", "HUGEINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT"})


def _counts(result: Any, by: Sequence[str]) -> list[tuple[dict[str, Any], KpiCounts]]:
    """``KpiCounts`` per group from a DuckDB result with ``k_<key>`` and the counts' columns."""
    names = [d[0] for d in result.description]
    key_at = [(key, names.index(f"k_{key}")) for key in by]
    present = [name for name in _COUNT_FIELDS if name in names]
    pick = itemgetter(*(names.index(name) for name in present))
    # Whole-number columns arrive as ints: no conversion, and positional arguments (the
    # fields in the dataclass's order) when the result has a leading run of them.
    whole = all(str(d[1]) in _WHOLE_NUMBERS for d in result.description if d[0] in present)
    positional = present == _COUNT_FIELDS[: len(present)]
    out = []
    for record in result.fetchall():
        values = pick(record)
        if not whole:
            values = tuple(None if v is None else int(v) for v in values)
        if positional:
            counts = KpiCounts(*values)
        else:
            counts = KpiCounts(**dict(zip(present, values, strict=True)))
        out.append(({key: record[i] for key, i in key_at}, counts))
    if not by and not out:
        out = [({}, KpiCounts())]
    return out
