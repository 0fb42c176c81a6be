"""List pages and the customer 360 use a fixed number of queries, whatever the row count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/customers/", "/interactions/", "/customers/{id}/"])
def test_query_count_does_not_grow_with_rows(as_user, supervisor, url):
    client = as_user(supervisor)
    customer = CustomerFactory()
    InteractionFactory(customer=customer)
    target = url.format(id=customer.external_id)
    queries(client, target)  # warm the caches (the 360's contact-category suggestions)
    few = queries(client, target)
    for _ in range(15):
        InteractionFactory(customer=CustomerFactory())
        InteractionFactory(customer=customer)
    assert queries(client, target) == few
