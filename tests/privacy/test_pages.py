"""The privacy officer's pages (manager role), in Chinese; other roles are refused."""

from __future__ import annotations

import pytest

from tests.conftest import signed_in_client
from tests.customers.factories import CustomerFactory
from yuqi.customers.models import Customer
from yuqi.privacy.models import PrivacyRequest, RequestStatus

pytestmark = pytest.mark.django_db

PAGES = ["/privacy/", "/privacy/consent/", "/privacy/activities/"]


@pytest.mark.parametrize("url", PAGES)
def test_agents_and_analysts_are_refused(agent, analyst, url):
    for user in (agent, analyst):
        assert signed_in_client(user).get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_the_manager_sees_each_page_in_chinese(manager, url):
    page = signed_in_client(manager).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    for english in ("Personal-information requests", "Consent ledger", "Processing activities"):
        assert english not in html


def test_log_check_export_and_erase_with_confirmation(manager):
    customer = CustomerFactory(name="赵敏", phone="13812345678")
    client = signed_in_client(manager)
    page = client.post(
        "/privacy/",
        {"customer": customer.external_id, "kind": "deletion", "channel": "电话", "details": ""},
    )
    request = PrivacyRequest.objects.get()
    assert page.status_code == 302
    assert page["Location"] == f"/privacy/{request.pk}/"
    detail = client.get(f"/privacy/{request.pk}/").content.decode()
    assert request.due_on.isoformat() in detail

    # nothing before the identity check
    assert client.post(f"/privacy/{request.pk}/export/", {"format": "json"}).status_code == 302
    client.post(f"/privacy/{request.pk}/identity/", {"method": "id_card", "note": "柜台核验"})
    request.refresh_from_db()
    assert request.identity_checked_by == manager
    assert request.status == RequestStatus.VERIFIED

    export = client.post(f"/privacy/{request.pk}/export/", {"format": "json"})
    assert export["Content-Disposition"].endswith('.json"')
    assert "赵敏" in export.content.decode()
    xlsx = client.post(f"/privacy/{request.pk}/export/", {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"

    # a wrong confirmation erases nothing
    client.post(f"/privacy/{request.pk}/erase/", {"reason": "本人申请", "confirm": "C-WRONG"})
    assert Customer.objects.get(pk=customer.pk).name == "赵敏"
    client.post(
        f"/privacy/{request.pk}/erase/", {"reason": "本人申请", "confirm": customer.external_id}
    )
    assert Customer.objects.get(pk=customer.pk).phone == ""
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    page = client.get(f"/privacy/{request.pk}/").content.decode()
    assert "赵敏" not in page
    assert 'data-testid="privacy-erased"' in page


def test_a_supervisor_cannot_erase(supervisor, manager):
    customer = CustomerFactory()
    request = PrivacyRequest.objects.create(
        kind="deletion",
        customer_id=customer.pk,
        customer_ref=customer.external_id,
        received_at="2026-03-02T01:00:00Z",
        due_on="2026-03-23",
        identity_method="id_card",
        status="verified",
    )
    answer = signed_in_client(supervisor).post(
        f"/privacy/{request.pk}/erase/", {"reason": "x", "confirm": customer.external_id}
    )
    assert answer.status_code == 403


def test_consent_page_records_and_shows_the_ledger(manager):
    customer = CustomerFactory()
    client = signed_in_client(manager)
    client.post(
        "/privacy/consent/",
        {"customer": customer.external_id, "purpose": "marketing", "given": "1", "source": "paper"},
    )
    page = client.get(f"/privacy/consent/?customer={customer.external_id}").content.decode()
    assert 'data-testid="consent-states"' in page


def test_processing_activities_download_is_formula_safe(manager):
    answer = signed_in_client(manager).get("/privacy/activities/?format=csv")
    assert answer.status_code == 200
    assert "complaint" in answer.content.decode(
        "utf-8-sig"
    ).lower() or "投诉" in answer.content.decode("utf-8-sig")
