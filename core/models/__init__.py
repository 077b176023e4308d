from .notifications import Notification
from .people import User
from .places import ProductCategory, Township, Village

__all__ = ["Notification", "ProductCategory", "Township", "User", "Village"]
