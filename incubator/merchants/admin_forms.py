"""Admin forms: choose people among the programme's graduates, not among every account."""

from wagtail.admin.forms import WagtailAdminModelForm

from core.models import User

PROGRAMME_STAGES = ["trainee", "graduate", "merchant", "dormant"]
MERCHANT_STAGES = ["graduate", "merchant", "dormant"]


def _people(stages):
    return User.objects.filter(trainee_profile__stage__in=stages).order_by("real_name", "pk")


class ShopAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = _people(PROGRAMME_STAGES)


class CooperativeAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader", "members"):
            if name in self.fields:
                self.fields[name].queryset = _people(MERCHANT_STAGES)
