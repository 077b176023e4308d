"""The security matrix's data: which of the site's URL patterns are ours, and the table of entries.

Shared by test_url_matrix.py (GET each pattern as each persona), test_csrf.py (POST each one
without a token) and test_escaping.py (every page answered is also an escaping check).

A pattern is OURS when its view lives in one of our packages (core, courses, mentors, incubator):
that covers the URLconfs of core, courses, mentors, recruitment and merchants, the offline
support (pwa) once it is wired, and the Wagtail admin views our apps add with
`register_admin_urls` or admin viewsets whose views are ours. Pages served by Wagtail's page tree
(`wagtail_serve`, core.pages.serve) are covered per page model of ours (and per route of routable pages), since
one pattern serves them all. Third-party patterns (Wagtail's own admin, the snippet and model
viewsets that use Wagtail's generic views, allauth, Wagtail documents) are covered by rule
checks in test_url_matrix.py instead of per-pattern entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wagtail.models import get_page_models

OUR_PACKAGES = ("core", "courses", "mentors", "incubator")
OUR_APP_LABELS = {
    "core",
    "courses",
    "mentors",
    "recruitment",
    "outreach",
    "merchants",
    "cooperatives",
    "villages",
    "pavilion",
    "incubator",
}
PERSONAS = ("anonymous", "trainee_a", "trainee_b", "mentor_a", "mentor_other", "office", "superuser")

OK = 200  # a page
LOGIN = "login"  # a redirect to a login page (the site's or the admin's)
NF = 404
REDIRECT = 302  # a redirect somewhere else
NOT_ALLOWED = 405  # POST-only: a GET is refused


def expect(anonymous=LOGIN, trainee_a=OK, trainee_b=OK, mentor_a=OK, mentor_other=OK, office=OK, superuser=OK):
    return {
        "anonymous": anonymous,
        "trainee_a": trainee_a,
        "trainee_b": trainee_b,
        "mentor_a": mentor_a,
        "mentor_other": mentor_other,
        "office": office,
        "superuser": superuser,
    }


# Recurring shapes of the table.
PUBLIC = expect(anonymous=OK)
SIGNED_IN = expect()
POST_ONLY = dict.fromkeys(PERSONAS, NOT_ALLOWED)
POST_ONLY_SIGNED_IN = expect(
    trainee_a=NOT_ALLOWED,
    trainee_b=NOT_ALLOWED,
    mentor_a=NOT_ALLOWED,
    mentor_other=NOT_ALLOWED,
    office=NOT_ALLOWED,
    superuser=NOT_ALLOWED,
)
A_ONLY = expect(trainee_b=NF, mentor_a=NF, mentor_other=NF, office=NF, superuser=NF)
# A's private things the county office may also open (a submission file, a certificate PDF).
A_AND_OFFICE = expect(trainee_b=NF, mentor_a=NF, mentor_other=NF)
MENTORS = expect(trainee_a=NF, trainee_b=NF, office=NF, superuser=NF)
MENTOR_OF_A = expect(trainee_a=NF, trainee_b=NF, mentor_other=NF, office=NF, superuser=NF)
# Our admin views: no admin access (a trainee, a mentor) is the admin's login page.
OFFICE_ADMIN = expect(trainee_a=LOGIN, trainee_b=LOGIN, mentor_a=LOGIN, mentor_other=LOGIN)
# Our POST-only admin views: admin access is checked first, then the method.
ADMIN_POST_ONLY = expect(
    trainee_a=LOGIN, trainee_b=LOGIN, mentor_a=LOGIN, mentor_other=LOGIN, office=NOT_ALLOWED, superuser=NOT_ALLOWED
)


@dataclass
class Entry:
    """How to fill a pattern's arguments from the world, and the answer expected per persona."""

    expected: dict
    kwargs: Callable = field(default=lambda w: {})
    query: str = ""

    def path(self, route_name: str, world) -> str:
        return reverse(route_name, kwargs=self.kwargs(world)) + self.query


