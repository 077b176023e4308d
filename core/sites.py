"""Which Wagtail site answers a request, as Wagtail decides it, with the query built once.

Wagtail finds the site of every page it serves with `get_site_for_hostname`: a query ordering
the sites by how well they match the host and port (a CASE over four cases) with the root page
joined. The ORM built and compiled that query on every request: 2 ms of a lesson's 30. Here its
SQL is compiled once per process with stand-in values for the host and port
(`core.rows.CompiledQuery`), run with the request's own, and the rows are made into the same
Site and root Page objects Wagtail makes;
the choice among them is Wagtail's, line for line (tests/core/test_sites.py compares the two
for every host and port against several sets of sites). Wagtail's `Site.find_for_request`
calls it in place of its own (`answer_wagtails_site_lookups`, at start-up). Nothing is kept
between requests: a site added, changed or removed answers on the next request.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, IntegerField, Q, When

from wagtail.models import Site
from wagtail.models.sites import MATCH_DEFAULT, MATCH_HOSTNAME, MATCH_HOSTNAME_DEFAULT, MATCH_HOSTNAME_PORT

from core.rows import CompiledQuery

# Stand-ins for the request's host and port while the query is compiled: each must be a value of
# the query's parameters that nothing else in it has.
_HOSTNAME = "core.sites:hostname"
_PORT = -7_654_321


def _queryset(hostname, port):
    """Wagtail's query in `get_site_for_hostname` (wagtail/models/sites.py), as it writes it."""
    return (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page")
    )


# Built once per process (core.rows.CompiledQuery), run with the request's host and port.
_SITES = CompiledQuery(_queryset, _HOSTNAME, _PORT)


def site_for_hostname(hostname: str, port, *, using: str = DEFAULT_DB_ALIAS) -> Site:
    """`wagtail.models.sites.get_site_for_hostname`: the same site, or Site.DoesNotExist."""
    # Prepared for the database as the ORM prepares them (a port that is not a number raises).
    hostname = Site._meta.get_field("hostname").get_prep_value(hostname)
    port = Site._meta.get_field("port").get_prep_value(port)
    sites = _SITES(hostname, port, using=using)
    # From here on, Wagtail's own choice among the rows.
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            return sites[0]
        if sites[0].match == MATCH_DEFAULT:
            return sites[len(sites) == 2]
    raise Site.DoesNotExist()


# Wagtail's own, kept for the test that holds `site_for_hostname` to it.
wagtails_site_for_hostname = None


def answer_wagtails_site_lookups() -> None:
    """Wagtail's `Site.find_for_request`, which every page it serves and every `{% pageurl %}`
    calls once per request, looks the site up with `get_site_for_hostname`: from now on with
    `site_for_hostname` (core.apps.CoreConfig.ready)."""
    global wagtails_site_for_hostname
    from wagtail.models import sites as wagtail_sites

    if wagtail_sites.get_site_for_hostname is not site_for_hostname:
        wagtails_site_for_hostname = wagtail_sites.get_site_for_hostname
        wagtail_sites.get_site_for_hostname = site_for_hostname
