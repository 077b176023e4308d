"""gunicorn's settings for this project (read from the project folder; scripts/serve.sh and the
benchmark pass it with --config). Bind address and worker count stay on the command line."""

import gc


def post_worker_init(worker):
    """Freeze what the worker loaded (Django, Wagtail, models, URL conf) out of the garbage
    collector's reach: it lives as long as the worker, and walking it on every full collection
    cost a signed-in page about 4 ms (see docs/benchmarks.md)."""
    gc.freeze()
