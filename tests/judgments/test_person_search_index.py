"""Person search at millions of persons (issue 13): on PostgreSQL the search's conditions can each
be answered from an index — the trigram index (pg_trgm) of ``search_text`` for the ``contains``
lookups, the name indexes for the exact names — and the search pages by keyset; on SQLite the
same search works without them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from baesang.judgments.models import Person
from baesang.judgments.selectors import _persons_matching, persons_search, persons_search_page
from baesang.pii.names import keys_text, query_fragments, search_keys_for

pytestmark = pytest.mark.django_db


def _person(hangul: str, hanja: str, roman: str) -> Person:
    keys = search_keys_for(hangul=hangul, hanja=hanja, roman=roman)
    return Person.objects.create(name_hangul=hangul, name_hanja=hanja, name_roman=roman, search_keys=keys,
                                 search_text=keys_text(keys))


def test_the_search_pages_through_every_match_in_name_order():
    made = [_person("박순이", "朴順伊", "Park Sun-i") for _ in range(7)] + [_person("김영수", "金英洙", "Kim Young-su")]
    for query in ("박순이", "朴順伊", "Pak Suni"):
        seen, cursor = [], None
        while True:
            page = persons_search_page(query=query, cursor=cursor, limit=3)
            seen += [p.pk for p in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == [p.pk for p in made[:7]]  # same name: by id
        assert [p.pk for p in persons_search(query=query)] == seen
    assert persons_search_page(query="   ").items == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes exist on PostgreSQL only")
def test_on_postgresql_a_full_name_uses_the_keys_index_and_a_part_of_a_name_the_trigram_index():
    _person("박순이", "朴順伊", "Park Sun-i")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner show what it could use
    explained = _persons_matching("박순이").order_by("search_order", "pk")[:51].explain()
    assert "judgments_person_search_keys_gin" in explained  # migration 0010: one look-up per key
    assert "person_name_order" in explained or "person_name_hangul" in explained
    explained = _persons_matching("박").order_by("search_order", "pk")[:51].explain()  # a lone surname: "|bag:"
    assert "judgments_person_search_text_trgm" in explained


def test_the_keys_find_the_same_persons_as_the_text():
    """Whole keys are looked up in ``search_keys`` on PostgreSQL; the persons found are those whose
    ``search_text`` contains a fragment of the query, or whose name is the query."""
    made = [_person(*names) for names in (
        ("박순이", "朴順伊", "Park Sun-i"), ("박선이", "", "Pak Soni"), ("김영수", "金英洙", "Kim Young-su"),
        ("김영숙", "金英淑", "Kim Young-sook"), ("이정숙", "李正淑", "Lee Jung-suk"), ("박", "", ""))]
    for query in ("박순이", "Park Suni", "朴順伊", "김영수", "Kim Young-soo", "金英洙", "이정숙", "박", "Park",
                  "순이", "Suni", "정숙", "金", "nobody"):
        by_text = Q(name_hangul=query) | Q(name_hanja=query)
        for fragment in query_fragments(query):
            by_text |= Q(search_text__contains=fragment)
        expected = set(Person.objects.filter(by_text).values_list("pk", flat=True))
        assert set(_persons_matching(query).values_list("pk", flat=True)) == expected, query
    assert {p.pk for p in _persons_matching("박순이")} >= {made[0].pk, made[1].pk}  # 선이 loosely for 순이
