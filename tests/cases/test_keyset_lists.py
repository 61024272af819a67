"""The waiting list and the claims list read a page at a time (keyset): walking the pages gives
the whole list of ``claims_waiting`` / ``claims_list`` — same rows, same order, same ranks —
forwards and backwards, for both waiting policies and any page size."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from casework_support import accept_all
from django.db import connection
from django.utils import timezone

from baesang.cases import selectors
from baesang.cases.models import FiguresCache
from baesang.cases.selectors import (
    WAITING_PAGE_PREFIX,
    claims_list,
    claims_page,
    claims_waiting,
    waiting_page,
    waiting_page_kept,
)
from baesang.core.paging import InvalidCursor
from baesang.judgments.orders import rounding_policy

AS_OF = date(2023, 3, 6)


@pytest.fixture
def claims(world):
    made = []
    for i in range(9):
        dead = i % 3 == 0
        victim = world.person(f"피해자{i}", birth_date=date(1920 + (i * 7) % 13, 1, 1),
                              death_date=date(2015, 1, 1) if dead else None)
        heirs = {world.person(f"상속인{i}"): Fraction(1)} if dead else None
        made.append(world.claim(victim, heirs=heirs))
    accept_all(world, made[4])
    return made


def _walk(read, limit):
    rows, cursor, pages = [], None, []
    while True:
        page = read(cursor=cursor, limit=limit)
        pages.append(page)
        rows += page.items
        if page.next_cursor is None:
            return rows, pages
        cursor = page.next_cursor


@pytest.mark.django_db
@pytest.mark.parametrize("policy", ["earliest_final", "oldest_living"])
@pytest.mark.parametrize("limit", [1, 2, 4, 100])
def test_waiting_pages_walk_the_whole_waiting_list_with_its_ranks(claims, policy, limit):
    rounding = rounding_policy()
    whole = [row.as_json(rounding) for row in claims_waiting(as_of=AS_OF, policy=policy).claims]
    assert len(whole) == 9

    def read(**page):
        return waiting_page(as_of=AS_OF, policy=policy, **page)

    rows, pages = _walk(read, limit)
    assert [row.as_json(rounding) for row in rows] == whole  # ranks 1..9 included
    for later, earlier in zip(pages[::-1], pages[-2::-1], strict=False):
        back = waiting_page(as_of=AS_OF, policy=policy, before=later.previous_cursor, limit=limit)
        assert [r.as_json(rounding) for r in back.items] == [r.as_json(rounding) for r in earlier.items]


@pytest.mark.django_db
@pytest.mark.parametrize("state", [None, "accepted", "registered"])
@pytest.mark.parametrize("today", [False, True])
def test_claims_pages_walk_the_whole_claims_list(claims, state, today):
    as_of = timezone.localdate() if today else AS_OF  # today: the recorded state narrows the claims read
    whole = claims_list(as_of=as_of, state=state)
    rows, _pages = _walk(lambda **page: claims_page(as_of=as_of, state=state, **page), 2)
    assert [row["id"] for row in rows] == [row["id"] for row in whole]  # one judgment: by plaintiff number
    assert rows == whole
    if today:  # one claim's holders accepted (the fixture, dated today)
        assert len(rows) == (9 if state is None else 1 if state == "accepted" else 8)


@pytest.mark.django_db
def test_a_cursor_is_bound_to_its_day_and_policy(claims):
    page = waiting_page(as_of=AS_OF, limit=2)
    with pytest.raises(InvalidCursor):
        waiting_page(as_of=date(2023, 3, 7), cursor=page.next_cursor, limit=2)
    with pytest.raises(InvalidCursor):
        waiting_page(as_of=AS_OF, policy="oldest_living", cursor=page.next_cursor, limit=2)


@pytest.mark.django_db
def test_a_kept_waiting_page_is_served_until_the_state_changes(claims, world):
    """The staff screen's waiting page is kept per state version on PostgreSQL: the same page
    object until a change through the services, then the page as it is now."""
    first = waiting_page_kept(as_of=AS_OF, limit=100)
    assert first.items == waiting_page(as_of=AS_OF, limit=100).items
    again = waiting_page_kept(as_of=AS_OF, limit=100)
    if connection.vendor == "postgresql":
        assert again is first  # kept: not computed again
    else:
        assert again is not first and again.items == first.items  # SQLite computes each time
    accept_all(world, claims[5], offered_on=date(2023, 3, 1), verified_on=date(2023, 3, 2))  # its state changes
    after = waiting_page_kept(as_of=AS_OF, limit=100)
    assert after is not first
    assert after.items == waiting_page(as_of=AS_OF, limit=100).items
    assert after.items != first.items


@pytest.mark.django_db
@pytest.mark.parametrize("policy", ["earliest_final", "oldest_living"])
def test_a_waiting_page_computed_by_another_process_is_read_from_the_figures_cache(claims, policy):
    """On PostgreSQL a waiting page is also kept in the figures cache: a process that has not
    computed it reads it there — the same rows, ranks, figures and cursors."""
    if connection.vendor != "postgresql":
        pytest.skip("waiting pages are kept on PostgreSQL only (SQLite reuses rolled-back ids)")
    first = waiting_page_kept(as_of=AS_OF, policy=policy, limit=2)
    second = waiting_page_kept(as_of=AS_OF, policy=policy, cursor=first.next_cursor, limit=2)
    assert FiguresCache.objects.filter(key__startswith=WAITING_PAGE_PREFIX).count() == 2
    selectors._waiting_pages.clear()  # as another process would start
    for page, cursor in ((first, None), (second, first.next_cursor)):
        read = waiting_page_kept(as_of=AS_OF, policy=policy, cursor=cursor, limit=2)
        assert read is not page and read.items == page.items
        assert (read.next_cursor, read.previous_cursor, read.first_position) == (
            page.next_cursor, page.previous_cursor, page.first_position)
    entry = FiguresCache.objects.filter(key__startswith=WAITING_PAGE_PREFIX).first()
    entry.value = entry.value.replace('"items": [[1,', '"items": [[99,')  # read as kept, not computed again
    entry.save()
    selectors._waiting_pages.clear()
    ranks = {waiting_page_kept(as_of=AS_OF, policy=policy, limit=2).items[0].rank,
             waiting_page_kept(as_of=AS_OF, policy=policy, cursor=first.next_cursor, limit=2).items[0].rank}
    assert 99 in ranks
