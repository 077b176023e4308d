"""Who sees what: a cooperative's ledger and its member households are kept and seen by its
leader and by the county office, nobody else; household data is never on a public page."""

from core.office import is_office_staff
from incubator.merchants.models import Cooperative


def keepable_cooperatives(user):
    """The cooperatives whose ledger `user` keeps: all for the office, those they lead otherwise."""
    if not getattr(user, "is_authenticated", False):
        return Cooperative.objects.none()
    queryset = Cooperative.objects.select_related("township", "leader")
    return queryset if is_office_staff(user) else queryset.filter(leader=user)


def leads_a_cooperative(user) -> bool:
    return getattr(user, "is_authenticated", False) and Cooperative.objects.filter(leader=user).exists()
