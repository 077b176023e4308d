"""Security: the URL matrix, other people's objects, escaping, CSRF, uploads, rate limits."""
