from django.db import models


class CacheGeneration(models.Model):
    """The current generation of one cache family (core/cache_families.py).

    Kept in the database, not in the cache, so that a bump commits with the data it describes
    (or after it), survives a Redis restart or outage, and reaches every process and machine.
    The token is random: a generation never repeats, even after a restore from a backup.
    """

    family = models.CharField(max_length=64, unique=True)
    token = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.family}:{self.token}"
