"""``yuqi.core.bulk``: audit rows written in bulk carry the very ``changes`` auditlog's dict
would (its JSON text made from a template per batch), whatever the recorded text holds."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from auditlog.diff import mask_str
from auditlog.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils.encoding import smart_str

from yuqi.core.bulk import JsonText, _json_adapter, audit_created, insert_objects, unsaved_many
from yuqi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
#: Text that JSON, a %-format, a template or a browser would read as syntax, and characters
#: JSON escapes (control characters, a line separator, one beyond the BMP: a surrogate pair).
HOSTILE = [
    'say "hi"',
    "back\\slash \\u0041 \\n",
    "line\nbreak\ttab\r\x1f",
    "</script><script>alert(1)</script>",
    "%s %(number)s %% {0} {{ x }}",
    "投诉 \u2028 😀 é",
    "",
]
FIELDS = ("subject_ref", "recipient", "address", "user_id", "customer_id", "created_at", "params")


def _expected(row: OutboundMessage) -> dict:
    """``changes`` as auditlog's create entry has it (``audit_created``'s documented shape)."""
    changes = {}
    for name in FIELDS:
        value = getattr(row, name)
        text = value if isinstance(value, str) else "None" if value is None else smart_str(value)
        changes[name] = ["None", mask_str(text) if value and name == "address" else text]
    return changes


def test_changes_hold_the_text_json_dumps_gives_auditlogs_dict():
    rows = insert_objects(
        unsaved_many(
            OutboundMessage,
            (
                {
                    "subject_ref": text[:80],
                    "channel": "email",
                    "recipient": text,
                    "address": text,
                    "language": "zh-hans",
                    "template": "sla_alert",
                    "body": text,
                    "created_at": AT,
                    "user_id": index if index % 2 else None,
                    "params": {"text": text, "n": index},
                }
                for index, text in enumerate(HOSTILE)
            ),
        )
    )
    assert audit_created(rows, fields=FIELDS, masked=("address",), at=AT) == len(HOSTILE)
    entries = {
        int(e.object_pk): e
        for e in LogEntry.objects.filter(object_pk__in=[str(r.pk) for r in rows])
    }
    for row in rows:
        assert entries[row.pk].changes == _expected(row)
        assert entries[row.pk].object_repr == str(row)
    if connection.vendor == "sqlite":  # stored as text: the text itself is json.dumps's
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT object_pk, changes FROM auditlog_logentry WHERE object_pk IN "
                f"({', '.join(['%s'] * len(rows))})",
                [str(r.pk) for r in rows],
            )
            stored = dict(cursor.fetchall())
        for row in rows:
            assert stored[str(row.pk)] == json.dumps(_expected(row))


def test_a_json_column_is_written_as_djangos_encoding_of_it():
    plain = _json_adapter(None, text=True)
    django = _json_adapter(DjangoJSONEncoder, text=True)
    for value in ({}, {"a": ['"\\\n', 1.5, None, True]}, ["😀", "\u2028"], "text", 0):
        assert plain(value) == json.dumps(value)
    assert plain(None) is None
    assert plain(JsonText('{"kept": "as is"}')) == '{"kept": "as is"}'
    assert type(plain(JsonText("{}"))) is str
    odd = {"due": AT, "amount": Decimal("1.50")}
    assert django(odd) == json.dumps(odd, cls=DjangoJSONEncoder)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="psycopg's Jsonb wrapper is PostgreSQL's; make test-pg runs it",
)
def test_json_text_given_to_a_statement_is_sent_as_it_is():
    adapt = _json_adapter(None, text=False)  # upsert_rows' way on PostgreSQL
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::jsonb, %s::jsonb",
            [adapt(JsonText('{"a": ["None", "x\\"y"]}')), adapt({"a": ["None", 'x"y']})],
        )
        given, encoded = (
            json.loads(v) if isinstance(v, str) else v for v in cursor.fetchone()
        )  # Django reads jsonb as text
    assert given == encoded == {"a": ["None", 'x"y']}


def test_inserted_objects_get_new_ids_of_the_tables_sequence():
    """``insert_objects`` takes its ids from the table's own sequence (looked up once per
    batch on PostgreSQL): distinct, new, each on the row written with its values, and the
    next ordinary insert numbered after them."""
    before = OutboundMessage.objects.create(subject_ref="complaint:0", created_at=AT)
    rows = unsaved_many(
        OutboundMessage,
        ({"subject_ref": f"complaint:{n}", "created_at": AT} for n in range(1, 6)),
    )
    created = insert_objects(rows)
    ids = [row.pk for row in created]
    assert len(set(ids)) == 5
    assert min(ids) > before.pk
    stored = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "subject_ref"))
    assert stored == {row.pk: row.subject_ref for row in created}
    after = OutboundMessage.objects.create(subject_ref="complaint:6", created_at=AT)
    assert after.pk > max(ids)
