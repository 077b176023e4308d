from .certificates import Certificate
from .cooperatives import Cooperative
from .sales import SalesReport, Shop
from .targets import CountyTargets

__all__ = ["Certificate", "Cooperative", "CountyTargets", "SalesReport", "Shop"]
