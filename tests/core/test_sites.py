"""core.sites answers as Wagtail's `get_site_for_hostname` for every host and port, whatever the
sites (one default, several, none default, ports of their own), and reads them anew each time."""

import itertools

import pytest

from django.test import RequestFactory

from wagtail.models import Page, Site
from wagtail.models import sites as wagtail_sites

from core import sites

pytestmark = pytest.mark.django_db

HOSTS = ["localhost", "127.0.0.1", "county.example.cn", "shop.example.cn", "other.example.cn"]
PORTS = [80, 443, 8000]


def found(lookup, hostname, port):
    try:
        site = lookup(hostname, port)
    except Site.DoesNotExist:
        return None
    return site.pk, site.root_page_id, site.match, site.root_page.title, site.hostname, site.port


def make_sites(*specs):
    Site.objects.all().delete()
    root = Page.get_first_root_node()
    made = []
    for n, (hostname, port, default) in enumerate(specs):
        page = root.add_child(instance=Page(title=f"站点 {n}", slug=f"site-{n}"))
        made.append(Site.objects.create(hostname=hostname, port=port, root_page=page, is_default_site=default))
    return made


@pytest.mark.parametrize(
    "specs",
    [
        [("localhost", 80, True)],
        [("county.example.cn", 443, True), ("shop.example.cn", 443, False)],
        [("county.example.cn", 80, False), ("county.example.cn", 8000, False), ("shop.example.cn", 80, True)],
        [("county.example.cn", 80, False), ("shop.example.cn", 80, False)],  # no default site
        [("county.example.cn", 80, True), ("county.example.cn", 8000, False), ("county.example.cn", 443, False)],
    ],
)
def test_the_same_site_as_wagtail_for_every_host_and_port(specs):
    make_sites(*specs)
    for hostname, port in itertools.product(HOSTS, PORTS):
        assert found(sites.site_for_hostname, hostname, port) == found(
            sites.wagtails_site_for_hostname, hostname, port
        ), (hostname, port)


def test_the_root_page_is_an_ordinary_page_object_and_a_change_answers_at_once():
    (site,) = make_sites(("county.example.cn", 80, True))
    found = sites.site_for_hostname("county.example.cn", 80)
    assert found == site and isinstance(found.root_page, Page)
    assert found.root_page.get_children().count() == 0  # a working page: its tree answers
    site.hostname = "shop.example.cn"
    site.save()
    assert sites.site_for_hostname("shop.example.cn", 80).match == 0  # read anew: hostname and port


def test_wagtail_finds_a_requests_site_with_it_and_keeps_it_on_the_request(django_assert_num_queries):
    assert wagtail_sites.get_site_for_hostname is sites.site_for_hostname
    assert sites.wagtails_site_for_hostname.__module__ == "wagtail.models.sites"
    (site,) = make_sites(("testserver", 80, True))
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        assert Site.find_for_request(request) == site
        assert Site.find_for_request(request) is request._wagtail_site


def test_no_site_at_all_is_none_as_in_wagtail():
    Site.objects.all().delete()
    assert Site.find_for_request(RequestFactory().get("/")) is None
    with pytest.raises(Site.DoesNotExist):
        sites.wagtails_site_for_hostname("testserver", 80)
