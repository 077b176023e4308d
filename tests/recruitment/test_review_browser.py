"""The office's day in Debian's Chromium (issue 19): every bulk decision of the applications
listing, ticked, chosen and sent with 执行, says what it will do and to how many, then reports
what it did and what it skipped and why; what is missing is said in the page; and a round of
"more information requested" goes from the office to the applicant and back."""

import pytest

from django.db import connections
from django.utils.translation import gettext

from incubator.recruitment.models import Application, InformationRequest, ReviewerAssignment, TraineeProfile
from incubator.recruitment.services.information import request_information
from tests.factories import OfficeFactory, UserFactory

from .factories import CohortFactory, make_application, make_campaign

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
LIST_URL = "/admin/recruitment/applications/"
Status = Application.Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(chromium, live_server):
    yield chromium, live_server.url
    # The live server's threads leave connections the test database's teardown would wait on.
    connections.close_all()


@pytest.fixture(autouse=True)
def _page_tree(transactional_db):
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="zh-hans")


def signed_in(browser, person, *, phone=False):
    chromium, base = browser
    viewport = {"width": 360, "height": 740} if phone else {"width": 1366, "height": 900}
    context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=base)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_login", person.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").first.click()
    assert "/accounts/login/" not in page.url
    return page


def tick_and_apply(page, applications, action, *, cohort=None, reviewers=()):
    page.goto(LIST_URL)
    for application in applications:
        page.check(f'input[name=ids][value="{application.pk}"]')
    page.select_option("#bulk-action", action)
    if cohort is not None:
        page.select_option("#bulk-cohort", str(cohort.pk))
    if reviewers:
        page.locator("details.rec-reviewers summary").click()
        for person in reviewers:
            page.check(f'input[name=reviewers][value="{person.pk}"]')
    with page.expect_navigation():
        page.click(".rec-bulk button[type=submit]")


def confirm(page):
    with page.expect_navigation():
        page.click("#bulk-confirm")
    return page.locator(".messages").inner_text()


def summary(action_label, done, skipped, total):
    return gettext("%(action)s: %(done)d done, %(skipped)d skipped (of %(total)d selected).") % {
        "action": action_label,
        "done": done,
        "skipped": skipped,
        "total": total,
    }


STATUS_CASES = [
    # action, its label, the status reached, a status that cannot take it
    ("shortlist", "Shortlist", Status.SHORTLISTED, Status.REJECTED),
    ("interview", "Invite to interview", Status.INTERVIEW, Status.WITHDRAWN),
    ("waitlist", "Waitlist", Status.WAITLISTED, Status.ACCEPTED),
    ("reject", "Reject", Status.REJECTED, Status.ACCEPTED),
]


@pytest.mark.parametrize(("action", "label", "reached", "refusing"), STATUS_CASES)
def test_a_status_decision_says_what_it_will_do_then_reports(browser, action, label, reached, refusing):
    office = OfficeFactory()
    campaign = make_campaign()
    fresh = [make_application(campaign=campaign) for _ in range(2)]
    stuck = make_application(campaign=campaign, status=refusing)
    page = signed_in(browser, office)
    tick_and_apply(page, [*fresh, stuck], action)

    preview = page.locator("#bulk-preview").inner_text()
    assert "2" in page.locator("#bulk-will-do").inner_text()
    assert stuck.real_name in preview and "1" in page.locator("#bulk-will-skip").inner_text()
    assert Application.objects.filter(status=reached).count() == (1 if refusing == reached else 0)

    report = confirm(page)
    assert summary(gettext(label), 2, 1, 3) in report
    assert stuck.real_name in report
    assert {a.status for a in Application.objects.filter(pk__in=[a.pk for a in fresh])} == {reached}
    assert Application.objects.get(pk=stuck.pk).status == refusing


def test_accepting_with_a_cohort_fills_the_places_and_skips_the_rest(browser):
    office = OfficeFactory()
    campaign = make_campaign(quota=2)
    cohort = CohortFactory(campaign=campaign)
    rows = [make_application(campaign=campaign) for _ in range(3)]
    page = signed_in(browser, office)
    tick_and_apply(page, rows, "accept", cohort=cohort)
    assert "2" in page.locator("#bulk-will-do").inner_text()
    assert gettext("the campaign's places are all taken") in page.locator("#bulk-preview").inner_text()
    assert page.locator("input[name=confirm_over_quota]").count() == 1  # the office may go past the quota
    report = confirm(page)
    assert summary(gettext("Accept"), 2, 1, 3) in report
    assert gettext("the campaign's places are all taken") in report
    assert TraineeProfile.objects.filter(cohort=cohort).count() == 2


