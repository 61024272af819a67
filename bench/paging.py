"""Keyset pages and person search at scale (issue 13): page 1 vs page 10,000 of the waiting
order and of the audit log, and the person search by Hangul, Hanja and romanized name, on a
PostgreSQL database filled in bulk.

Run (an empty, migrated PostgreSQL database; it is filled with bulk rows):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paging .venv/bin/baesang migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paging .venv/bin/python bench/paging.py --persons 1000000

The rows are written with ``INSERT … SELECT generate_series`` (persons with names from a pool of
Korean names whose search keys come from ``baesang.pii.names``; one judgment per 200 claims).
The waiting order's query is the one ``cases.selectors.waiting_page`` runs (its candidate rows);
the claims carry no holders here, so the figures of a page (a constant cost per page, measured
by the tests' world) are not part of these timings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from baesang.cases.selectors import _waiting_candidates, waiting_keyset_order  # noqa: E402
from baesang.core.models import AuditEvent  # noqa: E402
from baesang.core.paging import keyset_page  # noqa: E402
from baesang.judgments.models import Person  # noqa: E402
from baesang.judgments.selectors import persons_search_page  # noqa: E402
from baesang.pii.names import keys_text, search_keys_for  # noqa: E402

SURNAMES = [("김", "金", "Kim"), ("이", "李", "Lee"), ("박", "朴", "Park"), ("최", "崔", "Choi"), ("정", "鄭", "Jung"),
            ("강", "姜", "Kang"), ("조", "趙", "Cho"), ("윤", "尹", "Yoon"), ("장", "張", "Jang"), ("임", "林", "Lim"),
            ("한", "韓", "Han"), ("오", "吳", "Oh"), ("서", "徐", "Seo"), ("신", "申", "Shin"), ("권", "權", "Kwon")]
GIVEN = [("순이", "順伊", "Sun-i"), ("영수", "英洙", "Young-su"), ("상철", "相哲", "Sang-chul"),
         ("정희", "貞姬", "Jeong-hui"), ("민수", "敏洙", "Min-su"), ("옥순", "玉順", "Ok-sun"),
         ("말순", "末順", "Mal-sun"), ("복동", "福童", "Bok-dong"), ("춘자", "春子", "Chun-ja"),
         ("길남", "吉男", "Gil-nam"), ("금순", "今順", "Geum-sun"), ("용호", "龍浩", "Yong-ho"),
         ("재원", "在元", "Jae-won"), ("동석", "東錫", "Dong-seok"), ("경자", "京子", "Gyeong-ja"),
         ("점례", "点禮", "Jeom-rye")]


def fill(persons: int, claims_per_judgment: int = 200) -> None:
    names = []
    for surname in SURNAMES:
        for given in GIVEN:
            hangul, hanja, roman = surname[0] + given[0], surname[1] + given[1], f"{surname[2]} {given[2]}"
            keys = search_keys_for(hangul=hangul, hanja=hanja, roman=roman)
            names.append((hangul, hanja, roman, keys_text(keys)))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_names (n int, hangul text, hanja text, roman text, keys text)")
        cursor.executemany("INSERT INTO bench_names VALUES (%s, %s, %s, %s, %s)",
                           [(i, *name) for i, name in enumerate(names)])
        cursor.execute(
            "INSERT INTO judgments_person (name_hangul, name_hanja, name_roman, search_keys, search_text, sex, "
            "birth_date, needs_representative, rrn, phone, address, bank_name, bank_account, pseudonymous, note, "
            "created_at) SELECT b.hangul, b.hanja, b.roman, '[]', b.keys, 'F', date '1920-01-01' + (g %% 9000), "
            "false, '', '', '', '', '', true, '', now() FROM generate_series(1, %s) g "
            "JOIN bench_names b ON b.n = g %% %s", [persons, len(names)])
        cursor.execute("INSERT INTO judgments_court (name, name_en) VALUES ('서울중앙지방법원 bench', '') "
                       "ON CONFLICT DO NOTHING RETURNING id")
        cursor.execute("SELECT id FROM judgments_court WHERE name = '서울중앙지방법원 bench'")
        court = cursor.fetchone()[0]
        cursor.execute("INSERT INTO judgments_debtor (code, name, name_en, country) "
                       "VALUES ('BENCH', 'bench', '', 'JP') "
                       "ON CONFLICT DO NOTHING")
        cursor.execute("SELECT id FROM judgments_debtor WHERE code = 'BENCH'")
        debtor = cursor.fetchone()[0]
        judgments = persons // claims_per_judgment
        cursor.execute(
            "INSERT INTO judgments_judgment (case_number, court_id, debtor_id, decided_on, final_on, plaintiffs_count, "
            "title, note, created_at) SELECT (2000 + g %% 25)::text || '다' || g::text, %s, %s, "
            "date '2000-01-01' + (g * 7919 %% 9000), date '2000-01-01' + (g * 7919 %% 9000) + 30, %s, '', '', now() "
            "FROM generate_series(1, %s) g", [court, debtor, claims_per_judgment, judgments])
        cursor.execute(
            "INSERT INTO judgments_claim (judgment_id, position, victim_id, principal, method, state, created_at) "
            "SELECT j.id, p, (SELECT min(id) FROM judgments_person) + (row_number() OVER ()) - 1, 100000000, "
            "'period', 'registered', now() FROM judgments_judgment j CROSS JOIN generate_series(1, %s) p "
            "WHERE j.court_id = %s", [claims_per_judgment, court])
        cursor.execute("INSERT INTO core_auditevent (at, actor_label, action, entity_type, entity_id, note, channel, "
                       "credential) SELECT now() - (g || ' seconds')::interval, 'bench', 'bench.event', 'bench', "
                       "g::text, '', '', '' FROM generate_series(1, %s) g", [persons])
        cursor.execute("ANALYZE")
    print(f"filled: {persons:,} persons, {judgments * claims_per_judgment:,} claims, {persons:,} audit events "
          f"in {time.perf_counter() - started:.0f} s")


def fill_holders() -> None:
    """Each claim: one interest segment (20 % a year from the decision, until paid) and the victim
    as its holder (basis plaintiff, share 1/1), so that every claim waits."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # bench rows, consistent by construction: skip the per-row foreign-key triggers (a
        # million deferred checks) — needs a superuser, as the bench database's owner is
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("INSERT INTO judgments_claimsegment (claim_id, position, start, \"end\", rate) "
                       "SELECT c.id, 1, j.decided_on, NULL, 20 FROM judgments_claim c "
                       "JOIN judgments_judgment j ON j.id = c.judgment_id "
                       "WHERE NOT EXISTS (SELECT 1 FROM judgments_claimsegment s WHERE s.claim_id = c.id)")
        print(f"segments in {time.perf_counter() - started:.0f} s", flush=True)
        cursor.execute("INSERT INTO judgments_holderchange (basis, family_sha256, regime, valid_from, reason, made_at, "
                       "claim_id) SELECT 'plaintiff', '', '', j.final_on, 'bench', now(), c.id "
                       "FROM judgments_claim c JOIN judgments_judgment j ON j.id = c.judgment_id "
                       "WHERE NOT EXISTS (SELECT 1 FROM judgments_holderchange h WHERE h.reason = 'bench')")
        cursor.execute("INSERT INTO judgments_claimholding (share_numerator, share_denominator, state, valid_from, "
                       "claim_id, change_id, holder_id) SELECT 1, 1, 'pending', h.valid_from, h.claim_id, h.id, "
                       "c.victim_id FROM judgments_holderchange h JOIN judgments_claim c ON c.id = h.claim_id "
                       "WHERE h.reason = 'bench' AND NOT EXISTS "
                       "(SELECT 1 FROM judgments_claimholding x WHERE x.change_id IN "
                       "(SELECT id FROM judgments_holderchange WHERE reason = 'bench'))")
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE")
    print(f"holders and segments in {time.perf_counter() - started:.0f} s")


