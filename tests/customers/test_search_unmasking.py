"""Search cannot unmask a phone, ID number or e-mail for roles that see them masked (review F-2).

The review's attack: the agent sees ``178****0516``; searching ``<d>0516`` for d = 0…9 finds the
customer for one d, which is the next hidden digit, and so on: 24 requests for the whole number.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.customers.factories import CustomerFactory

PHONE = "17836650516"
TAIL = PHONE[-4:]


@pytest.fixture(autouse=True)
def fresh_search_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def target(db):
    # Decoys share the tail, so a 4-digit search alone does not single the target out.
    CustomerFactory(phone="13912340516")
    CustomerFactory(phone="18600000516")
    return CustomerFactory(
        phone=PHONE, email="jiang.wei@example.cn", id_number="11010519880506123X"
    )


def api_search(client, q: str) -> list[str]:
    response = client.get("/api/v1/customers", {"q": q})
    assert response.status_code == 200, response.content
    return [item["external_id"] for item in response.json()["items"]]


def page_search(client, q: str, external_id: str) -> bool:
    response = client.get("/customers/", {"q": q})
    assert response.status_code == 200
    return f"/customers/{external_id}/" in response.content.decode()


def digit_by_digit(found) -> str:
    """Replays the attack: extend the known tail one digit to the left while a search hits."""
    known = TAIL
    while len(known) < len(PHONE):
        hits = [d for d in "0123456789" if found(d + known)]
        if len(hits) != 1:
            break
        known = hits[0] + known
    return known


@pytest.mark.parametrize("role", ["agent", "analyst"])
def test_the_digit_by_digit_attack_learns_nothing_beyond_the_last_4_digits(
    request, as_user, target, role
):
    client = as_user(request.getfixturevalue(role))
    learned = digit_by_digit(lambda q: target.external_id in api_search(client, q))
    assert learned == TAIL


def test_the_attack_fails_on_the_customers_page_too(as_user, agent, target):
    client = as_user(agent)
    learned = digit_by_digit(lambda q: page_search(client, q, target.external_id))
    assert learned == TAIL


def test_no_prefix_or_middle_of_the_number_matches(as_user, agent, target):
    client = as_user(agent)
    for q in (PHONE[:7], PHONE[:10], PHONE[1:], PHONE[3:7], PHONE[2:]):
        assert api_search(client, q) == [], q


def test_the_last_4_digits_and_the_whole_number_still_find_the_caller(as_user, agent, target):
    client = as_user(agent)
    assert target.external_id in api_search(client, TAIL)
    assert api_search(client, PHONE) == [target.external_id]
    assert api_search(client, "+86 178-3665-0516") == [target.external_id]


def test_id_number_and_email_match_only_whole(as_user, agent, target):
    client = as_user(agent)
    assert api_search(client, "11010519880506123x") == [target.external_id]
    assert api_search(client, "JIANG.WEI@example.cn") == [target.external_id]
    for q in ("11010519880506123", "110105198805061", "jiang.wei@example.c", "jiang.wei@"):
        assert api_search(client, q) == [], q


def test_a_role_that_sees_numbers_may_still_search_by_a_longer_tail(as_user, supervisor, target):
    assert api_search(as_user(supervisor), PHONE[-7:]) == [target.external_id]


@pytest.mark.django_db
def test_whole_number_look_ups_are_limited_per_hour(as_user, agent, target, settings):
    settings.YUQI_PERSONAL_SEARCH_PER_HOUR = 3
    client = as_user(agent)
    for _ in range(3):
        assert api_search(client, PHONE) == [target.external_id]
    refused = client.get("/api/v1/customers", {"q": PHONE})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_requests"
    page = client.get("/customers/", {"q": PHONE}).content.decode()
    assert f"/customers/{target.external_id}/" not in page
    assert 'role="alert"' in page
    # names, customer ids and the tail are not counted and still work
    assert target.external_id in api_search(client, TAIL)
    assert api_search(client, target.external_id) == [target.external_id]


def test_the_ceiling_does_not_apply_to_roles_that_see_numbers(
    as_user, supervisor, target, settings
):
    settings.YUQI_PERSONAL_SEARCH_PER_HOUR = 1
    client = as_user(supervisor)
    for _ in range(3):
        assert api_search(client, PHONE) == [target.external_id]
