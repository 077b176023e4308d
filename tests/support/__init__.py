"""Helpers shared by the security tests and the fault drills: the personas' world, hostile
payloads, a slow SMS backend, the worker settings, and control of Redis and PostgreSQL."""