def timed(label: str, run, repeat: int = 15) -> None:
    run()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"{label:58} median {statistics.median(times):7.1f} ms   p95 {times[int(0.95 * (len(times) - 1))]:7.1f} ms")


def cursor_at(query, name, order, page_number, limit=100):
    """The cursor of page ``page_number`` (read once by walking the keyset with a large page)."""
    rows = list(query.order_by(*order).values_list(*[t.lstrip("-") for t in order])[
        (page_number - 1) * limit - 1:(page_number - 1) * limit])
    from baesang.core.paging import cursor_encode  # bench only
    return cursor_encode(name=name, order=order, key=list(rows[0]), position=(page_number - 1) * limit)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--no-fill", action="store_true")
    parser.add_argument("--no-holders", action="store_true", help="do not add segments and holders")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    if not args.no_fill:
        fill(args.persons)
    if not args.no_holders:
        fill_holders()
    print(f"persons {Person.objects.count():,}")
    from datetime import date  # bench only
    as_of = date(2030, 1, 1)
    candidates = _waiting_candidates("earliest_final", as_of)
    order = waiting_keyset_order("earliest_final")
    name = f"waiting:earliest_final:{as_of.isoformat()}"
    page_10000 = cursor_at(candidates, name, order, 10_000)

    def waiting(cursor):
        return lambda: list(keyset_page(candidates, name=name, order=order, after=cursor, limit=100).items)

    timed("waiting order, page 1 (100 claims, keyset query)", waiting(None))
    timed("waiting order, page 10,000 (keyset query)", waiting(page_10000))
    from baesang.cases.selectors import waiting_page  # bench only
    timed("waiting list page 1 (waiting_page: query + figures)",
          lambda: waiting_page(as_of=as_of, policy="earliest_final", limit=100), repeat=5)
    timed("waiting list page 10,000 (waiting_page: query + figures)",
          lambda: waiting_page(as_of=as_of, policy="earliest_final", cursor=page_10000, limit=100), repeat=5)
    audit = AuditEvent.objects.all()
    audit_cursor = cursor_at(audit, "audit", ("-at", "-pk"), 10_000)
    timed("audit log, page 1", lambda: list(keyset_page(audit, name="audit", order=("-at", "-pk"), limit=100).items))
    timed("audit log, page 10,000", lambda: list(keyset_page(audit, name="audit", order=("-at", "-pk"),
                                                            after=audit_cursor, limit=100).items))
    for query in ("박순이", "朴順伊", "Park Sun-i", "Pak Suni", "상철", "Kwon"):
        timed(f"person search {query!r}, first 50", lambda q=query: list(persons_search_page(query=q, limit=50).items))


if __name__ == "__main__":
    main()
