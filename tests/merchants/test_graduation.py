"""Graduation: who is eligible, exactly what is missing for the others, approval one or in bulk."""

import datetime

import pytest

from django.urls import reverse

from core.models import Notification
from incubator.merchants.models import Certificate
from incubator.merchants.selectors.graduation import graduation_statuses
from incubator.merchants.services.graduation import approve_graduations
from tests.factories import MentorFactory, OfficeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory

from .factories import (
    ShopFactory,
    approve_task,
    complete_lesson,
    make_cohort,
    make_profile,
    recommend,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CoursePageFactory(title="开网店入门")
    lessons = [
        LessonPageFactory(parent=course, title="选品与定价"),
        LessonPageFactory(parent=course, title="拍出好照片", task="<p>上传你的作业</p>"),
    ]
    course.refresh_from_db()
    return course, lessons


@pytest.fixture
def cohort(course):
    return make_cohort(name="2025年春季班", courses=[course[0]], requires_shop=True)


def ready(profile, course, mentor):
    """Everything done: lessons complete, task approved, recommended, a shop."""
    page, lessons = course
    for lesson in lessons:
        complete_lesson(user=profile.user, lesson=lesson, course=page)
    approve_task(user=profile.user, lesson=lessons[1], reviewer=mentor)
    recommend(trainee=profile.user, mentor=mentor)
    ShopFactory(owner=profile.user)


def test_eligibility_names_each_missing_requirement(cohort, course):
    profile = make_profile(cohort=cohort)
    status = graduation_statuses(profiles=[profile])[profile.pk]
    assert not status.is_eligible
    assert status.missing == [
        "课程“开网店入门”未学完（已完成 0 / 2 课）",
        "实操任务“拍出好照片”未通过",
        "没有导师推荐",
        "没有登记网店",
    ]


def test_eligibility_after_partial_progress(cohort, course):
    page, lessons = course
    mentor = MentorFactory()
    profile = make_profile(cohort=cohort)
    complete_lesson(user=profile.user, lesson=lessons[0], course=page)
    recommend(trainee=profile.user, mentor=mentor)
    status = graduation_statuses(profiles=[profile])[profile.pk]
    assert status.missing == ["课程“开网店入门”未学完（已完成 1 / 2 课）", "实操任务“拍出好照片”未通过", "没有登记网店"]


def test_a_shop_is_not_required_when_the_cohort_says_so(course):
    cohort = make_cohort(name="不要求网店班", courses=[course[0]], requires_shop=False)
    mentor = MentorFactory()
    profile = make_profile(cohort=cohort)
    page, lessons = course
    for lesson in lessons:
        complete_lesson(user=profile.user, lesson=lesson, course=page)
    approve_task(user=profile.user, lesson=lessons[1])
    recommend(trainee=profile.user, mentor=mentor)
    status = graduation_statuses(profiles=[profile])[profile.pk]
    assert status.is_eligible
    assert status.recommended_by == mentor


def test_approving_graduates_issues_a_certificate_and_makes_a_shop_owner_a_merchant(
    cohort, course, django_capture_on_commit_callbacks
):
    office = OfficeFactory()
    mentor = MentorFactory()
    profile = make_profile(cohort=cohort)
    ready(profile, course, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        result = approve_graduations(profiles=[profile], by=office, today=datetime.date(2026, 6, 30))
    assert result.approved == [profile] and result.refused == []
    profile.refresh_from_db()
    assert profile.stage == "merchant"  # graduate, then merchant: the person has a shop
    assert list(profile.stage_changes.values_list("to_stage", flat=True)) == ["graduate", "merchant"]
    certificate = Certificate.objects.get(holder=profile.user)
    assert certificate.cohort == cohort
    assert certificate.cohort_name == "2025年春季班"
    assert certificate.course_titles == ["开网店入门"]
    assert certificate.issued_on == datetime.date(2026, 6, 30)
    assert len(certificate.code) == 14 and certificate.code.isalnum() and certificate.code.isupper()
    assert certificate.pdf  # made by the (eager) Celery task on commit
    assert Notification.objects.filter(recipient=profile.user, kind="graduated").exists()


def test_an_ineligible_trainee_is_refused_with_the_reason(cohort, course):
    profile = make_profile(cohort=cohort)
    profile.user.real_name = "向小梅"
    profile.user.save()
    result = approve_graduations(profiles=[profile], by=OfficeFactory())
    assert result.approved == []
    assert [message for _p, message in result.refused] == [
        "向小梅 还不能结业：课程“开网店入门”未学完（已完成 0 / 2 课）；实操任务“拍出好照片”未通过；没有导师推荐；没有登记网店"
    ]
    profile.refresh_from_db()
    assert profile.stage == "trainee"
    assert not Certificate.objects.exists()


def test_the_office_sees_the_cohort_and_approves_in_bulk(client, cohort, course, django_assert_num_queries):
    office = OfficeFactory()
    mentor = MentorFactory()
    ready_ones = [make_profile(cohort=cohort) for _ in range(2)]
    for profile in ready_ones:
        ready(profile, course, mentor)
    waiting = make_profile(cohort=cohort)
    client.force_login(office)
    url = reverse("merchants_admin:graduation_cohort", args=[cohort.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "没有导师推荐" in response.text
    assert response.text.count('name="profile"') == 2

    response = client.post(url, {"profile": [p.pk for p in ready_ones] + [waiting.pk]})
    assert response.status_code == 302
    assert Certificate.objects.count() == 2
    waiting.refresh_from_db()
    assert waiting.stage == "trainee"


def test_the_graduation_page_queries_do_not_grow_with_the_cohort(client, cohort, course, django_assert_num_queries):
    office = OfficeFactory()
    client.force_login(office)
    url = reverse("merchants_admin:graduation_cohort", args=[cohort.pk])
    make_profile(cohort=cohort)
    client.get(url)
    with django_assert_num_queries(QUERIES_GRADUATION):
        client.get(url)
    mentor = MentorFactory()
    for _ in range(5):
        ready(make_profile(cohort=cohort), course, mentor)
    with django_assert_num_queries(QUERIES_GRADUATION):
        response = client.get(url)
    assert response.text.count('name="profile"') == 5


def test_graduation_pages_are_for_the_office_only(client, cohort):
    client.force_login(MentorFactory(is_staff=True))
    assert (
        client.get(reverse("merchants_admin:graduation_cohort", args=[cohort.pk])).status_code == 302
    )  # no admin access: Wagtail sends them to its login


# 5 of them are the person (their row; roles, permissions and Wagtail's rows in one) and the
# admin's furniture.
QUERIES_GRADUATION = 16


def test_the_cohort_list_counts_who_is_waiting_and_who_graduated(client, cohort):
    make_profile(cohort=cohort, stage="trainee")
    make_profile(cohort=cohort, stage="merchant")
    make_profile(cohort=cohort, stage="graduate")
    client.force_login(OfficeFactory())
    response = client.get(reverse("merchants_admin:graduation"))
    assert response.status_code == 200
    row = response.text.split("2025年春季班")[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]] == ["1", "2"]
