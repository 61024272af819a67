"""The staff pages of the load test (issue 13 §2) and how to find, in a database, what they show.

Read by the locustfile (which pages, under which names) and by the runner (``discover``: which
claims, which 300-plaintiff judgment, which names to search, which day of the audit log), and by
tests/web/test_load_pages.py, which opens every page once as an auditor on the demo foundation so
that the load test cannot rot. Imports no Django at module level: locust loads this module too.
"""

from __future__ import annotations

import random
from datetime import date

#: Page names, in the order BENCHMARKS.md reports them.
PAGES = [
    "dashboard",
    "person search (Hangul)",
    "person search (Hanja)",
    "person search (romanized)",
    "claim page",
    "waiting list page 1",
    "waiting list page 10,000",
    "judgment page (300 plaintiffs)",
    "fund report",
    "trial balance",
    "audit log (one day)",
]

#: The page PublicReader (locustfile.py) opens.
PUBLIC_PAGE = "public page"

#: Names searched when the database holds no person with a name of that script (the demo has
#: no Hanja names): common names, so the search runs even if it finds nobody.
FALLBACK_NAMES = {"hangul": ["김영수"], "hanja": ["金英洙", "李正淑"], "roman": ["Kim Young-su"]}

#: The waiting list's 10,000th page. The list is paged with a key (not OFFSET) by its own
#: view; :func:`waiting_deep_path` finds the address of that page as the view links it.
WAITING_DEEP_PAGE = 10_000


def get_paths(targets: dict, rng: random.Random) -> dict[str, str]:
    """The GET pages: name → path, with a claim chosen at random among the targets' claims."""
    day = targets["audit_day"]
    return {
        "dashboard": "/",
        "claim page": f"/claims/{rng.choice(targets['claims'])}/",
        "waiting list page 1": "/waiting/",
        "waiting list page 10,000": targets["waiting_deep"],
        "judgment page (300 plaintiffs)": f"/judgments/{targets['judgment_300']}/",
        "fund report": "/fund/",
        "trial balance": "/ledger/",
        "audit log (one day)": f"/audit/?date_from={day}&date_to={day}",
    }


def search_terms(targets: dict, rng: random.Random) -> dict[str, str]:
    """The person searches (POST: a name is personal data, never in a URL): name → query."""
    return {f"person search ({label})": rng.choice(targets["names"][script])
            for script, label in (("hangul", "Hangul"), ("hanja", "Hanja"), ("roman", "romanized"))}


def discover(*, claims: int = 500, names: int = 200, seed: int = 13) -> dict:
    """What the pages show, sampled from the database of the configured settings (django.setup()
    done by the caller): claim ids, the judgment with the number of plaintiffs nearest 300, names
    of persons in the three scripts, the busiest day of the audit log."""
    from django.db.models import Count, F, Max, Min
    from django.db.models.functions import Abs, TruncDate

    from baesang.core.models import AuditEvent
    from baesang.judgments.models import Claim, Judgment, Person

    rng = random.Random(seed)

    def sample_ids(model, count: int, **filters) -> list[int]:
        bounds = model.objects.aggregate(low=Min("id"), high=Max("id"))
        if bounds["low"] is None:
            return []
        found: set[int] = set()
        for _attempt in range(20):
            wanted = {rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)}
            found.update(model.objects.filter(pk__in=wanted, **filters).values_list("pk", flat=True))
            if len(found) >= count:
                break
        return sorted(found)[:count]

    claim_ids = sample_ids(Claim, claims)
    judgment = (Judgment.objects.annotate(distance=Abs(F("plaintiffs_count") - 300))
                .order_by("distance", "id").values("id", "plaintiffs_count").first())
    found_names: dict[str, list[str]] = {}
    for script, field in (("hangul", "name_hangul"), ("hanja", "name_hanja"), ("roman", "name_roman")):
        ids = sample_ids(Person, names, **{f"{field}__gt": ""})
        values = sorted(set(Person.objects.filter(pk__in=ids).values_list(field, flat=True)))
        found_names[script] = values or FALLBACK_NAMES[script]
    busiest = (AuditEvent.objects.annotate(day=TruncDate("at")).values("day").annotate(events=Count("id"))
               .order_by("-events").first())
    return {
        "claims": claim_ids,
        "judgment_300": judgment["id"] if judgment else None,
        "judgment_300_plaintiffs": judgment["plaintiffs_count"] if judgment else None,
        "names": found_names,
        "audit_day": (busiest["day"] if busiest else date.today()).isoformat(),
        "audit_day_events": busiest["events"] if busiest else 0,
        "waiting_deep": waiting_deep_path(),
    }


def waiting_deep_path(page: int = WAITING_DEEP_PAGE, size: int | None = None) -> str:
    """The address of the waiting list's ``page``-th page (today, the configured policy) as the
    view's "next" link makes it: the cursor of the last claim of the page before, found here once
    with OFFSET over the list's candidates in the waiting order (a page keeps the candidates with
    a waiting holder on the day, nearly all of them in a scale world, so this is that page or
    very near it). ``size``: rows a page (the staff screens' by default). A list shorter than
    that: its first page."""
    from urllib.parse import urlencode

    from django.utils import timezone

    from baesang.cases.selectors import _waiting_candidates, waiting_keyset_order, waiting_policy
    from baesang.core.paging import cursor_encode
    from baesang.web.paging import SCREEN_PAGE

    as_of, policy = timezone.localdate(), waiting_policy()
    order = waiting_keyset_order(policy)
    columns = [term.lstrip("-") for term in order]
    before = (page - 1) * (size or SCREEN_PAGE)
    if before < 1:
        return "/waiting/"
    found = list(_waiting_candidates(policy, as_of).order_by(*order).values(*columns)[before - 1:before])
    if not found:
        return "/waiting/"
    row = found[0]
    cursor = cursor_encode(name=f"waiting:{policy}:{as_of.isoformat()}", order=order,
                           key=[row[column] for column in columns], position=before)
    return "/waiting/?" + urlencode({"as_of": as_of.isoformat(), "after": cursor})
