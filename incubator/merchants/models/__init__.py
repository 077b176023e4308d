from .certificates import Certificate, CertificateSignature
from .cooperatives import Cooperative
from .evidence import ImportedOrder, OrderExportFormat, OrderExportUpload, SalesEvidence
from .sales import AWAITING_VERIFICATION, REPORT_TRANSITIONS, SalesReport, Shop
from .tallies import CategoryMonthSales, VillageMonthSales
from .targets import CountyTargets

__all__ = [
    "AWAITING_VERIFICATION",
    "REPORT_TRANSITIONS",
    "CategoryMonthSales",
    "Certificate",
    "CertificateSignature",
    "Cooperative",
    "CountyTargets",
    "ImportedOrder",
    "OrderExportFormat",
    "OrderExportUpload",
    "SalesEvidence",
    "SalesReport",
    "Shop",
    "VillageMonthSales",
]
