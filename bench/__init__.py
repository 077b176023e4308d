"""`make bench`: the county-scale benchmark (seed, serve with gunicorn, load with wrk, report).

Not part of the test suite. See bench/run.sh and docs/benchmarks.md.
"""
