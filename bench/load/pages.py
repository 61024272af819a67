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

#: Names searched when the database holds no person with a name of that script (the demo has
#: no Hanja names): common names, so the search runs even if it finds nobody.
FALLBACK_NAMES = {"hangul": ["김영수"], "hanja": ["金英洙", "李正淑"], "roman": ["Kim Young-su"]}

#: The waiting list's 10,000th page. The list is paged with a key (not OFFSET) by its own
#: view; this is the address of that page as the view links it (see BENCHMARKS.md).
WAITING_PAGE_SIZE = 50
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
        "waiting_deep": f"/waiting/?page={WAITING_DEEP_PAGE}",
    }
