"""A merchant's shops: registering (a graduate becomes a merchant), editing, verifying."""

import datetime

from django.db import transaction
from django.utils import timezone

from incubator.merchants.models import Shop
from incubator.merchants.services.activity import promote_graduate_with_shop


@transaction.atomic
def register_shop(
    *,
    owner,
    platform: str,
    name: str,
    url: str,
    opened_on: datetime.date,
    products=(),
    products_note: str = "",
    in_directory: bool = False,
) -> Shop:
    """Register a shop; a graduate who registers one becomes a merchant."""
    shop = Shop(
        owner=owner,
        platform=platform,
        name=name,
        url=url,
        opened_on=opened_on,
        products_note=products_note,
        in_directory=in_directory,
    )
    shop.full_clean()
    shop.save()
    shop.products.set(products)
    promote_graduate_with_shop(user=owner)
    return shop


@transaction.atomic
def update_shop(*, shop: Shop, products=None, **fields) -> Shop:
    """Change a shop's details (name, address, platform, opening date, products, directory flag)."""
    allowed = {"platform", "name", "url", "opened_on", "products_note", "in_directory"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"update_shop() got an unexpected field {key!r}")
        setattr(shop, key, value)
    shop.full_clean()
    shop.save()
    if products is not None:
        shop.products.set(products)
    return shop


@transaction.atomic
def set_shop_verified(*, shop: Shop, by, verified: bool = True) -> Shop:
    """The office marks a shop verified (or withdraws the mark)."""
    shop.is_verified = verified
    shop.verified_at = timezone.now() if verified else None
    shop.verified_by = by if verified else None
    shop.save(update_fields=["is_verified", "verified_at", "verified_by"])
    return shop
