"""Look inside one page of a benchmark database: its queries (grouped, with the slowest), and
where the time goes (cProfile), requested through Django's test client as a given person.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/incubator_bench CACHE_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python -m bench.pageprof /mentor/ --as m42@bench.local [--repeat 20] [--sql] [--explain 5] [--miss]
        [--top 35] [--median 20]

--explain N prints PostgreSQL's plan (EXPLAIN ANALYZE) of every query of the page that took N ms or
more, to check which indexes the page's queries use at a given scale. --miss drops the county
dashboard's cache family before each request (its cache-miss path). --median N first times N
requests unprofiled (median wall and CPU time).

After the profile, "where the time goes" sums it by layer (milliseconds per request; the layers
overlap: a query run while a template renders counts in both).
"""

import argparse
import collections
import cProfile
import gc
import os
import pstats
import re
import statistics
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


def _layers():
    """(label, function): the profile's cumulative time of each function is its layer's."""
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache.backends.redis import RedisCache
    from django.core.handlers.base import BaseHandler
    from django.db.backends.utils import CursorWrapper
    from django.db.models import Model
    from django.forms.widgets import Widget
    from django.template.base import Template
    from django.template.loader_tags import IncludeNode
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode

    from wagtail.blocks import Block
    from wagtail.models import Page

    return [
        ("request (all middleware and the view)", BaseHandler.get_response),
        ("view, with its template", BaseHandler._get_response),
        ("templates", Template.render),
        ("  StreamField blocks", Block.render),
        ("  {% include %}", IncludeNode.render),
        ("  {% translate %}", TranslateNode.render),
        ("  {% blocktranslate %}", BlockTranslateNode.render),
        ("  form widgets", Widget.render),
        ("SQL (execute: driver and wait)", CursorWrapper._execute),
        ("model instances (from_db)", Model.from_db.__func__),
        ("Wagtail page: its context (Page.serve)", Page.serve),
        ("cache get (Redis)", RedisCache.get),
        ("session load", SessionStore.load),
    ]


def layers(stats: pstats.Stats, repeat: int) -> list[tuple[str, float]]:
    """The cumulative milliseconds per request of each layer."""
    found = []
    for label, function in _layers():
        code = getattr(function, "__code__", None)
        key = (code.co_filename, code.co_firstlineno, code.co_name) if code else None
        cumulative = stats.stats.get(key, (0, 0, 0, 0.0, {}))[3]
        found.append((label, cumulative * 1000 / repeat))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default="")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sql", action="store_true", help="print every query with its time")
    parser.add_argument("--explain", type=float, default=None, help="EXPLAIN ANALYZE the queries of N ms or more")
    parser.add_argument("--miss", action="store_true", help="drop the county dashboard's cache before each request")
    parser.add_argument("--top", type=int, default=35, help="lines of the profile to print")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime, ...")
    parser.add_argument(
        "--median", type=int, default=0, help="first time this many requests unprofiled: median wall and CPU time"
    )
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
    # As gunicorn.conf.py does once a worker has started: what is loaded for good is frozen out of
    # the garbage collector's reach.
    gc.collect()
    gc.freeze()
    if args.median:
        wall, cpu = [], []
        for _ in range(args.median):
            before()
            started, used = time.perf_counter(), time.process_time()
            client.get(args.path, SERVER_NAME="127.0.0.1")
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        print(
            f"median of {args.median} requests (in-process, not profiled): "
            f"{statistics.median(wall) * 1000:.1f} ms, of which {statistics.median(cpu) * 1000:.1f} ms CPU"
        )
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        before()
        client.get(args.path, SERVER_NAME="127.0.0.1")
    profiler.disable()
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms per request (in-process, profiled)")
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.top)
    print("where the time goes (ms per request, profiled; layers overlap):")
    for label, ms in layers(stats, args.repeat):
        print(f"  {ms:8.1f}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
