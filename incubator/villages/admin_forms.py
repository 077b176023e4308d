from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminModelForm

from incubator.villages.services.stations import ERROR_SHOP_NOT_PARTNERS, partner_error


class StationAdminForm(WagtailAdminModelForm):
    """The office opens and closes stations here; the partner rule of services.stations applies."""

    def clean(self):
        cleaned = super().clean()
        partner, shop = cleaned.get("partner"), cleaned.get("shop")
        if partner is not None:
            error = partner_error(partner)
            if error:
                self.add_error("partner", error)
            if shop is not None and shop.owner_id != partner.pk:
                self.add_error("shop", ERROR_SHOP_NOT_PARTNERS)
        closed_on, opened_on = cleaned.get("closed_on"), cleaned.get("opened_on")
        if closed_on and opened_on and closed_on < opened_on:
            from incubator.villages.services.stations import ERROR_CLOSE_BEFORE_OPEN

            raise ValidationError({"closed_on": ERROR_CLOSE_BEFORE_OPEN})
        return cleaned
