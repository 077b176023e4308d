"""Page factories (wagtail-factories) for the site's page tree: home, course catalogue, courses,
lessons, the recruitment index and campaigns.

Each factory puts its page under the right parent by default (creating the home page, the
catalogue or the recruitment index on first use) and publishes a revision, as an editor would;
`live=False` saves a draft revision instead. Pass `parent=` to place a page elsewhere.
"""

from datetime import timedelta

import factory
import wagtail_factories

from django.utils import timezone

from wagtail.models import Page, Site

from courses.models import CourseIndexPage, CoursePage, LessonPage
from incubator.models import HomePage
from incubator.recruitment.models import RecruitmentCampaignPage, RecruitmentIndexPage


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page added under its parent, then published (or saved as a draft with `live=False`)."""

    class Meta:
        abstract = True

    live = True

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        page = super()._create_instance(model_class, parent, kwargs)
        revision = page.save_revision()
        if page.live:
            revision.publish()
        return model_class.objects.get(pk=page.pk)


class HomePageFactory(PublishedPageFactory):
    class Meta:
        model = HomePage

    parent = factory.LazyFunction(Page.get_first_root_node)
    title = "首页"
    slug = factory.Sequence(lambda n: f"home-{n}")


def home_page() -> HomePage:
    """The site's home page (made, and made the default site's root, on first use)."""
    home = HomePage.objects.first()
    if home is None:
        if Page.get_first_root_node() is None:
            Page.add_root(title="Root", slug="root")
        home = HomePageFactory()
        Site.objects.update_or_create(
            is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
        )
    return home


class CourseIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = CourseIndexPage

    parent = factory.LazyFunction(home_page)
    title = "课程"
    slug = "courses"


def course_catalogue() -> CourseIndexPage:
    """The course catalogue at /courses/ (one per site)."""
    return CourseIndexPage.objects.first() or CourseIndexPageFactory()


class CoursePageFactory(PublishedPageFactory):
    class Meta:
        model = CoursePage

    parent = factory.LazyFunction(course_catalogue)
    title = factory.Sequence(lambda n: f"课程{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    summary = factory.Sequence(lambda n: f"第{n}门课的简介")
    summary_en = factory.Sequence(lambda n: f"Summary of course {n}")


def quiz_question(
    text="脐橙应该怎么包装？", *, multiple=False, choices=(("用网套和隔板", True), ("直接堆在箱子里", False))
):
    """One question block of a lesson's quiz."""
    return (
        "question",
        {
            "text": text,
            "multiple": multiple,
            "choices": [{"text": label, "correct": right} for label, right in choices],
            "explanation": "果子在箱内晃动会碰伤。",
        },
    )


class LessonPageFactory(PublishedPageFactory):
    """A lesson of `parent` (a course: required). `task="<p>…</p>"` gives it a practical task."""

    class Meta:
        model = LessonPage

    class Params:
        task = ""

    title = factory.Sequence(lambda n: f"第{n}课")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    estimated_minutes = 10
    body = factory.LazyFunction(
        lambda: [("text", "<p>课文内容</p>"), ("callout", {"kind": "tip", "text": "<p>小提示</p>"})]
    )
    quiz = factory.LazyFunction(list)
    task_title = factory.LazyAttribute(lambda o: "实操任务" if o.task else "")
    task_instructions = factory.LazyAttribute(lambda o: o.task)


def course_with_lessons(*, lessons=2, tasks=True, **course_values) -> CoursePage:
    """A live course with `lessons` live lessons, each with a practical task when `tasks`."""
    course = CoursePageFactory(**course_values)
    for _ in range(lessons):
        LessonPageFactory(parent=course, task="<p>开一个网店</p>" if tasks else "")
    course.refresh_from_db()
    return course


def site_root() -> Page:
    """The default site's root page (the one Wagtail's migrations make, or the home page)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:  # a transactional test flushed the tree that migrations made
        return home_page()
    return site.root_page


class RecruitmentIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = RecruitmentIndexPage

    parent = factory.LazyFunction(site_root)
    title = "招募活动"
    slug = "recruit"


def recruitment_index() -> RecruitmentIndexPage:
    """The recruitment index at /recruit/ (one per site)."""
    return RecruitmentIndexPage.objects.first() or RecruitmentIndexPageFactory()


class RecruitmentCampaignPageFactory(PublishedPageFactory):
    """A campaign open for applications now (override opens_at/closes_at/quota as needed)."""

    class Meta:
        model = RecruitmentCampaignPage

    parent = factory.LazyFunction(recruitment_index)
    title = factory.Sequence(lambda n: f"招募活动{n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    quota = 10
