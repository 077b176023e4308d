"""Which Wagtail site answers a request, as Wagtail decides it, with the query built once.

Wagtail finds the site of every page it serves with `get_site_for_hostname`: a query ordering
the sites by how well they match the host and port (a CASE over four cases) with the root page
joined. The ORM built and compiled that query on every request: 2 ms of a lesson's 30. Here its
SQL is compiled once per process with stand-in values for the host and port, run with the
request's own, and the rows are made into the same Site and root Page objects Wagtail makes;
the choice among them is Wagtail's, line for line (tests/core/test_sites.py compares the two
for every host and port against several sets of sites). Wagtail's `Site.find_for_request`
calls it in place of its own (`answer_wagtails_site_lookups`, at start-up). Nothing is kept
between requests: a site added, changed or removed answers on the next request.
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Case, IntegerField, Q, When

from wagtail.models import Site
from wagtail.models.sites import MATCH_DEFAULT, MATCH_HOSTNAME, MATCH_HOSTNAME_DEFAULT, MATCH_HOSTNAME_PORT

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


@functools.cache
def _compiled(alias: str):
    compiler = _queryset(_HOSTNAME, _PORT).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    if not (_HOSTNAME in params and _PORT in params):
        raise RuntimeError("the site query's parameters no longer hold the host and port")
    # What each row holds, as Django's model iterable reads it: the site's columns, the match,
    # the root page's columns.
    site_info = compiler.klass_info
    (page_info,) = site_info["related_klass_infos"]
    match_index = compiler.annotation_col_map["match"]
    return compiler, sql, params, site_info, page_info, match_index


def _site_from_row(row, alias, compiler, site_info, page_info, match_index) -> Site:
    def instance(info):
        # As Django's RelatedPopulator: the columns' attnames in the order they were selected.
        names = [compiler.select[i][0].target.attname for i in info["select_fields"]]
        return info["model"].from_db(alias, names, [row[i] for i in info["select_fields"]])

    site, page = instance(site_info), instance(page_info)
    page_info["local_setter"](site, page)
    page_info["remote_setter"](page, site)
    site.match = row[match_index]
    return site


def site_for_hostname(hostname: str, port, *, using: str = DEFAULT_DB_ALIAS) -> Site:
    """`wagtail.models.sites.get_site_for_hostname`: the same site, or Site.DoesNotExist."""
    compiler, sql, params, site_info, page_info, match_index = _compiled(using)
    # Prepared for the database as the ORM prepares them (a port that is not a number raises).
    hostname = Site._meta.get_field("hostname").get_prep_value(hostname)
    port = Site._meta.get_field("port").get_prep_value(port)
    values = [hostname if value == _HOSTNAME else port if value == _PORT else value for value in params]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    sites = [
        _site_from_row(row, using, compiler, site_info, page_info, match_index)
        for row in compiler.results_iter(results=[rows])
    ]
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
