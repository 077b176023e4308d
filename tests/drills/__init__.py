"""Fault drills (marker `drill`): a worker killed mid-task, Redis stopped, PostgreSQL restarted,
two simultaneous sales reports. They need PostgreSQL (DATABASE_URL) and Redis
(CELERY_BROKER_URL), as `make test` provides, and skip with the reason otherwise. The Redis and
PostgreSQL drills stop the machine's services and always start them again (try/finally)."""
