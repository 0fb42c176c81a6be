"""The privacy REST API: the privacy officer's whole path (log, check, export, erase) by API
key, the roles that are refused before their body is read, and hostile input."""

from __future__ import annotations

import io
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from openpyxl import load_workbook

from tests.accounts.factories import UserFactory
from tests.core.api_checks import refused
from tests.customers.factories import CustomerFactory
from yuqi.accounts.services import apikey_create
from yuqi.customers.models import Customer
from yuqi.privacy.api import WebMethod
from yuqi.privacy.models import Erasure, IdentityMethod, PrivacyRequest, RequestStatus

pytestmark = pytest.mark.django_db

BASE = "/api/v1/privacy/requests"


class Api:
    """A client calling the API with a user's key (as an integration would)."""

    def __init__(self, user, admin):
        _row, self.key = apikey_create(user=user, name=f"key-{user.username}", created_by=admin)
        self.client = Client()

    def _headers(self):
        return {"Authorization": f"Bearer {self.key}"}

    def get(self, path):
        return self.client.get(path, headers=self._headers())

    def post(self, path, body=None, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(
            path, data=data, content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def officer(manager, admin_user):
    return Api(manager, admin_user)


def test_the_web_methods_are_the_identity_methods_but_the_operators():
    assert set(WebMethod.__args__) == set(IdentityMethod.values) - {IdentityMethod.OPERATOR}


def test_log_check_export_and_erase_by_api_key_each_step_audited(officer, manager):
    customer = CustomerFactory(name="赵敏", phone="13812345678", email="zhaomin@example.cn")
    created = officer.post(
        BASE,
        {
            "customer": customer.external_id,
            "kind": "access",
            "channel": "电话",
            "details": "要副本",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["customer"], body["number"]) == (
        "received",
        customer.external_id,
        f"PI-{body['id']:05d}",
    )
    pk = body["id"]
    # nothing leaves before the identity check
    refused(officer.post(f"{BASE}/{pk}/export", {}), 409)
    checked = officer.post(f"{BASE}/{pk}/identity", {"method": "id_card", "note": "柜台核验"})
    assert checked.status_code == 200
    assert checked.json()["status"] == "verified"

    export = officer.post(f"{BASE}/{pk}/export", {"format": "json"})
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment;")
    assert "no-store" in export["Cache-Control"]
    data = json.loads(export.content)
    assert data["customer"] == customer.external_id
    assert "赵敏" in json.dumps(data["sources"]["customers"], ensure_ascii=False)
    workbook = officer.post(f"{BASE}/{pk}/export", {"format": "xlsx"})
    assert workbook.status_code == 200
    assert load_workbook(io.BytesIO(workbook.content)).sheetnames
    shown = officer.get(f"{BASE}/{pk}").json()
    assert (shown["status"], shown["export_count"]) == ("done", 2)
    assert shown["personal_data_masked"] is False

    deletion = officer.post(BASE, {"customer": customer.external_id, "kind": "deletion"}).json()
    officer.post(f"{BASE}/{deletion['id']}/identity", {"method": "callback"})
    erased = officer.post(
        f"{BASE}/{deletion['id']}/erasure",
        {"reason": "客户来电要求删除", "confirm": customer.external_id},
    )
    assert erased.status_code == 200, erased.content
    assert erased.json()["request"]["status"] == "done"
    assert erased.json()["rows"]["customers"] == 1
    customer.refresh_from_db()
    assert customer.phone == ""
    assert "赵敏" not in customer.name
    # a second erasure is refused
    refused(
        officer.post(
            f"{BASE}/{deletion['id']}/erasure",
            {"reason": "again", "confirm": customer.external_id},
        ),
        409,
    )
    # every change of the requests is in the audit log, with the key's user as actor
    entries = LogEntry.objects.filter(
        content_type__app_label="privacy", content_type__model="privacyrequest"
    )
    assert entries.filter(object_id=str(pk)).count() >= 3  # created, checked, exported
    assert set(entries.values_list("actor", flat=True)) == {manager.pk}


def test_the_excel_export_by_api_never_holds_a_live_formula(officer):
    customer = CustomerFactory(name='=HYPERLINK("http://x.invalid","点我")', email="@SUM(A1)")
    pk = officer.post(BASE, {"customer": customer.external_id, "kind": "access"}).json()["id"]
    officer.post(f"{BASE}/{pk}/identity", {"method": "id_card"})
    answer = officer.post(f"{BASE}/{pk}/export", {"format": "xlsx"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert any("HYPERLINK" in str(cell.value) for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)


def test_lists_filter_by_status_kind_customer_and_overdue(officer):
    one, other = CustomerFactory(), CustomerFactory()
    first = officer.post(BASE, {"customer": one.external_id, "kind": "access"}).json()
    officer.post(BASE, {"customer": other.external_id, "kind": "deletion"})
    PrivacyRequest.objects.filter(pk=first["id"]).update(due_on="2020-01-02")

    def refs(query):
        answer = officer.get(f"{BASE}?{query}")
        assert answer.status_code == 200, answer.content
        return [row["customer"] for row in answer.json()["items"]]

    assert sorted(refs("")) == sorted([one.external_id, other.external_id])
    assert refs(f"customer={other.external_id}") == [other.external_id]
    assert refs("kind=access") == [one.external_id]
    assert refs("overdue=true") == [one.external_id]
    assert len(refs("status=open")) == 2
    assert refs("status=done") == []
    assert officer.get(f"{BASE}?limit=1").json()["count"] == 2


@pytest.mark.parametrize("role", ["agent", "supervisor", "analyst"])
def test_other_roles_get_403_before_their_body_is_read(role, admin_user):
    user = UserFactory(roles=[role])
    api = Api(user, admin_user)
    request = PrivacyRequest.objects.create(
        kind="deletion",
        customer_id=CustomerFactory().pk,
        customer_ref="C-1",
        received_at="2026-11-02T10:00:00+08:00",
        due_on="2026-11-23",
    )
    for path in (BASE, f"{BASE}/{request.pk}"):
        refused(api.get(path), 403)
    for path in (
        BASE,
        f"{BASE}/{request.pk}/identity",
        f"{BASE}/{request.pk}/export",
        f"{BASE}/{request.pk}/erasure",
    ):
        for raw in ("{not json", "[]", json.dumps({"kind": 5, "details": "x" * 100_000})):
            refused(api.post(path, raw=raw), 403)
    refused(api.get(f"{BASE}/not-a-number"), 403)
    assert PrivacyRequest.objects.count() == 1
    assert not Erasure.objects.exists()


def test_hostile_input_is_refused_with_the_error_shape(officer):
    customer = CustomerFactory()
    for body in (
        {"customer": customer.external_id, "kind": "access", "details": "x" * 2001},
        {"customer": "x" * 65, "kind": "access"},
        {"customer": customer.external_id, "kind": "everything"},
        {"customer": customer.external_id, "kind": 5},
        {"customer": ["a"], "kind": "access"},
        {"customer": customer.external_id, "kind": "access", "channel": "c" * 41},
        {"customer": "C\x00-1", "kind": "access"},
        {"customer": "NOBODY", "kind": "access"},
        {"kind": "access"},
    ):
        refused(officer.post(BASE, body))
    refused(officer.post(BASE, raw="{not json"), 400)
    assert not PrivacyRequest.objects.exists()

    pk = officer.post(BASE, {"customer": customer.external_id, "kind": "deletion"}).json()["id"]
    for body in (
        {"method": "operator"},  # the command line's own method
        {"method": "id_card", "note": "n" * 201},
        {"method": True},
    ):
        refused(officer.post(f"{BASE}/{pk}/identity", body))
    refused(officer.post(f"{BASE}/{pk}/export", {"format": "csv"}))
    refused(officer.get(f"{BASE}/0"))
    refused(officer.get(f"{BASE}/{2**64}"))
    refused(officer.get(f"{BASE}/999999"), 404)
    refused(officer.get(f"{BASE}?status=anything"))
    refused(officer.get(f"{BASE}?customer={'x' * 65}"))


def test_an_erasure_confirmed_with_another_customers_id_erases_nobody(officer):
    customer = CustomerFactory(name="赵敏")
    other = CustomerFactory(name="钱多多")
    pk = officer.post(BASE, {"customer": customer.external_id, "kind": "deletion"}).json()["id"]
    officer.post(f"{BASE}/{pk}/identity", {"method": "id_copy"})
    for confirm in (other.external_id, "", "x" * 65):
        refused(officer.post(f"{BASE}/{pk}/erasure", {"reason": "删除", "confirm": confirm}))
    refused(
        officer.post(f"{BASE}/{pk}/erasure", {"reason": "r" * 501, "confirm": customer.external_id})
    )
    refused(officer.post(f"{BASE}/{pk}/erasure", {"reason": "", "confirm": customer.external_id}))
    assert not Erasure.objects.exists()
    assert set(Customer.objects.values_list("name", flat=True)) == {"赵敏", "钱多多"}
    # an access request cannot erase, whichever customer it names
    access = officer.post(BASE, {"customer": other.external_id, "kind": "access"}).json()["id"]
    officer.post(f"{BASE}/{access}/identity", {"method": "id_card"})
    refused(
        officer.post(f"{BASE}/{access}/erasure", {"reason": "删除", "confirm": other.external_id}),
        409,
    )
    assert not Erasure.objects.exists()


def test_a_caller_without_personal_data_sees_the_texts_masked_and_cannot_export(
    admin_user, manager
):
    clerk = UserFactory(username="privacy-clerk")
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="privacy",
            codename__in=["view_privacyrequest", "add_privacyrequest", "change_privacyrequest"],
        )
    )
    api = Api(clerk, admin_user)
    customer = CustomerFactory()
    created = api.post(
        BASE,
        {"customer": customer.external_id, "kind": "access", "details": "请回电 13812345678"},
    )
    assert created.status_code == 201, created.content
    assert "13812345678" not in created.content.decode()
    shown = api.get(f"{BASE}/{created.json()['id']}").json()
    assert shown["personal_data_masked"] is True
    assert "5678" in shown["details"]
    assert "13812345678" not in shown["details"]
    listed = api.get(BASE).json()["items"]
    assert "13812345678" not in json.dumps(listed)
    api.post(f"{BASE}/{shown['id']}/identity", {"method": "id_card"})
    refused(api.post(f"{BASE}/{shown['id']}/export", {}), 403)
    assert PrivacyRequest.objects.get().status == RequestStatus.VERIFIED
    # the privacy officer sees the text as written
    full = Api(manager, admin_user).get(f"{BASE}/{shown['id']}").json()
    assert full["details"] == "请回电 13812345678"


def test_the_api_is_in_the_published_document():
    from yuqi.config.api import api

    paths = api.get_openapi_schema(path_prefix="/api")["paths"]
    assert {
        "/api/v1/privacy/requests",
        "/api/v1/privacy/requests/{pk}",
        "/api/v1/privacy/requests/{pk}/identity",
        "/api/v1/privacy/requests/{pk}/export",
        "/api/v1/privacy/requests/{pk}/erasure",
    } <= set(paths)
    create = paths["/api/v1/privacy/requests"]["post"]
    assert {"401", "403", "409", "413", "422"} <= set(create["responses"])
