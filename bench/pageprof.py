"""Look inside one page of a benchmark database: its queries (grouped, with the slowest), and
where the time goes (cProfile), requested through Django's test client as a given person.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/incubator_bench CACHE_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python -m bench.pageprof /mentor/ --as m42@bench.local [--repeat 20] [--sql] [--explain 5]

--explain N prints PostgreSQL's plan (EXPLAIN ANALYZE) of every query of the page that took N ms or
more, to check which indexes the page's queries use at a given scale. --miss drops the county
dashboard's cache family before each request (its cache-miss path).
"""

import argparse
import collections
import cProfile
import os
import pstats
import re
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings.production")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")  # a measuring tool: links go nowhere
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def shape(sql: str) -> str:
    """A query without its literal values, to group repeats (N+1 shows up as one shape many times)."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(...)", sql)[:300]


def explain(queries, threshold_ms: float) -> None:
    for query in queries:
        if float(query["time"]) * 1000 < threshold_ms or not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}")
        print("\n".join(plan))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default="")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sql", action="store_true", help="print every query with its time")
    parser.add_argument("--explain", type=float, default=None, help="EXPLAIN ANALYZE the queries of N ms or more")
    parser.add_argument("--miss", action="store_true", help="drop the county dashboard's cache before each request")
    args = parser.parse_args(argv)
    from core import cache_families
    from core.models import User

    client = Client()
    if args.email:
        client.force_login(User.objects.get(email=args.email))
    client.get(args.path, SERVER_NAME="127.0.0.1")  # warm

    def before():
        if args.miss:
            cache_families.bump(cache_families.COUNTY_DASHBOARD)

    before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(args.path, SERVER_NAME="127.0.0.1")
    print(f"{args.path}: {response.status_code}, {len(captured)} queries, {len(response.content):,} bytes")
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:260]}")
    repeats = collections.Counter(shape(q["sql"]) for q in captured.captured_queries)
    print("repeated shapes:")
    for sql, count in repeats.most_common(5):
        if count > 1:
            print(f"  {count} x {sql[:200]}")
    if args.sql:
        for query in captured.captured_queries:
            print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:400]}")
    if args.explain is not None:
        explain(captured.captured_queries, args.explain)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        before()
        client.get(args.path, SERVER_NAME="127.0.0.1")
    profiler.disable()
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms per request (in-process, profiled)")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(35)
    return 0


if __name__ == "__main__":
    sys.exit(main())
