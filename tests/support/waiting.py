"""Waiting for something another process or thread does (a Celery worker, a browser)."""

import time


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1) -> bool:
    """True as soon as `predicate()` is, False if it is still not after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
