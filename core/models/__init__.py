from .caching import CacheGeneration
from .exports import Export
from .history import ChangeRecord
from .notifications import Notification
from .people import User
from .places import ProductCategory, Township, Village
from .sms import SMSMessage, SMSTemplate

__all__ = [
    "CacheGeneration",
    "ChangeRecord",
    "Export",
    "Notification",
    "ProductCategory",
    "SMSMessage",
    "SMSTemplate",
    "Township",
    "User",
    "Village",
]
