"""DirectRouteMixin (core/pages.py) answers every path of the demo tree exactly as Wagtail's own
`Page.route` does: live pages, routable sub-pages, unpublished, private, moved pages, aliases and
addresses that lead nowhere. It is kept because it saves two queries a level (docs/benchmarks.md,
"Cache families": four on a lesson, two on a course). And the view restrictions found in one
query are the ones Wagtail finds in two."""

import pytest

from django.http import Http404
from django.test import RequestFactory

from wagtail.models import Page, PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def answer(route, root, path: str):
    request = RequestFactory().get(path)
    components = [part for part in path.split("/") if part]
    try:
        result = route(root, request, components)
    except Http404:
        return "404"
    page, args, kwargs = result
    return (type(page).__name__, page.pk, plain(args), plain(kwargs))


def plain(value):
    """Route arguments, comparable between two routings (a routable page's view is a bound method)."""
    if isinstance(value, (list, tuple)):
        return tuple(plain(item) for item in value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if callable(value):
        return getattr(value, "__qualname__", repr(value))
    return value


def compare(root, paths):
    differences = {}
    for path in paths:
        direct, wagtail = answer(type(root).route, root, path), answer(Page.route, root, path)
        if direct != wagtail:
            differences[path] = (direct, wagtail)
    return differences


def relative(root, page) -> str:
    return "/" + page.url_path[len(root.url_path) :]


@pytest.fixture
def demo_root(demo_county):
    root = Site.objects.get(is_default_site=True).root_page.specific
    assert type(root).route is not Page.route, "the site root should use DirectRouteMixin"
    return root


def every_path(root):
    pages = Page.objects.descendant_of(root).specific()
    paths = {relative(root, page) for page in pages}
    for page in pages:
        here = relative(root, page)
        paths |= {f"{here}apply/", f"{here}no-such-thing/", f"{here}no-such-thing/deeper/"}
    return sorted(paths | {"/", "/no-such-page/", "/courses/no-such-course/some-lesson/"})


def test_every_page_of_the_demo_tree_routes_as_wagtail_routes_it(demo_root):
    paths = every_path(demo_root)
    assert len(paths) > 50
    answers = [answer(type(demo_root).route, demo_root, path) for path in paths]
    sub_pages = [
        path for path, found in zip(paths, answers, strict=True) if path.endswith("/apply/") and found != "404"
    ]
    assert sub_pages, "the demo tree should have a routable campaign whose apply/ answers"
    assert compare(demo_root, paths) == {}


def test_unpublished_private_moved_and_aliased_pages_route_as_wagtail_routes_them(demo_root):
    from courses.models import CourseIndexPage, CoursePage, LessonPage

    catalogue = CourseIndexPage.objects.descendant_of(demo_root).first()
    first, second = CoursePage.objects.descendant_of(catalogue).order_by("path")[:2]
    lesson = LessonPage.objects.child_of(first).live().first()
    old_path = relative(demo_root, lesson)

    LessonPage.objects.child_of(first).live().last().unpublish()
    PageViewRestriction.objects.create(page=second, restriction_type=PageViewRestriction.LOGIN)
    lesson.move(second, pos="last-child")
    lesson.refresh_from_db()
    unpublished_course = CoursePage.objects.descendant_of(catalogue).order_by("-path").first()
    assert unpublished_course.pk not in (first.pk, second.pk)
    unpublished_course.unpublish()
    alias = first.create_alias(parent=catalogue, update_slug=f"{first.slug}-alias")

    paths = every_path(demo_root) + [old_path, relative(demo_root, lesson), relative(demo_root, alias)]
    assert answer(type(demo_root).route, demo_root, old_path) == "404"  # gone from its old address
    alias_path = relative(demo_root, alias)
    assert answer(type(demo_root).route, demo_root, alias_path)[1] == alias.pk
    assert compare(demo_root, paths) == {}

    # The restrictions in one query (ViewRestrictionsInOneQueryMixin) are Wagtail's, page by page,
    # with an alias of the restricted course under it too.
    second.create_alias(parent=catalogue, update_slug=f"{second.slug}-alias")
    for page in Page.objects.descendant_of(demo_root, inclusive=True).specific():
        ours = set(page.get_view_restrictions().values_list("pk", flat=True))
        wagtails = set(Page.get_view_restrictions(page).values_list("pk", flat=True))
        assert ours == wagtails, page.url_path


def test_every_page_has_the_url_wagtail_would_give_it(demo_root):
    """ServePathMixin (core/pages.py): the same URLs as Wagtail's own get_url_parts, also once a
    page moved (its new path is a new entry), and with a second site (left to Wagtail)."""
    from courses.models import CoursePage, LessonPage

    def differences():
        request = RequestFactory().get("/", SERVER_NAME="127.0.0.1")
        found = {}
        for page in Page.objects.descendant_of(demo_root, inclusive=True).specific():
            ours, wagtails = page.get_url_parts(request), Page.get_url_parts(page, request)
            if ours != wagtails:
                found[page.url_path] = (ours, wagtails)
        return found

    assert differences() == {}
    lesson = LessonPage.objects.descendant_of(demo_root).live().first()
    before = lesson.get_url()
    target = CoursePage.objects.descendant_of(demo_root).exclude(pk=lesson.get_parent().pk).first()
    lesson.move(target, pos="last-child")
    lesson.refresh_from_db()
    assert lesson.get_url() != before and lesson.get_url().startswith(target.get_url())
    assert differences() == {}
    Site.objects.create(hostname="second.example", port=80, root_page=target, site_name="二")
    assert differences() == {}
