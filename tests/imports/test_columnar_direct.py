"""The columnar import into an empty table: one ``COPY`` straight into the contacts table with
the derived KPI columns computed on the chunk's columns. The same rows, derived columns,
queued rollup days, report and counts as the row path, on tricky times and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DatabaseError, connection

from tests.imports.files import write_csv
from tests.imports.test_bulk_checks import HEADERS, row
from tests.imports.test_columnar import _import, _report, _schema, _stored
from yuqi.imports import columnar
from yuqi.interactions.models import Interaction, Queue, RollupDay

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

# Times on the edges of a local day, a month and a year, and the UTC day's edge in Shanghai
# (08:00 local is midnight UTC); in Berlin 2026-03-29 and 2026-10-25 change the offset.
TRICKY = [
    "2026-01-01 00:00:00",
    "2026-01-31 23:59:59",
    "2026-02-01 00:00:00",
    "2026-02-28 23:59:59",
    "2026-03-28 23:30:00",
    "2026-03-29 01:59:59",
    "2026-03-29 03:00:00",
    "2026-03-30 00:00:01",
    "2026-10-25 02:30:00",
    "2026-11-02 07:59:59",
    "2026-11-02 08:00:00",
    "2026-12-31 23:59:59",
]


def _tricky_lines() -> list[list[str]]:
    lines = [HEADERS]
    for n, arrived in enumerate(TRICKY):
        for queue in ("fast-queue", "slow-queue", ""):
            lines.append(
                row(
                    f"T{n}-{queue or 'none'}",
                    arrived_at=arrived,
                    answered_at="",
                    ended_at="",
                    queue=queue,
                )
            )
    return lines


def _copied(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the chunks written by the direct COPY."""
    writes: list[int] = []
    real = columnar._DirectCopy.write

    def write(self, columns, data):  # type: ignore[no-untyped-def]
        writes.append(1)
        return real(self, columns, data)

    monkeypatch.setattr(columnar._DirectCopy, "write", write)
    return writes


def _days() -> set:
    return set(RollupDay.objects.values_list("day", flat=True))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "UTC"])
def test_the_direct_copy_derives_what_the_row_path_derives(tmp_path, monkeypatch, settings, zone):
    settings.TIME_ZONE = zone
    Queue.objects.create(code="slow-queue", name="slow", sl_seconds=45)
    path = write_csv(tmp_path / "tricky.csv", _tricky_lines())
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 7)  # several chunks, several COPYs
    copied = _copied(monkeypatch)
    RollupDay.objects.all().delete()
    fast = _import(path, "fast")
    assert copied, "the rows went straight into the table"
    direct_days = _days()
    RollupDay.objects.all().delete()
    monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 40)
    slow = _import(path, "slow")

    assert fast.rows_created == slow.rows_created == len(TRICKY) * 3
    stored_fast, stored_slow = _stored("fast"), _stored("slow")
    assert stored_fast == stored_slow
    assert direct_days == _days()
    # Every contact derived, none left pending for the worker's job.
    assert not Interaction.objects.filter(derived_at__isnull=True).exists()
    thresholds = set(
        Interaction.objects.filter(source="fast").values_list("queue__code", "sl_seconds")
    )
    assert thresholds == {("fast-queue", 20), ("slow-queue", 45), (None, 20)}


def test_a_hostile_file_copied_directly_is_stored_as_text_and_reported(tmp_path, monkeypatch):
    lines = [HEADERS]
    lines += [row(f"P{n}", arrived_at=f"2026-11-02 10:{n % 60:02d}:00") for n in range(30)]
    lines += [
        row("F1", category="=cmd|' /C calc'!A0", notes='=HYPERLINK("http://x")'),
        row("F2", notes="+SUM(1,2)"),
        row("-F3"),  # an id that starts like a formula: the row path decides
        row("F4", notes="长" * 30_000),  # over the notes' limit? the row path says
        row("F5", category="x" * 5_000),  # over the category's limit
        row("F6", arrived_at="2026-13-01 00:00:00"),
        row("F8", caller_number="=1+1"),
    ]
    path = write_csv(tmp_path / "hostile.csv", lines)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "MOST_SLOW", 1.0)
    copied = _copied(monkeypatch)
    fast = _import(path, "fast")
    assert copied
    monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 40)
    slow = _import(path, "slow")
    counts = ("status", "rows_read", "rows_created", "rows_rejected")
    assert [getattr(fast, n) for n in counts] == [getattr(slow, n) for n in counts]
    assert fast.rows_rejected > 0
    assert _report(fast) == _report(slow)
    assert _stored("fast") == _stored("slow")
    formula = Interaction.objects.get(source="fast", external_id="F1")
    assert formula.category == "=cmd|' /C calc'!A0"  # stored as text, as written


