from .caching import CacheGeneration
from .notifications import Notification
from .people import User
from .places import ProductCategory, Township, Village

__all__ = ["CacheGeneration", "Notification", "ProductCategory", "Township", "User", "Village"]
