"""Keyset pagination (baesang.core.paging): walking a list page by page returns every row once, in
order, forwards and backwards, also when rows are added between two page loads; a cursor that
the list did not make is refused as bad input; the page size is bounded."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baesang.core.errors import InputError
from baesang.core.paging import PAGE_MAX, InvalidCursor, cursor_encode, keyset_page, page_limit
from baesang.donations.models import Donor

pytestmark = pytest.mark.django_db

ORDERS = [("name", "pk"), ("-name", "pk"), ("country", "-name", "-pk"), ("-pk",)]
names = st.text(alphabet="가나다abc", min_size=1, max_size=3)


_numbers = itertools.count(1_000_000_000)


def _make(rows: list[tuple[str, str]]) -> list[Donor]:
    """Donors with these (name, country), equal names allowed (each has its own registration number)."""
    return Donor.objects.bulk_create(
        [Donor(name=name, kind="company", country=country, brn=str(next(_numbers))) for name, country in rows])


def _expected(order: tuple[str, ...]) -> list[int]:
    return list(Donor.objects.order_by(*order).values_list("pk", flat=True))


def _walk(order, limit, *, between=None) -> list[int]:
    seen, after, loads = [], None, 0
    while True:
        page = keyset_page(Donor.objects.all(), name="donors", order=order, after=after, limit=limit)
        assert len(page.items) <= limit
        assert page.first_position == len(seen) + 1
        seen += [d.pk for d in page.items]
        loads += 1
        if between is not None:
            between(loads)
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(names, st.sampled_from(["KR", "JP"])), max_size=40),
       order=st.sampled_from(ORDERS), limit=st.integers(min_value=1, max_value=12))
def test_walking_all_pages_returns_every_row_once_in_order(rows, order, limit):
    Donor.objects.all().delete()
    _make(rows)
    assert _walk(order, limit) == _expected(order)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(names, st.just("KR")), min_size=1, max_size=30),
       added=st.lists(st.tuples(names, st.just("KR")), min_size=1, max_size=10),
       order=st.sampled_from(ORDERS), limit=st.integers(min_value=1, max_value=8))
def test_rows_added_between_page_loads_do_not_make_the_walk_skip_or_repeat(rows, added, order, limit):
    Donor.objects.all().delete()
    before = {d.pk for d in _make(rows)}
    pending = list(added)

    def add_one(_loads):
        if pending:
            _make([pending.pop()])

    seen = _walk(order, limit, between=add_one)
    assert len(seen) == len(set(seen))  # nothing twice
    assert before <= set(seen)  # every row that was there all along
    assert seen == [pk for pk in _expected(order) if pk in set(seen)]  # in the list's order


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(names, st.just("KR")), min_size=1, max_size=30),
       order=st.sampled_from(ORDERS), limit=st.integers(min_value=1, max_value=8))
def test_walking_back_with_previous_cursors_returns_the_same_pages(rows, order, limit):
    Donor.objects.all().delete()
    _make(rows)
    pages, after = [], None
    while True:
        page = keyset_page(Donor.objects.all(), name="donors", order=order, after=after, limit=limit)
        pages.append(page)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    for later, earlier in zip(pages[::-1], pages[-2::-1], strict=False):
        back = keyset_page(Donor.objects.all(), name="donors", order=order, before=later.previous_cursor, limit=limit)
        assert [d.pk for d in back.items] == [d.pk for d in earlier.items]
        assert back.first_position == earlier.first_position
    assert pages[0].previous_cursor is None


def test_keep_filters_in_python_and_still_fills_the_page():
    _make([(f"d{i:03}", "KR") for i in range(100)])
    odd = keyset_page(Donor.objects.all(), name="odd", order=("pk",), limit=10, chunk=7,
                      keep=lambda rows: [(d, d) for d in rows if d.pk % 2])
    assert len(odd.items) == 10 and all(d.pk % 2 for d in odd.items)
    rest = keyset_page(Donor.objects.all(), name="odd", order=("pk",), limit=10, chunk=7, after=odd.next_cursor,
                       keep=lambda rows: [(d, d) for d in rows if d.pk % 2])
    assert rest.items[0].pk > odd.items[-1].pk and rest.first_position == 11


@pytest.mark.parametrize("cursor", ["abc", "", "W1sxXSwxXQ:1v0000:forged", "1234"])
def test_a_forged_or_edited_cursor_is_bad_input(cursor):
    _make([("a", "KR")])
    with pytest.raises(InvalidCursor) as refused:
        keyset_page(Donor.objects.all(), name="donors", order=("pk",), after=cursor or "x", limit=5)
    assert refused.value.http_status == 400 and refused.value.field == "cursor"


def test_a_cursor_of_another_list_or_order_is_refused():
    donor = _make([("a", "KR")])[0]
    foreign = cursor_encode(name="persons", order=("pk",), key=[donor.pk], position=1)
    with pytest.raises(InvalidCursor):
        keyset_page(Donor.objects.all(), name="donors", order=("pk",), after=foreign)
    other_order = cursor_encode(name="donors", order=("-pk",), key=[donor.pk], position=1)
    with pytest.raises(InvalidCursor):
        keyset_page(Donor.objects.all(), name="donors", order=("pk",), after=other_order)
    edited = cursor_encode(name="donors", order=("pk",), key=[donor.pk], position=1)
    with pytest.raises(InvalidCursor):
        keyset_page(Donor.objects.all(), name="donors", order=("pk",), after=edited[:-2] + "xx")


def test_page_size_is_bounded():
    assert page_limit(None) == 100 and page_limit("25") == 25 and page_limit(PAGE_MAX) == PAGE_MAX
    for bad in (0, -1, PAGE_MAX + 1, "ten"):
        with pytest.raises(InputError):
            page_limit(bad)