def test_adding_to_a_cohort_says_what_is_missing_then_does_it(browser):
    office = OfficeFactory()
    cohort = CohortFactory()
    accepted = [make_application(campaign=cohort.campaign, status=Status.ACCEPTED) for _ in range(2)]
    waiting = make_application(campaign=cohort.campaign, status=Status.WAITLISTED)
    page = signed_in(browser, office)

    # Nothing ticked: said in the page, not by a browser bubble.
    page.goto(LIST_URL)
    page.select_option("#bulk-action", "cohort")
    with page.expect_navigation():
        page.click(".rec-bulk button[type=submit]")
    assert gettext("Select at least one application: tick its row first.") in page.locator("#bulk-errors").inner_text()

    # No cohort chosen: said in the page, the rows still ticked.
    tick_and_apply(page, [*accepted, waiting], "cohort")
    assert gettext("Choose the cohort to add the selected applicants to.") in page.locator("#bulk-errors").inner_text()
    assert page.is_checked(f'input[name=ids][value="{waiting.pk}"]')
    assert page.input_value("#bulk-action") == "cohort"
    page.select_option("#bulk-cohort", str(cohort.pk))
    with page.expect_navigation():
        page.click(".rec-bulk button[type=submit]")
    assert "2" in page.locator("#bulk-will-do").inner_text()
    report = confirm(page)
    assert summary(gettext("Add to cohort"), 2, 1, 3) in report
    assert waiting.real_name in report
    assert TraineeProfile.objects.filter(cohort=cohort).count() == 2


def test_assigning_reviewers_in_bulk(browser):
    office, colleague = OfficeFactory(), OfficeFactory(real_name="覃评审")
    rows = [make_application() for _ in range(3)]
    page = signed_in(browser, office)
    tick_and_apply(page, rows, "assign")
    assert gettext("Choose at least one reviewer.") in page.locator("#bulk-errors").inner_text()
    tick_and_apply(page, rows, "assign", reviewers=[colleague])
    assert "3" in page.locator("#bulk-will-do").inner_text()
    report = confirm(page)
    assert summary(gettext("Assign reviewers"), 3, 0, 3) in report
    assert ReviewerAssignment.objects.filter(reviewer=colleague).count() == 3
    # The colleague finds them under "assigned to me", with the reviewers shown in the row.
    page = signed_in(browser, colleague)
    page.goto(LIST_URL + "?mine=true")
    for application in rows:
        assert page.locator(f'input[name=ids][value="{application.pk}"]').count() == 1
    assert "覃评审" in page.locator("table.listing").inner_text()


def test_more_information_round_trip(browser):
    office = OfficeFactory()
    applicant = UserFactory(real_name="向阿香")
    application = make_application(applicant=applicant, real_name="向阿香", products_note="脐橙")

    # The office asks, on the application's page.
    desk = signed_in(browser, office)
    desk.goto(f"{LIST_URL}{application.pk}/")
    desk.fill("#ask-question textarea[name=question]", "请问家里有多少棵脐橙树？")
    with desk.expect_navigation():
        desk.click("#ask-question button[type=submit]")
    assert Application.objects.get(pk=application.pk).status == Status.INFO_REQUESTED

    # The applicant, on a phone, sees the question, answers, changes a field and sends again.
    phone = signed_in(browser, applicant, phone=True)
    phone.goto(f"/me/applications/{application.pk}/")
    assert "请问家里有多少棵脐橙树？" in phone.locator("#office-question").inner_text()
    with phone.expect_navigation():
        phone.click("#office-question a.button")
    phone.fill("#id_products_note", "脐橙200棵")
    with phone.expect_navigation():
        phone.click("main form[data-needs-network] button[type=submit]")
    # the answer is required: said in the page, with what was typed kept
    assert phone.input_value("#id_products_note") == "脐橙200棵"
    assert phone.locator(".field-error #id_answer").count() == 1
    phone.fill("#id_answer", "一共200棵，年产两万斤。")
    with phone.expect_navigation():
        phone.click("main form[data-needs-network] button[type=submit]")
    assert phone.url.endswith(f"/me/applications/{application.pk}/")
    assert "一共200棵，年产两万斤。" in phone.content()

    # The office sees the answer and the changed field.
    desk.goto(f"{LIST_URL}{application.pk}/")
    text = desk.locator("main").inner_text()
    assert "一共200棵，年产两万斤。" in text and "脐橙200棵" in text
    round_ = InformationRequest.objects.get(application=application)
    assert round_.answered_at is not None and not round_.is_open
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_question_without_text_is_refused_in_the_page(browser):
    office = OfficeFactory()
    application = make_application()
    request_information(application=application, question="先问一个", by=office)
    page = signed_in(browser, office)
    page.goto(f"{LIST_URL}{application.pk}/")
    # one round open: no second question until it is answered
    assert page.locator("#ask-question").count() == 0
    assert "先问一个" in page.locator("main").inner_text()
