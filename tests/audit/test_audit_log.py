from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps

from yuqi.accounts.models import ApiKey
from yuqi.accounts.services import apikey_create

# Records that are bookkeeping or derived, not business: the scheduler's state, worker
# heartbeats, and monthly segment snapshots recomputed from customers and contacts.
NOT_BUSINESS_RECORDS = {
    "core.periodicjobstate",
    # calendars: the token that changes with every calendar row written (the rows are audited)
    "calendars.calendarsversion",
    # accounts: the token that changes with every group, permission or membership written
    "accounts.accessversion",
    "core.workerheartbeat",
    "operations.segmentsnapshot",
    # knowledge: the search index (derived from published versions) and the use and search
    # logs, which are themselves logs of who did what
    "knowledge.searchdocument",
    "knowledge.searchposting",
    "knowledge.articleuse",
    "knowledge.searchlog",
    # improvement: an action's own history and its before/after checks, append-only records
    # with their author and time (the action, its links and tasks are audited)
    "improvement.actionevent",
    "improvement.effectcheck",
    # mailbox: the intake job's own log of runs, messages read and attachments kept
    "mailbox.mailboxrun",
    "mailbox.inboundmail",
    "mailbox.inboundattachment",
    # channels: one-time codes (hashes that must not be copied into a log) and the files a
    # customer attached, written once with their submission (which is audited)
    "channels.verificationcode",
    "channels.attachment",
    # channels: a notice's frozen recipient list, the sending job's bookkeeping (the notice,
    # its sender and override are audited; each message is audited in the message log)
    "channels.noticerecipient",
    # interactions: the KPI rollups, sums derived from the contacts (which are audited) and
    # rebuilt by the worker, with their to-do list of days and the time of the last refresh
    "interactions.contactrollup",
    "interactions.contactdayrollup",
    "interactions.contactagentday",
    "interactions.contactagentslot",
    "interactions.rollupday",
    "interactions.rollupstate",
    # workforce: the agent-time rollup, sums derived from the agent states (which are
    # audited) and rebuilt by the worker, with its to-do days and last refresh
    "workforce.agenttimeslot",
    "workforce.agenttimeday",
    "workforce.agenttimestate",
    # workforce: the data version of what adherence reads, a counter the cached adherence
    # report is keyed by (moved on by every write of the audited inputs)
    "workforce.workforceversion",
    # operations: the data version of the segment snapshots, a counter the cached pyramid and
    # retention figures are keyed by (moved on by every write of the snapshots)
    "operations.snapshotversion",
    # operations: the pyramid's service by segment and tier per period, counts derived from
    # the contacts and customers (which are audited) and refreshed by the worker
    "operations.segmentserviceresult",
    # operations: the scorecard's readings of the default month, derived from every
    # measure's sources (audited where they are business records) and refreshed by the worker
    "operations.scorecardresult",
    # workforce: the roster adherence of running periods, derived from the roster and agent
    # states (which are audited) and refreshed by the worker
    "workforce.adherenceresult",
    # surveys: the data version of the surveys' answers, a counter the cached survey
    # headlines are keyed by (moved on by every write of the surveys and their answers)
    "surveys.surveydataversion",
    # complaints: the data version of the complaint configuration (levels, categories, root
    # causes, SLA policies, playbooks), a counter the configuration kept per process is keyed
    # by (moved on by every write of those audited models)
    "complaints.complaintconfigversion",
}


def test_every_business_model_is_audited():
    unaudited = [
        model._meta.label_lower
        for app in apps.get_app_configs()
        if app.name.startswith("yuqi.")
        for model in app.get_models()
        if model._meta.label_lower not in NOT_BUSINESS_RECORDS and not auditlog.contains(model)
    ]
    assert unaudited == []


def test_a_change_names_the_actor_the_fields_and_the_request(as_user, admin_user, manager):
    key, _plaintext = apikey_create(user=manager, name="CRM", created_by=admin_user)
    response = as_user(admin_user).post(
        f"/api/v1/api-keys/{key.pk}/revoke", headers={"X-Request-ID": "req-0000abcd"}
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(key).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin_user
    assert entry.cid == "req-0000abcd"
    assert set(entry.changes) == {"revoked_at", "revoked_by"}
    old, new = entry.changes["revoked_at"]
    assert old == "None"
    assert new != "None"


def test_secrets_and_passwords_never_reach_the_log(db, admin_user, manager):
    apikey_create(user=manager, name="CRM", created_by=admin_user)
    manager.set_password("another-long-password-9")
    manager.save()
    for entry in LogEntry.objects.all():
        assert "key_hash" not in (entry.changes or {})
        assert "password" not in (entry.changes or {})


def test_managers_read_and_filter_the_log_in_the_ui(as_user, admin_user, manager):
    apikey_create(user=manager, name="CRM", created_by=admin_user)
    client = as_user(manager)
    page = client.get("/audit/?model=accounts.apikey&action=create")
    assert page.status_code == 200
    assert "CRM" in page.content.decode()
    none = client.get("/audit/?model=accounts.apikey&action=delete")
    assert "CRM (" not in none.content.decode()
    partial = client.get("/audit/?action=create", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content


def test_the_api_filters_by_actor_and_request(as_user, admin_user, manager):
    key, _plaintext = apikey_create(user=manager, name="CRM", created_by=admin_user)
    as_user(admin_user).post(
        f"/api/v1/api-keys/{key.pk}/revoke", headers={"X-Request-ID": "req-1111abcd"}
    )
    body = as_user(manager).get("/api/v1/audit/entries?request_id=req-1111abcd").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["actor"] == "liuyang"
    assert item["model"] == "accounts.apikey"
    assert item["action"] == "update"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_can_change_the_log_through_the_api(as_user, admin_user, method):
    response = getattr(as_user(admin_user), method)("/api/v1/audit/entries")
    assert response.status_code == 405


def test_nobody_can_edit_the_log_in_the_admin(as_user, admin_user, manager):
    apikey_create(user=manager, name="CRM", created_by=admin_user)
    entry = LogEntry.objects.filter(content_type__model="apikey").first()
    client = as_user(admin_user)
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {"object_repr": "x"})
    entry.refresh_from_db()
    assert entry.object_repr != "x"
    assert response.status_code in (302, 403)
    assert ApiKey.objects.filter(name="CRM").exists()


def test_a_change_through_an_api_key_names_the_keys_user(db, admin_user, manager):
    from django.test import Client

    _admin_key, admin_plaintext = apikey_create(user=admin_user, name="ops", created_by=admin_user)
    target, _plaintext = apikey_create(user=manager, name="CRM", created_by=admin_user)
    response = Client().post(
        f"/api/v1/api-keys/{target.pk}/revoke",
        headers={"Authorization": f"Bearer {admin_plaintext}"},
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin_user