@dataclass
class PageEntry:
    """A page model of ours served by Wagtail (route "" is the page itself; others are sub-routes)."""

    expected: dict
    page: Callable  # world -> page
    route: str = ""

    def path(self, _name: str, world) -> str:
        return world_page_url(self.page(world)) + self.route


def world_page_url(page) -> str:
    url = page.get_url()
    return url if url.endswith("/") else url + "/"


ENTRIES: dict[str, Entry] = {
    # core
    "core:healthz": Entry(PUBLIC),
    "core:healthz_live": Entry(PUBLIC),
    "core:healthz_ready": Entry(PUBLIC),
    "core:floor": Entry(PUBLIC),
    "core:set_language": Entry(POST_ONLY),
    # The providers' delivery receipts: POST only, and the URL's secret token decides (test_sms_providers).
    "core:sms_receipt": Entry(POST_ONLY, kwargs=lambda w: {"provider": "tencent", "token": "not-the-token"}),
    "core:me": Entry(SIGNED_IN),
    "core:profile": Entry(SIGNED_IN),
    "core:notifications": Entry(SIGNED_IN),
    "core:notifications_mark_read": Entry(POST_ONLY_SIGNED_IN),
    # One way in (core/security.py): Wagtail's login addresses send everyone to allauth's login.
    "wagtailadmin_login": Entry(dict.fromkeys(PERSONAS, LOGIN)),
    "wagtailcore_login": Entry(dict.fromkeys(PERSONAS, LOGIN)),
    # Wagtail's shared-password forms behind our rate limit (a restriction that does not exist
    # here; tests/security/test_every_door.py drives real ones).
    "wagtailcore_authenticate_with_password": Entry(
        dict.fromkeys(PERSONAS, NF), kwargs=lambda w: {"page_view_restriction_id": 999999, "page_id": w.home.pk}
    ),
    "wagtaildocs_authenticate_with_password": Entry(
        dict.fromkeys(PERSONAS, NF), kwargs=lambda w: {"restriction_id": 999999}
    ),
    "csp_report": Entry(POST_ONLY),
    # Wagtail's user admin with our listing (core/users_admin.py): the office manages people.
    "wagtailusers_users:index": Entry(OFFICE_ADMIN),
    "wagtailusers_users:index_results": Entry(OFFICE_ADMIN),
    # courses
    "courses:my_learning": Entry(SIGNED_IN),
    "courses:submission_file": Entry(expect(trainee_b=NF, mentor_other=NF), kwargs=lambda w: {"pk": w.file_a.pk}),
    # mentors
    "mentors:dashboard": Entry(MENTORS),
    "mentors:trainee": Entry(MENTOR_OF_A, kwargs=lambda w: {"trainee_id": w.trainee_a.pk}),
    "mentors:checkin": Entry(MENTOR_OF_A, kwargs=lambda w: {"trainee_id": w.trainee_a.pk}),
    "mentors:recommend": Entry(MENTOR_OF_A, kwargs=lambda w: {"trainee_id": w.trainee_a.pk}),
    "mentors:grant_attempts": Entry(
        MENTOR_OF_A, kwargs=lambda w: {"trainee_id": w.trainee_a.pk, "lesson_id": w.quiz_lesson.pk}
    ),
    "mentors:withdraw": Entry(MENTOR_OF_A, kwargs=lambda w: {"pk": w.recommendation_a.pk}),
    "mentors:reviews": Entry(MENTORS),
    # A mentor's own notes of check-ins with people they no longer mentor (none in the world: empty).
    "mentors:past_checkins": Entry(MENTORS),
    "mentors:submission": Entry(MENTOR_OF_A, kwargs=lambda w: {"pk": w.submission_a.pk}),
    # An invitation link opens only with its token (tests/mentors/test_invitations.py drives real ones).
    "mentors:invitation": Entry(dict.fromkeys(PERSONAS, NF), kwargs=lambda w: {"token": "no-such-invitation"}),
    # A trainee's own mentor: A and B have one; mentors, office and superuser have none.
    "mentors:my_mentor": Entry(expect(mentor_a=NF, mentor_other=NF, office=NF, superuser=NF)),
    # recruitment
    "recruitment:my_applications": Entry(SIGNED_IN),
    "recruitment:my_application": Entry(A_ONLY, kwargs=lambda w: {"pk": w.application_a.pk}),
    "recruitment:edit_application": Entry(A_ONLY, kwargs=lambda w: {"pk": w.application_a.pk}),
    "recruitment:withdraw_application": Entry(A_ONLY, kwargs=lambda w: {"pk": w.application_a.pk}),
    # POST-only; the draft is looked up among the person's own (tests/recruitment/test_second_chances.py).
    "recruitment:discard_draft": Entry(POST_ONLY_SIGNED_IN, kwargs=lambda w: {"pk": w.draft_a.pk}),
    # outreach: a mentor's classes and messages (the class is run by A's mentor, the message is theirs)
    "outreach:mentor_classes": Entry(MENTORS),
    "outreach:mentor_attendance": Entry(MENTOR_OF_A, kwargs=lambda w: {"pk": w.class_session.pk}),
    "outreach:mentor_messages": Entry(MENTORS),
    "outreach:mentor_message_new": Entry(MENTORS),
    "outreach:mentor_message": Entry(MENTOR_OF_A, kwargs=lambda w: {"pk": w.mentor_message.pk}),
    "outreach:my_classes": Entry(SIGNED_IN),
    # merchants
    "merchants:shops": Entry(SIGNED_IN),
    "merchants:shop_create": Entry(SIGNED_IN),
    "merchants:shop_detail": Entry(A_ONLY, kwargs=lambda w: {"pk": w.shop_a.pk}),
    "merchants:shop_edit": Entry(A_ONLY, kwargs=lambda w: {"pk": w.shop_a.pk}),
    "merchants:report_create": Entry(POST_ONLY_SIGNED_IN, kwargs=lambda w: {"pk": w.shop_a.pk}),
    "merchants:report_edit": Entry(A_ONLY, kwargs=lambda w: {"pk": w.shop_a.pk, "report_pk": w.report_a.pk}),
    "merchants:report_evidence": Entry(
        POST_ONLY_SIGNED_IN, kwargs=lambda w: {"pk": w.shop_a.pk, "report_pk": w.report_a.pk}
    ),
    "merchants:order_file_upload": Entry(POST_ONLY_SIGNED_IN, kwargs=lambda w: {"pk": w.shop_a.pk}),
    # A report's evidence: its owner, the owner's current mentor and the office.
    "merchants:evidence_file": Entry(expect(trainee_b=NF, mentor_other=NF), kwargs=lambda w: {"pk": w.evidence_a.pk}),
    # A report's order export (the file the merchant uploaded): the same three.
    "merchants:order_export_file": Entry(
        expect(trainee_b=NF, mentor_other=NF), kwargs=lambda w: {"pk": w.order_export_a.pk}
    ),
    "merchants:mentor_reports": Entry(MENTORS),
    "merchants:mentor_report": Entry(MENTOR_OF_A, kwargs=lambda w: {"pk": w.report_a.pk}),
    "merchants:my_certificates": Entry(SIGNED_IN),
    "merchants:certificate_pdf": Entry(A_AND_OFFICE, kwargs=lambda w: {"code": w.certificate_a.code}),
    "merchants:certificate_lookup": Entry(PUBLIC),
    "merchants:certificate_verify": Entry(PUBLIC, kwargs=lambda w: {"code": w.certificate_a.code}),
    "merchants:directory": Entry(PUBLIC),
    # villages: a partner's own station, a merchant's own campaign figures
    "villages:my_station": Entry(SIGNED_IN),
    "villages:station_log": Entry(A_ONLY, kwargs=lambda w: {"pk": w.station_a.pk}),
    "villages:my_campaigns": Entry(SIGNED_IN),
    "villages:campaign_figures": Entry(A_ONLY, kwargs=lambda w: {"pk": w.sales_campaign.pk}),
    # pavilion: a merchant's proposals (anyone signed in sees the page; only a merchant may send)
    "pavilion:my_proposals": Entry(SIGNED_IN),
    "pavilion:propose": Entry(SIGNED_IN),
    # cooperatives: A leads the world's cooperative (with a member household and a purchase), B
    # leads another; the office keeps every ledger. A leader's list sends them to their ledger.
    "cooperatives:list": Entry(expect(trainee_a=REDIRECT, trainee_b=REDIRECT, mentor_a=NF, mentor_other=NF)),
    "cooperatives:ledger": Entry(A_AND_OFFICE, kwargs=lambda w: {"pk": w.cooperative.pk}),
    "cooperatives:household": Entry(
        A_AND_OFFICE, kwargs=lambda w: {"pk": w.cooperative.pk, "household_pk": w.household_a.pk}
    ),
    "cooperatives:member_new": Entry(A_AND_OFFICE, kwargs=lambda w: {"pk": w.cooperative.pk}),
    "cooperatives:member_leave": Entry(
        A_AND_OFFICE, kwargs=lambda w: {"pk": w.cooperative.pk, "membership_pk": w.membership_a.pk}
    ),
    "cooperatives:entry_new": Entry(A_AND_OFFICE, kwargs=lambda w: {"pk": w.cooperative.pk, "kind": "purchase"}),
    "cooperatives:entry_correct": Entry(
        A_AND_OFFICE, kwargs=lambda w: {"pk": w.cooperative.pk, "kind": "purchase", "entry_pk": w.purchase_a.pk}
    ),
    # offline support (incubator.pwa_urls), once wired into incubator/urls.py
    "pwa:service_worker": Entry(PUBLIC),
    "pwa:manifest": Entry(PUBLIC),
    "pwa:offline": Entry(PUBLIC),
    "pwa:robots_txt": Entry(PUBLIC),
    # our Wagtail admin views
    "courses_report": Entry(OFFICE_ADMIN),
    "courses_report_detail": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.course.pk}),
    "courses_quiz_attempts": Entry(OFFICE_ADMIN),
    "courses_grant_attempts": Entry(
        OFFICE_ADMIN, kwargs=lambda w: {"user_id": w.trainee_a.pk, "lesson_id": w.quiz_lesson.pk}
    ),
    "recruitment_admin:application_index": Entry(OFFICE_ADMIN),
    "recruitment_admin:application_detail": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.application_a.pk}),
    "recruitment_admin:suggest": Entry(OFFICE_ADMIN, kwargs=lambda w: {"kind": "cohort"}),
    "recruitment_admin:campaign_index": Entry(OFFICE_ADMIN),
    "recruitment_admin:campaign_figures": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.campaign.pk}),
    "recruitment_admin:import": Entry(OFFICE_ADMIN),
    "merchants_admin:dashboard": Entry(OFFICE_ADMIN),
    "exports:index": Entry(OFFICE_ADMIN),
    # POST-only (the form is on the exports page); admin access is checked first.
    "exports:request": Entry(
        expect(
            trainee_a=LOGIN,
            trainee_b=LOGIN,
            mentor_a=LOGIN,
            mentor_other=LOGIN,
            office=NOT_ALLOWED,
            superuser=NOT_ALLOWED,
        )
    ),
    # An export is downloaded by the person who asked for it (the office here), no one else.
    "exports:download": Entry(
        expect(trainee_a=LOGIN, trainee_b=LOGIN, mentor_a=LOGIN, mentor_other=LOGIN, superuser=NF),
        kwargs=lambda w: {"pk": w.export.pk},
    ),
    "merchants_admin:graduation": Entry(OFFICE_ADMIN),
    "merchants_admin:graduation_cohort": Entry(OFFICE_ADMIN, kwargs=lambda w: {"cohort_id": w.cohort.pk}),
    "merchants_admin:certificates": Entry(OFFICE_ADMIN),
    "merchants_admin:certificate_revoke": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.certificate_a.pk}),
    # Listings whose index view is ours (their downloads are the office's export tables).
    **{
        f"{listing}:{view}": Entry(OFFICE_ADMIN)
        for listing in (
            "wagtailsnippets_recruitment_traineeprofile",
            "wagtailsnippets_merchants_shop",
            "wagtailsnippets_merchants_salesreport",
            "wagtailsnippets_merchants_cooperative",
        )
        for view in ("list", "list_results")
    },
    **{
        f"{listing}:{view}": Entry(OFFICE_ADMIN)
        for listing in ("mentor_profiles", "mentor_checkins")
        for view in ("index", "index_results")
    },
    "villages_admin:stations": Entry(OFFICE_ADMIN),
    "villages_admin:station": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.station_a.pk}),
    "villages_admin:taobao": Entry(OFFICE_ADMIN),
    "villages_admin:campaigns": Entry(OFFICE_ADMIN),
    "villages_admin:campaign": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.sales_campaign.pk}),
    "villages_admin:campaign_verify": Entry(ADMIN_POST_ONLY, kwargs=lambda w: {"pk": w.sales_campaign.pk}),
    "villages_admin:figure_send_back": Entry(ADMIN_POST_ONLY, kwargs=lambda w: {"pk": w.campaign_figure.pk}),
    "villages_admin:figure_verify": Entry(ADMIN_POST_ONLY, kwargs=lambda w: {"pk": w.campaign_figure.pk}),
    "pavilion_admin:proposals": Entry(OFFICE_ADMIN),
    "pavilion_admin:proposal": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.proposal.pk}),
    "cooperatives_admin:report": Entry(OFFICE_ADMIN),
    "cooperatives_admin:household_income": Entry(OFFICE_ADMIN),
    "cooperatives_admin:import": Entry(OFFICE_ADMIN),
    # POST-only (the button is on the certificates page); admin access is checked first.
    "merchants_admin:certificate_reissue": Entry(
        expect(
            trainee_a=LOGIN,
            trainee_b=LOGIN,
            mentor_a=LOGIN,
            mentor_other=LOGIN,
            office=NOT_ALLOWED,
            superuser=NOT_ALLOWED,
        ),
        kwargs=lambda w: {"pk": w.certificate_a.pk},
    ),
    "merchants_admin:report": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.report_a.pk}),
    "merchants_admin:report_enter": Entry(OFFICE_ADMIN),
    "mentor_profiles:add": Entry(OFFICE_ADMIN),
    "mentor_assignment:index": Entry(OFFICE_ADMIN),
    "mentor_assignment:group": Entry(OFFICE_ADMIN, kwargs=lambda w: {"key": f"cohort-{w.cohort.pk}"}),
    "mentor_assignment:propose": Entry(OFFICE_ADMIN, kwargs=lambda w: {"key": f"cohort-{w.cohort.pk}"}),
    "mentor_assignment:assign": Entry(OFFICE_ADMIN, kwargs=lambda w: {"trainee_id": w.trainee_a.pk}),
    "mentor_recommendations:index": Entry(OFFICE_ADMIN),
    "mentor_invitations:index": Entry(OFFICE_ADMIN),
    "outreach_admin:at_risk": Entry(OFFICE_ADMIN),
    "outreach_admin:contacts": Entry(OFFICE_ADMIN),
    "outreach_admin:person": Entry(OFFICE_ADMIN, kwargs=lambda w: {"person_id": w.trainee_a.pk}),
    "outreach_admin:checkin": Entry(OFFICE_ADMIN, kwargs=lambda w: {"person_id": w.trainee_a.pk}),
    "outreach_admin:correct_profile": Entry(OFFICE_ADMIN, kwargs=lambda w: {"person_id": w.trainee_a.pk}),
    "outreach_admin:message_index": Entry(OFFICE_ADMIN),
    "outreach_admin:message_new": Entry(OFFICE_ADMIN),
    "outreach_admin:message": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.office_message.pk}),
    "outreach_admin:class_index": Entry(OFFICE_ADMIN),
    "outreach_admin:class_new": Entry(OFFICE_ADMIN),
    "outreach_admin:class_edit": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.class_session.pk}),
    "outreach_admin:class_attendance": Entry(OFFICE_ADMIN, kwargs=lambda w: {"pk": w.class_session.pk}),
    # pages of our page models (served by wagtail_serve)
    "page:incubator.HomePage": PageEntry(PUBLIC, page=lambda w: w.home),
    "page:incubator.ContentPage": PageEntry(PUBLIC, page=lambda w: w.about),
    "page:courses.CourseIndexPage": PageEntry(PUBLIC, page=lambda w: w.course_index),
    "page:courses.CoursePage": PageEntry(PUBLIC, page=lambda w: w.course),
    "page:courses.LessonPage": PageEntry(PUBLIC, page=lambda w: w.lesson),
    "page:recruitment.RecruitmentIndexPage": PageEntry(PUBLIC, page=lambda w: w.recruit_index),
    "page:recruitment.RecruitmentCampaignPage": PageEntry(PUBLIC, page=lambda w: w.campaign),
    "page:pavilion.PavilionIndexPage": PageEntry(PUBLIC, page=lambda w: w.pavilion),
    "page:pavilion.PavilionProductPage": PageEntry(PUBLIC, page=lambda w: w.pavilion_product),
    # Both trainees applied already: the form sends them to their application.
    "page:recruitment.RecruitmentCampaignPage:apply": PageEntry(
        expect(anonymous=OK, trainee_a=REDIRECT, trainee_b=REDIRECT), page=lambda w: w.campaign, route="apply/"
    ),
}


