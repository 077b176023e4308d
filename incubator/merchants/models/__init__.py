from .certificates import Certificate
from .cooperatives import Cooperative
from .exports import DashboardExport
from .sales import SalesReport, Shop
from .targets import CountyTargets

__all__ = ["Certificate", "Cooperative", "CountyTargets", "DashboardExport", "SalesReport", "Shop"]
