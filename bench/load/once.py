"""Each page of the load test opened alone, in this process, several times (issue 13 §2).

    DATABASE_URL=… BAESANG_FIELD_KEY=… .venv/bin/python bench/load/once.py TARGETS.json [--repeat 5]
        [--profile PAGE-NAME]

The time of a page with nothing else running (Django's test client, signed in as the first
load-test user; no network, no server): the floor under the load test's figures. With
``--profile NAME`` the named page's requests are profiled (cProfile, the 25 costliest
functions by cumulative time) — where the time of a slow page goes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default="")
    parser.add_argument("--user", default="load-01")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    os.environ.setdefault("BAESANG_DEBUG", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pages import get_paths, search_terms

    targets = json.loads(Path(args.targets).read_text(encoding="utf-8"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    rng = random.Random(1)
    names = list(get_paths(targets, rng)) + list(search_terms(targets, rng))
    for name in names:
        times = []
        profiler = None
        if args.profile == name:
            import cProfile

            profiler = cProfile.Profile()
        for _ in range(args.repeat):
            paths, terms = get_paths(targets, rng), search_terms(targets, rng)
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            if name in terms:
                response = client.post("/persons/", {"q": terms[name]})
            else:
                response = client.get(paths[name])
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        print(f"{name:<32} median {statistics.median(times):8.1f} ms  min {min(times):8.1f}  max {max(times):8.1f}",
              flush=True)
        if profiler:
            import pstats

            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
