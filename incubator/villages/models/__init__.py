from .campaigns import CampaignDayFigure, SalesCampaign
from .stations import Station, StationDay, StationPurchase
from .taobao import VillageHouseholds, VillageTargets

__all__ = [
    "CampaignDayFigure",
    "SalesCampaign",
    "Station",
    "StationDay",
    "StationPurchase",
    "VillageHouseholds",
    "VillageTargets",
]
