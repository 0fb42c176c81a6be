"""The screen pop (issue 14): the caller's number → the customer 360, a choice, or an offer
to create the customer; masked for roles that see phone numbers masked."""

from __future__ import annotations

import pytest

from tests.customers.factories import CustomerFactory
from yuqi.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_the_agent_home_has_the_phone_box(agent, as_user):
    page = as_user(agent).get("/").content.decode()
    assert "来电弹屏" in page
    assert 'action="/customers/lookup/"' in page


def test_one_match_opens_the_360_whatever_the_writing_of_the_number(agent, as_user):
    customer = CustomerFactory(phone="13812345678", phone_tail="5678")
    for written in ("13812345678", "+86 138-1234-5678", "0086 138 1234 5678", "(138) 1234 5678"):
        response = as_user(agent).get("/customers/lookup/", {"phone": written})
        assert response.status_code == 302, written
        assert response.url == f"/customers/{customer.external_id}/"


def test_the_cti_link_without_a_trailing_slash_works(agent, as_user):
    customer = CustomerFactory(phone="13812345678", phone_tail="5678")
    response = as_user(agent).get("/customers/lookup?phone=13812345678")
    assert response.status_code == 302
    assert response.url == f"/customers/{customer.external_id}/"


def test_several_matches_are_listed_masked_for_the_agent(agent, as_user):
    a = CustomerFactory(name="赵敏", phone="13812345678", phone_tail="5678")
    b = CustomerFactory(name="赵敏敏", phone="13812345678", phone_tail="5678")
    page = as_user(agent).get("/customers/lookup/", {"phone": "13812345678"}).content.decode()
    assert "请选择" in page
    assert a.external_id in page
    assert b.external_id in page
    results = page.split('class="card lookup-results"')[1]
    assert "138****5678" in results
    assert "13812345678" not in results


def test_no_match_offers_to_create_the_customer_and_creating_opens_the_360(agent, as_user):
    client = as_user(agent)
    page = client.get("/customers/lookup/", {"phone": "13900001111"}).content.decode()
    assert "没有客户使用号码 139****1111" in page
    assert "/customers/new/?phone=13900001111" in page
    form = client.get("/customers/new/?phone=13900001111").content.decode()
    assert 'value="13900001111"' in form
    response = client.post("/customers/new/", {"name": "钱多多", "phone": "13900001111"})
    created = Customer.objects.get(name="钱多多")
    assert response.status_code == 302
    assert response.url == f"/customers/{created.external_id}/"
    assert created.phone == "13900001111"
    assert created.external_id.startswith("N")
    lookup = client.get("/customers/lookup/", {"phone": "139 0000 1111"})
    assert lookup.url == f"/customers/{created.external_id}/"


def test_an_analyst_is_not_offered_to_create_a_customer(analyst, as_user):
    page = as_user(analyst).get("/customers/lookup/", {"phone": "13900001111"}).content.decode()
    assert "/customers/new/" not in page
    assert (
        as_user(analyst).post("/customers/new/", {"name": "x", "phone": "13900001111"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    "phone",
    ["12345", "abc", "138123456789999", "1" * 41, "<script>alert(1)</script>", "+1 415 555 0100"],
)
def test_a_bad_number_is_refused_with_a_message(agent, as_user, phone):
    response = as_user(agent).get("/customers/lookup/", {"phone": phone})
    assert response.status_code == 400
    page = response.content.decode()
    assert "这不是有效的中国大陆电话号码" in page
    assert "<script>alert(1)</script>" not in page


def test_bad_input_creating_a_customer_is_refused(agent, as_user):
    response = as_user(agent).post("/customers/new/", {"name": "钱多多", "phone": "12345"})
    assert response.status_code == 400
    assert not Customer.objects.filter(name="钱多多").exists()


def test_whole_number_lookups_count_against_the_hourly_allowance(agent, as_user, settings):
    from django.core.cache import cache

    cache.clear()
    settings.YUQI_PERSONAL_SEARCH_PER_HOUR = 2
    client = as_user(agent)
    codes = [
        client.get("/customers/lookup/", {"phone": f"1390000111{i}"}).status_code for i in range(3)
    ]
    assert codes == [200, 200, 429]
    cache.clear()