def test_a_file_in_a_wrong_encoding_midway_keeps_the_rows_before(tmp_path, monkeypatch):
    # Long notes: the undecodable bytes come after the part the reader sniffs the encoding in.
    lines = [HEADERS, *(row(f"P{n}", notes="长" * 5_000) for n in range(40))]
    good = write_csv(tmp_path / "good.csv", lines).read_bytes()
    tail = ",".join(row("B1", category="话费查询")).encode("gb18030") + b"\r\n"
    path = Path(tmp_path / "mixed.csv")
    path.write_bytes(good + tail + b"P99,\xff\xfe\xfa,inbound\r\n")
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 16)
    copied = _copied(monkeypatch)
    fast = _import(path, "fast")
    monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 40)
    slow = _import(path, "slow")
    assert copied
    counts = ("status", "rows_read", "rows_created", "rows_rejected", "message")
    assert [getattr(fast, n) for n in counts] == [getattr(slow, n) for n in counts]
    assert _stored("fast") == _stored("slow")
    assert fast.status == "failed"
    assert fast.rows_created >= 32  # the chunks before the bad bytes


def test_a_failed_direct_load_forgets_the_codes_it_created(tmp_path, monkeypatch):
    """The codes created in the rolled-back load are gone: the next run creates them again."""
    path = write_csv(
        tmp_path / "calls.csv", [HEADERS, *(row(f"P{n}", queue="brand-new") for n in range(20))]
    )
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    real = columnar._write

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("disk full")

    monkeypatch.setattr(columnar, "_write", broken)
    failed = _import(path, "fast")
    assert failed.status == "failed"
    assert not Interaction.objects.exists()
    assert not Queue.objects.filter(code="brand-new").exists()
    monkeypatch.setattr(columnar, "_write", real)
    done = _import(path, "fast")
    assert done.rows_created == 20
    assert Interaction.objects.filter(queue__code="brand-new").count() == 20


def _defaults() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, pg_get_expr(adbin, adrelid) FROM pg_attrdef "
            "JOIN pg_attribute ON attrelid = adrelid AND attnum = adnum "
            "WHERE adrelid = %s::regclass ORDER BY 1",
            [Interaction._meta.db_table],
        )
        return cursor.fetchall()


@pytest.mark.parametrize("fails", [False, True])
def test_the_direct_copy_puts_back_the_unique_key_and_the_columns_defaults(
    tmp_path, monkeypatch, fails
):
    """The unique key is dropped and the shared values (time stamps, derivation constants)
    are column defaults only while the file is copied: after the load, or its failure, the
    table is as before, and every row has its stamps and constants."""
    path = write_csv(tmp_path / "calls.csv", [HEADERS, *(row(f"P{n}") for n in range(30))])
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 7)
    copied = _copied(monkeypatch)
    schema, defaults = _schema(), _defaults()
    seen: list[tuple] = []
    real = columnar._write

    def write(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((_schema(), _defaults()))  # after the reading: the key is back
        if fails:
            raise DatabaseError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(columnar, "_write", write)
    run = _import(path, "fast")
    assert copied
    assert seen
    assert seen[0][1] == defaults
    assert "interaction_unique_source_external_id" in str(seen[0][0][1])
    assert (_schema(), _defaults()) == (schema, defaults)
    if fails:
        assert run.status == "failed"
        assert not Interaction.objects.exists()
        return
    assert run.rows_created == 30
    stored = Interaction.objects.values_list(
        "created_at", "updated_at", "derived_at", "repeated", "tier_id"
    )
    assert len(set(stored)) == 1
    (created, updated, derived, repeated, tier), *_rest = stored
    assert created is not None
    assert created == updated == derived
    assert (repeated, tier) == (False, None)
    # The unique key is enforced again.
    again = Interaction.objects.first()
    assert again is not None
    again.pk = None
    with pytest.raises(DatabaseError):
        again.save()


@pytest.mark.parametrize("key", [b"", b"short", b"k" * 64, b"long" * 40, "密钥".encode()])
def test_the_callers_digest_is_the_hmac_of_the_row_path(key):
    import hmac

    from yuqi.interactions.columnar_checks import caller_digest

    digest = caller_digest(key)
    for number in ("13812345678", "", "19900000000", "+86 138"):
        message = number.encode()
        assert digest(message) == hmac.digest(key, message, "sha256").hex()[:32]
