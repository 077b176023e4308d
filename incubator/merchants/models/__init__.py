from .certificates import Certificate
from .cooperatives import Cooperative
from .evidence import ImportedOrder, OrderExportFormat, OrderExportUpload, SalesEvidence
from .exports import DashboardExport
from .sales import AWAITING_VERIFICATION, REPORT_TRANSITIONS, SalesReport, Shop
from .targets import CountyTargets

__all__ = [
    "AWAITING_VERIFICATION",
    "REPORT_TRANSITIONS",
    "Certificate",
    "Cooperative",
    "CountyTargets",
    "DashboardExport",
    "ImportedOrder",
    "OrderExportFormat",
    "OrderExportUpload",
    "SalesEvidence",
    "SalesReport",
    "Shop",
]
