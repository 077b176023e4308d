from .caching import CacheGeneration
from .exports import Export
from .history import ChangeRecord
from .notifications import Notification
from .people import User
from .places import ProductCategory, Township, Village

__all__ = [
    "CacheGeneration",
    "ChangeRecord",
    "Export",
    "Notification",
    "ProductCategory",
    "Township",
    "User",
    "Village",
]
