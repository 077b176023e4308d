"""gunicorn's settings for this project (read from the project folder; scripts/serve.sh and the
benchmark pass it with --config). Bind address and worker count stay on the command line."""

import gc


def post_worker_init(worker):
    """Load what every process keeps (core/warm.py), then freeze what the worker loaded (Django,
    Wagtail, models, URL conf, content types) out of the garbage collector's reach: it lives as long as the worker, and walking it on every full collection
    cost a signed-in page about 4 ms (see docs/benchmarks.md)."""
    from django.db import connections

    from core.warm import warm

    warm()
    connections.close_all()  # each request opens its own, as it would have
    gc.freeze()