# --- discovering the patterns ------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name" (the key of ENTRIES)
    route: str  # the full pattern, for messages
    module: str


# The page tree's one view (core.pages.serve, Wagtail's routed our way): covered per page model.
PAGE_VIEW = "wagtail_serve"


def _view_module(callback) -> str:
    view_class = getattr(callback, "view_class", None)
    return (view_class or callback).__module__ or ""


def _walk(resolver, prefix="", namespaces=()):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = namespaces + ((item.namespace,) if item.namespace else ())
            yield from _walk(item, prefix + str(item.pattern), inner)
        elif isinstance(item, URLPattern):
            yield ":".join(namespaces + (item.name or "",)), prefix + str(item.pattern), item.callback


def is_ours(module: str) -> bool:
    return module.split(".")[0] in OUR_PACKAGES


def our_patterns() -> list[Pattern]:
    """Every URL pattern of the resolver whose view is ours, plus one per page model and route."""
    found = []
    for name, route, callback in _walk(get_resolver()):
        module = _view_module(callback)
        if is_ours(module) and name != PAGE_VIEW:
            found.append(Pattern(name=name, route=route, module=module))
    for model in get_page_models():
        if model._meta.app_label not in OUR_APP_LABELS or model._meta.abstract:
            continue
        label = f"{model._meta.app_label}.{model.__name__}"
        found.append(Pattern(name=f"page:{label}", route=f"<{label}>", module=model.__module__))
        get_subpage_urls = getattr(model, "get_subpage_urls", None)
        for sub in get_subpage_urls() if get_subpage_urls else []:
            if str(sub.pattern) not in ("", "^$"):
                found.append(
                    Pattern(name=f"page:{label}:{sub.name}", route=f"<{label}>{sub.pattern}", module=model.__module__)
                )
    # A name registered twice (two routes, one name) is one entry with the first route.
    unique = {}
    for pattern in found:
        unique.setdefault(pattern.name, pattern)
    return list(unique.values())


def third_party_patterns() -> list[tuple[str, str, Callable]]:
    return [(n, r, cb) for n, r, cb in _walk(get_resolver()) if not is_ours(_view_module(cb))]


def login_paths() -> tuple[str, ...]:
    return (reverse("account_login"), reverse("wagtailadmin_login"))


def outcome(response) -> object:
    """A response as one of the matrix's answers (the status code when it is not a redirect)."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"].split("?")[0]
        location = "/" + location.split("://", 1)[-1].split("/", 1)[-1] if "://" in location else location
        return LOGIN if location in login_paths() else REDIRECT
    return response.status_code
