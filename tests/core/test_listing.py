"""List pages: the first page is read before the count, which a short first page makes needless."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tests.customers.factories import CustomerFactory
from yuqi.core.listing import paginate
from yuqi.customers.models import Customer

pytestmark = pytest.mark.django_db


def _listing(query: str, per_page: int):
    request = RequestFactory().get(f"/customers/?{query}")
    return paginate(request, Customer.objects.order_by("pk"), per_page)


def test_a_short_first_page_is_one_query_and_counts_its_rows(django_assert_num_queries):
    made = [CustomerFactory().pk for _ in range(3)]
    with django_assert_num_queries(1):
        listing = _listing("q=x", 5)
        page = listing.page
        assert [c.pk for c in page.object_list] == made
        assert (page.paginator.count, page.paginator.num_pages, page.number) == (3, 1, 1)
        assert not page.has_other_pages()
    assert listing.query == "q=x"


def test_an_empty_list_is_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = _listing("page=1", 5).page
        assert list(page.object_list) == []
        assert (page.paginator.count, page.paginator.num_pages) == (0, 1)


def test_a_full_first_page_still_counts_every_row(django_assert_num_queries):
    made = [CustomerFactory().pk for _ in range(7)]
    with django_assert_num_queries(2):
        page = _listing("", 3).page
        assert [c.pk for c in page.object_list] == made[:3]
        assert (page.paginator.count, page.paginator.num_pages) == (7, 3)
        assert page.has_next()


@pytest.mark.parametrize(("number", "expected"), [("2", 2), ("9", 3), ("x", 1)])
def test_other_page_numbers_are_read_as_before(number, expected):
    made = [CustomerFactory().pk for _ in range(7)]
    listing = _listing(f"page={number}&q=y", 3)
    assert listing.page.number == expected
    assert [c.pk for c in listing.page.object_list] == made[(expected - 1) * 3 : expected * 3]
    assert listing.query == "q=y"


def _lazy_listing(query: str, per_page: int, **reads):
    made: list[int] = []

    def rows():
        made.append(1)
        return Customer.objects.order_by("pk")

    request = RequestFactory().get(f"/customers/?{query}")
    return paginate(request, rows, per_page, **reads), made


def test_rows_given_as_a_function_are_made_only_when_needed():
    pks = [CustomerFactory().pk for _ in range(7)]
    answered = {"first_page": lambda: list(Customer.objects.order_by("pk")[:3]), "count": lambda: 7}
    listing, made = _lazy_listing("", 3, **answered)
    assert made == []  # the first page and the count came another way
    assert [c.pk for c in listing.page.object_list] == pks[:3]
    assert (listing.page.paginator.count, listing.page.paginator.num_pages) == (7, 3)

    listing, made = _lazy_listing("", 3, first_page=lambda: None, count=lambda: None)
    assert made == [1]  # made once, for the first page and the count
    assert [c.pk for c in listing.page.object_list] == pks[:3]
    assert listing.page.paginator.count == 7

    listing, made = _lazy_listing("page=3", 3, **answered)
    assert made == [1]  # another page reads the rows themselves
    assert [c.pk for c in listing.page.object_list] == pks[6:]
