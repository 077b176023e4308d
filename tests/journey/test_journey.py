"""The whole journey in a real browser (issue 7): Chromium, driven by Playwright, against a live
server on PostgreSQL; a phone's viewport for the villager and the mentor, a desktop for the office;
in Chinese. Each step leaves a screenshot in test-artifacts/journey/.

office publishes a campaign (Wagtail admin) → a villager signs up by phone and applies → the
office accepts them and forms a cohort → automatic mentor assignment → the trainee reads lessons,
fails then passes a quiz, uploads a task → the mentor asks for changes → the trainee resubmits →
the mentor approves and recommends → the office approves graduation → the certificate's public
page verifies it → the merchant registers a shop and reports a month's sales → the county
dashboard counts them.
"""

import datetime
import io
import os
import re
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from django.db import connections
from django.utils import timezone

# Playwright's sync API runs an event loop in this thread; the ORM calls below are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journey"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "Orange-Grove-2026"
VILLAGER_PHONE = "13907170001"
STEP_TIMEOUT_MS = 20_000
WHOLE_JOURNEY_SECONDS = 900


class JourneyTimeout(Exception):
    pass


@contextmanager
def watchdog(seconds: int):
    """The journey never hangs: past its time budget it fails, whatever it was waiting for."""

    def expire(signum, frame):
        raise JourneyTimeout(f"the journey took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        # The ORM calls of the journey ran beside Playwright's event loop, in a context whose
        # connection pytest-django's teardown does not see: close it here, or it keeps the
        # test database from being dropped at the end of the run.
        connections.close_all()


def ensure_page_tree():
    """Wagtail's root page and default locale come from migrations; a transactional test before
    this one may have flushed them (the flush re-creates content types and roles, not pages)."""
    from django.conf import settings

    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    from core import roles

    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        roles.sync_role_permissions()  # the office's rights on the page tree hang on the root


@pytest.fixture
def county(transactional_db):
    """What the county has before the journey: places, the site, a course with two lessons, the
    recruitment index, an office clerk and a mentor serving the villager's township."""
    from core import demo as core_demo
    from core import roles
    from core.models import Village
    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from incubator import demo as site_demo
    from incubator.recruitment.models import RecruitmentIndexPage
    from mentors.models import MentorProfile

    ensure_page_tree()
    core_demo.seed_places()
    home = site_demo.seed_site()
    village = Village.objects.select_related("township").get(code="guizhou-1")
    catalogue = CourseIndexPage(title="课程", slug="courses", intro="用手机学开网店。")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    course = CoursePage(
        title="淘宝开店入门", slug="taobao-basics", summary="用手机开一家能成交的淘宝店。", enrolment="cohort"
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()

    def question(text, right, wrong):
        choices = [{"text": right, "correct": True}, {"text": wrong, "correct": False}]
        return ("question", {"text": text, "multiple": False, "choices": choices, "explanation": "看课文第一段。"})

    first = LessonPage(
        title="开店前的准备",
        slug="before-you-open",
        body=[("text", "<p>想清楚卖什么、卖给谁、货从哪里来。</p>")],
        quiz=[question("刚开店时先卖什么？", "最熟悉的一两样产品", "什么都卖")],
        quiz_pass_percent=100,
    )
    course.add_child(instance=first)
    first.save_revision().publish()
    second = LessonPage(
        title="拍好商品主图",
        slug="main-photo",
        body=[("text", "<p>白天靠窗拍，背景干净。</p>")],
        quiz=[question("主图最好在哪里拍？", "白天靠窗", "夜里关灯")],
        quiz_pass_percent=100,
        task_title="拍一张主图",
        task_instructions="<p>按课上的方法拍一张主图并上传。</p>",
        task_min_files=1,
    )
    course.add_child(instance=second)
    second.save_revision().publish()
    recruit = RecruitmentIndexPage(title="招募活动", slug="recruit", intro="县电商办常年招募网商学员。")
    home.add_child(instance=recruit)
    recruit.save_revision().publish()

    office = core_demo.ensure_person(email="office@journey.local", real_name="周文静", role=roles.OFFICE)
    mentor = core_demo.ensure_person(
        email="mentor@journey.local", phone="+8613907170002", real_name="覃志刚", role=roles.MENTOR, village=village
    )
    profile = MentorProfile.objects.create(user=mentor, capacity=5, bio="十年网店经验。")
    profile.townships.set([village.township])
    return {
        "village": village,
        "course": course,
        "lessons": [first, second],
        "recruit": recruit,
        "office": office,
        "mentor": mentor,
        "password": core_demo.DEMO_PASSWORD,
    }


class Journey:
    """Screens and a little bookkeeping shared by the steps."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.step_number = 0
        self.csp_violations = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()

    def person(self, *, phone: bool):
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale="zh-CN",
            is_mobile=phone,
            has_touch=phone,
            base_url=self.base_url,
            accept_downloads=False,
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(STEP_TIMEOUT_MS * 2)
        page = context.new_page()
        page.on("console", self._note_csp_violation)
        return page

    def _note_csp_violation(self, message):
        # The policy is enforced outside the admin: any refusal there means a broken page.
        text = message.text
        if "Content Security Policy" in text and "report-only" not in text and "[Report Only]" not in text:
            self.csp_violations.append(text)

    @contextmanager
    def step(self, name: str, page):
        self.step_number += 1
        try:
            yield
        except BaseException as exc:
            exc.add_note(f"journey step {self.step_number} failed: {name} (screenshot in {ARTIFACTS})")
            page.screenshot(path=str(ARTIFACTS / f"{self.step_number:02d}-{name}-FAILED.png"), full_page=True)
            raise
        page.screenshot(path=str(ARTIFACTS / f"{self.step_number:02d}-{name}.png"), full_page=True)

    @staticmethod
    def submit(page, button):
        with page.expect_navigation():
            button.click()
        assert page.locator("body").count() == 1


def sign_in(page, login: str, password: str):
    page.goto("/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    Journey.submit(page, page.locator("main form[method=post] [type=submit]").first)
    assert "/accounts/login/" not in page.url, page.locator(".errorlist, .alert").all_inner_texts()


def photo(name: str) -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 320), (236, 140, 32)).save(buffer, "JPEG", quality=70)
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def answer_quiz(page, lesson, *, right: bool):
    for item in lesson.questions:
        choice = next(c for c in item["choices"] if c["correct"] == right)
        page.check(f'input[name="q_{item["key"]}"][value="{choice["key"]}"]')
    Journey.submit(page, page.locator("#quiz form [type=submit]"))


def set_up_authenticator_app(page, password: str):
    """The office's first visit with STAFF_MFA_REQUIRED on: the admin sends them to set up a
    second factor; they confirm their password, then type the app's code (computed here from the
    secret allauth keeps in their session, as the phone's app would from the QR code)."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, hotp_value

    from django.contrib.sessions.backends.cached_db import SessionStore

    page.goto("/admin/")
    assert "/accounts/2fa/" in page.url, page.url
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.fill("#id_password", password)
        Journey.submit(page, page.locator("main form[method=post] [type=submit]").first)
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    secret = SessionStore(session_key=session_key)[SECRET_SESSION_KEY]
    page.fill("#id_code", f"{hotp_value(secret, int(timezone.now().timestamp()) // 30):06d}")
    Journey.submit(page, page.locator("main form[method=post] [type=submit]").first)
    page.goto("/admin/")
    assert page.url.rstrip("/").endswith("/admin"), page.url


def test_the_whole_journey_from_campaign_to_county_dashboard(chromium, county, live_server, settings):
    from core import sms
    from core.models import User
    from courses.models import TaskSubmission
    from incubator.merchants.models import Certificate, SalesReport, Shop
    from incubator.merchants.selectors.dashboard import funnel
    from incubator.recruitment.models import Application, Cohort, RecruitmentCampaignPage, TraineeProfile
    from mentors.models import GraduationRecommendation, MentorAssignment

    journey = Journey(chromium, live_server.url)
    office = journey.person(phone=False)
    villager = journey.person(phone=True)
    mentor = journey.person(phone=True)
    visitor = journey.person(phone=True)
    first_lesson, second_lesson = county["lessons"]
    now = timezone.localtime()

    # As in production: office staff must have a second factor before the admin answers.
    settings.STAFF_MFA_REQUIRED = True

    with watchdog(WHOLE_JOURNEY_SECONDS):
        # 0. The office signs in and sets up an authenticator app, as the admin requires.
        with journey.step("office-sets-up-two-factor", office):
            sign_in(office, "office@journey.local", county["password"])
            set_up_authenticator_app(office, county["password"])

        # 1. The office publishes a campaign in the Wagtail admin.
        with journey.step("office-publishes-campaign", office):
            office.goto(f"/admin/pages/add/recruitment/recruitmentcampaignpage/{county['recruit'].pk}/")
            office.fill("#id_title", "2026年冬季网商学员招募")
            office.fill("#id_intro", "把自家的脐橙卖到全国：免费培训，导师帮扶。")
            office.fill("#id_opens_at", f"{now - datetime.timedelta(days=1):%Y-%m-%d %H:%M}")
            office.fill("#id_closes_at", f"{now + datetime.timedelta(days=30):%Y-%m-%d %H:%M}")
            office.fill("#id_quota", "30")
            # Wagtail fills the slug from the title (debounced): let it, then set ours.
            office.wait_for_function("document.querySelector('#id_slug').value !== ''")
            office.evaluate("document.querySelector('#id_slug').value = 'winter-2026'")
            with office.expect_navigation():
                office.evaluate("document.querySelector('button[name=action-publish]').click()")
            campaign = RecruitmentCampaignPage.objects.live().get(slug="winter-2026")
            office.goto(campaign.get_url())
            assert "2026年冬季网商学员招募" in office.inner_text("h1")

        # 2. A villager signs up with a phone number and the SMS code.
        with journey.step("villager-signs-up", villager):
            villager.goto("/accounts/signup/")
            villager.fill("#id_real_name", "向小梅")
            villager.fill("#id_phone", VILLAGER_PHONE)
            villager.fill("#id_password1", PASSWORD)
            villager.fill("#id_password2", PASSWORD)
            Journey.submit(villager, villager.locator("main form[method=post] [type=submit]").first)
            phone, message = sms.outbox[-1]
            assert phone == f"+86{VILLAGER_PHONE}"
            code = re.search(r"\d{6}", message).group(0)
            villager.fill("#id_code", code)
            Journey.submit(villager, villager.locator("main form[method=post] [type=submit]").first)
            person = User.objects.get(phone=f"+86{VILLAGER_PHONE}")
            assert person.phone_verified

        # 3. ... and applies to the campaign.
        with journey.step("villager-applies", villager):
            villager.goto(campaign.get_url())
            with villager.expect_navigation():
                villager.locator(f'a[href$="{campaign.get_url()}apply/"]').first.click()
            villager.select_option("#id_village", str(county["village"].pk))
            villager.locator('input[name="products"]').first.check()
            villager.locator('input[name="online_experience"]').first.check()
            Journey.submit(villager, villager.locator("main form[method=post] [type=submit]").first)
            application = Application.objects.get(campaign=campaign, applicant=person)
            assert application.status == Application.Status.SUBMITTED

        # 4. The office forms a cohort, accepts the application and adds the villager to the cohort.
        with journey.step("office-accepts-and-forms-cohort", office):
            office.goto("/admin/snippets/recruitment/cohort/add/")
            # The campaign field is Wagtail's page chooser (a modal over a hidden input): set what it would.
            office.evaluate(f"document.querySelector('#id_campaign').value = '{campaign.pk}'")
            office.fill("#id_name", "2026冬季班")
            office.fill("#id_starts_on", f"{now:%Y-%m-%d}")
            office.fill("#id_ends_on", f"{now + datetime.timedelta(days=60):%Y-%m-%d}")
            office.check(f'input[name="required_courses"][value="{county["course"].pk}"]')
            office.uncheck("#id_requires_shop")
            with office.expect_navigation():
                office.evaluate("document.querySelector('main form[method=post] button[type=submit]').click()")
            cohort = Cohort.objects.get(campaign=campaign, name="2026冬季班")
            office.goto(f"/admin/recruitment/applications/{application.pk}/")
            office.select_option("#id_status", "accepted")
            Journey.submit(office, office.locator('form:has(input[name="action"][value="status"]) [type=submit]'))
            office.select_option("#id_cohort", str(cohort.pk))
            Journey.submit(office, office.locator('form:has(input[name="action"][value="cohort"]) [type=submit]'))
            profile = TraineeProfile.objects.get(user=person)
            assert (profile.stage, profile.cohort_id) == (TraineeProfile.Stage.TRAINEE, cohort.pk)

        # 5. Automatic mentor assignment, proposed and saved by the office.
        with journey.step("automatic-mentor-assignment", office):
            office.goto(f"/admin/mentors/assign/groups/cohort-{cohort.pk}/propose/")
            assert "覃志刚" in office.inner_text("main")
            Journey.submit(office, office.locator("main form[method=post] button[type=submit]").first)
            assert MentorAssignment.objects.active().get(trainee=person).mentor == county["mentor"]

        # 6. The trainee reads the lessons, fails then passes a quiz, and uploads the task.
        with journey.step("trainee-fails-a-quiz", villager):
            villager.goto("/me/learning/")
            assert "淘宝开店入门" in villager.inner_text("main")
            villager.goto(first_lesson.get_url())
            answer_quiz(villager, first_lesson, right=False)
            assert villager.locator("#quiz .alert-warning:not(.needs-network-note)").count() == 1
        with journey.step("trainee-passes-the-quiz", villager):
            answer_quiz(villager, first_lesson, right=True)
            assert villager.locator("#quiz .alert-success").count() == 1
        with journey.step("trainee-uploads-the-task", villager):
            villager.goto(second_lesson.get_url())
            answer_quiz(villager, second_lesson, right=True)
            villager.fill("#task textarea[name=text]", "主图拍好了，请老师看看。")
            villager.set_input_files("#task input[type=file]", photo("main-photo.jpg"))
            Journey.submit(villager, villager.locator("#task form [type=submit]"))
            submission = TaskSubmission.objects.get(user=person, lesson=second_lesson)
            assert submission.status == TaskSubmission.Status.SUBMITTED and submission.files.count() == 1

        # 7. The mentor asks for changes.
        with journey.step("mentor-asks-for-changes", mentor):
            sign_in(mentor, "mentor@journey.local", county["password"])
            mentor.goto("/mentor/")
            assert "向小梅" in mentor.inner_text("main")
            mentor.goto(f"/mentor/submissions/{submission.pk}/")
            mentor.check('input[name="decision"][value="changes"]')
            mentor.fill("textarea[name=feedback]", "背景再干净一点，把果子摆在前面。")
            Journey.submit(mentor, mentor.locator("main form[method=post] [type=submit]").first)
            submission.refresh_from_db()
            assert submission.status == TaskSubmission.Status.CHANGES_REQUESTED

        # 8. The trainee reads the feedback and resubmits.
        with journey.step("trainee-resubmits", villager):
            villager.goto(second_lesson.get_url())
            assert "背景再干净一点" in villager.inner_text("#task")
            villager.fill("#task textarea[name=text]", "换了白色背景重拍。")
            villager.set_input_files("#task input[type=file]", photo("main-photo-2.jpg"))
            Journey.submit(villager, villager.locator("#task form [type=submit]"))
            submission.refresh_from_db()
            assert (submission.status, submission.round) == (TaskSubmission.Status.SUBMITTED, 2)

        # 9. The mentor approves the work and recommends the trainee for graduation.
        with journey.step("mentor-approves-and-recommends", mentor):
            mentor.goto(f"/mentor/submissions/{submission.pk}/")
            mentor.check('input[name="decision"][value="approve"]')
            mentor.fill("textarea[name=feedback]", "很好，可以上架了。")
            Journey.submit(mentor, mentor.locator("main form[method=post] [type=submit]").first)
            submission.refresh_from_db()
            assert submission.status == TaskSubmission.Status.APPROVED
            mentor.goto(f"/mentor/trainees/{person.pk}/recommend/")
            mentor.fill("textarea[name=note]", "课程和实操都完成了，可以结业。")
            Journey.submit(mentor, mentor.locator("main form[method=post] [type=submit]").first)
            assert GraduationRecommendation.objects.active().filter(trainee=person).exists()

        # 10. The office approves the graduation; a certificate is issued.
        with journey.step("office-approves-graduation", office):
            office.goto(f"/admin/county/graduation/{cohort.pk}/")
            assert office.locator(f'input[name="profile"][value="{profile.pk}"]').is_checked()
            Journey.submit(office, office.locator("main form[method=post] button[type=submit]").first)
            profile.refresh_from_db()
            assert profile.stage == TraineeProfile.Stage.GRADUATE
            certificate = Certificate.objects.valid().get(holder=person)

        # 11. Anyone can verify the certificate on its public page.
        with journey.step("certificate-verifies", visitor):
            visitor.goto(certificate.get_absolute_url())
            text = visitor.inner_text("main")
            assert "向小梅" in text and certificate.code in text

        # 12. The new merchant registers a shop and reports a month's sales.
        with journey.step("merchant-registers-a-shop", villager):
            villager.goto("/me/shops/new/")
            villager.select_option("#id_platform", "taobao")
            villager.fill("#id_name", "老向家脐橙")
            villager.fill("#id_url", "https://laoxiang.taobao.com/")
            villager.fill("#id_opened_on", f"{now - datetime.timedelta(days=40):%Y-%m-%d}")
            Journey.submit(villager, villager.locator("main form[method=post] [type=submit]").first)
            shop = Shop.objects.get(owner=person)
        with journey.step("merchant-reports-sales", villager):
            villager.goto(f"/me/shops/{shop.pk}/")
            form = villager.locator('main form[action$="/reports/new/"]')
            # The month just over (the current one is refused until it ends).
            this_month = (now.date().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
            form.locator("#id_month").fill(f"{this_month:%Y-%m}")
            form.locator("#id_orders").fill("42")
            form.locator("#id_sales").fill("3680.50")
            Journey.submit(villager, form.locator("[type=submit]"))
            report = SalesReport.objects.get(shop=shop, month=this_month)
            assert (report.orders, str(report.sales)) == (42, "3680.50")

        # 13. The office verifies the month (only verified months count), then the dashboard counts it.
        with journey.step("office-verifies-the-month", office):
            office.goto(f"/admin/county/reports/{report.pk}/")
            Journey.submit(office, office.locator('main form:has(input[value="verify"]) [type=submit]'))
            report.refresh_from_db()
            assert report.status == SalesReport.Status.VERIFIED
        with journey.step("county-dashboard-counts-them", office):
            office.goto("/admin/county/")
            text = office.inner_text("main")
            assert "3680" in text.replace(",", "")
            profile.refresh_from_db()
            assert profile.stage == TraineeProfile.Stage.MERCHANT  # the first sales report made them active
            funnel = {key: count for key, _label, count in funnel()}
            assert set(funnel.values()) == {1}, funnel  # applied, accepted, trained, graduated, active: one each

        # The whole way, no page outside the admin broke the Content-Security-Policy.
        assert journey.csp_violations == [], journey.csp_violations
