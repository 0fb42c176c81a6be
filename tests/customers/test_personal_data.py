"""Personal data is masked for roles without the right; seeing it unmasked is audited."""

from __future__ import annotations

from auditlog.models import LogEntry

from tests.customers.factories import CustomerFactory


def test_agent_sees_masked_data_on_the_360_page(as_user, agent):
    customer = CustomerFactory(phone="13812345678", email="zhaomin@example.cn")
    page = as_user(agent).get(f"/customers/{customer.external_id}/").content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "zhaomin@example.cn" not in page
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_supervisor_sees_it_unmasked_and_the_view_is_logged(as_user, supervisor):
    customer = CustomerFactory(phone="13812345678")
    page = as_user(supervisor).get(f"/customers/{customer.external_id}/").content.decode()
    assert "13812345678" in page
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == supervisor
    assert entry.object_pk == str(customer.pk)


def test_api_detail_masks_for_agent_and_reveals_for_manager(as_user, agent, manager):
    customer = CustomerFactory(phone="13812345678", id_number="11010519491231002X")
    url = f"/api/v1/customers/{customer.external_id}"
    masked = as_user(agent).get(url).json()
    assert masked["phone"] == "138****5678"
    assert masked["personal_data_masked"] is True
    assert "1949" not in masked["id_number"]
    revealed = as_user(manager).get(url).json()
    assert revealed["phone"] == "13812345678"
    assert revealed["id_number"] == "11010519491231002X"
    assert revealed["personal_data_masked"] is False


def test_lists_are_masked_for_everyone(as_user, manager):
    CustomerFactory(phone="13812345678")
    items = as_user(manager).get("/api/v1/customers").json()["items"]
    assert items[0]["phone"] == "138****5678"
    page = as_user(manager).get("/customers/").content.decode()
    assert "13812345678" not in page


def test_search_by_phone_tail_name_and_id(as_user, agent):
    wanted = CustomerFactory(phone="13900005678", name="赵敏")
    CustomerFactory(phone="13900001111", name="周芷若")
    client = as_user(agent)
    for query in ("5678", "赵敏", wanted.external_id):
        items = client.get("/api/v1/customers", {"q": query}).json()["items"]
        assert [item["external_id"] for item in items] == [wanted.external_id], query
