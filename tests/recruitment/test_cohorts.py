"""Cohorts: accepted applicants become trainees with enrolments; the stage changes only through one service."""

import pytest

from django.core.exceptions import ValidationError

from core import roles
from courses.models import Enrollment
from incubator.recruitment.models import Application, StageChange, TraineeProfile
from incubator.recruitment.services.trainees import add_to_cohort, change_stage, enroll_cohort_in_new_courses
from incubator.recruitment.services.transitions import InvalidTransition
from tests.factories import UserFactory
from tests.pages_factories import CoursePageFactory

from .factories import CohortFactory, make_application, make_campaign, product

pytestmark = pytest.mark.django_db
Status = Application.Status
Stage = TraineeProfile.Stage


def test_adding_an_accepted_applicant_makes_a_trainee_enrolled_in_every_required_course(office):
    campaign = make_campaign()
    courses = [CoursePageFactory(title="开网店入门"), CoursePageFactory(title="拍出好图")]
    cohort = CohortFactory(campaign=campaign)
    cohort.required_courses.set(courses)
    application = make_application(campaign=campaign, status=Status.ACCEPTED, poor_household=True, products=[product()])
    profile = add_to_cohort(application=application, cohort=cohort, by=office)
    user = application.applicant
    assert (profile.stage, profile.cohort, profile.village, profile.poor_household) == (
        Stage.TRAINEE,
        cohort,
        application.village,
        True,
    )
    assert [p.slug for p in profile.products.all()] == ["navel-orange"]
    assert roles.has_role(user, roles.TRAINEE)
    assert set(Enrollment.objects.filter(user=user, source="cohort").values_list("course_id", flat=True)) == {
        c.pk for c in courses
    }
    assert list(profile.stage_changes.values_list("from_stage", "to_stage")) == [
        ("", "applicant"),
        ("applicant", "trainee"),
    ]
    # adding again changes nothing
    add_to_cohort(application=application, cohort=cohort, by=office)
    assert Enrollment.objects.filter(user=user).count() == 2
    assert StageChange.objects.filter(profile=profile).count() == 2


def test_only_accepted_applicants_of_the_same_campaign_join(office):
    cohort = CohortFactory()
    waiting = make_application(campaign=cohort.campaign, status=Status.WAITLISTED)
    with pytest.raises(ValidationError) as error:
        add_to_cohort(application=waiting, cohort=cohort, by=office)
    assert error.value.messages == ["只有已录取的报名人才能编入培训班。"]
    other = make_application(status=Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        add_to_cohort(application=other, cohort=cohort, by=office)
    assert error.value.messages == ["该报名人报名的是另一个招募活动。"]


def test_bulk_add_to_cohort_from_the_listing(office_client):
    cohort = CohortFactory()
    accepted = [make_application(campaign=cohort.campaign, status=Status.ACCEPTED) for _ in range(3)]
    waiting = make_application(campaign=cohort.campaign, status=Status.WAITLISTED)
    response = office_client.post(
        "/admin/recruitment/applications/",
        {"action": "cohort", "cohort": cohort.pk, "ids": [a.pk for a in accepted] + [waiting.pk], "step": "confirm"},
        follow=True,
    )
    body = response.content.decode()
    assert "只有已录取的报名人才能编入培训班。" in body and waiting.real_name in body
    assert TraineeProfile.objects.filter(cohort=cohort, stage=Stage.TRAINEE).count() == 3


def test_a_new_required_course_enrols_the_cohort_already_there(office):
    cohort = CohortFactory()
    application = make_application(campaign=cohort.campaign, status=Status.ACCEPTED)
    add_to_cohort(application=application, cohort=cohort, by=office)
    course = CoursePageFactory()
    cohort.required_courses.add(course)
    enroll_cohort_in_new_courses(cohort=cohort)
    enroll_cohort_in_new_courses(cohort=cohort)
    assert Enrollment.objects.filter(user=application.applicant, course=course).count() == 1


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], Stage.TRAINEE),
        ([Stage.TRAINEE], Stage.GRADUATE),
        ([Stage.TRAINEE, Stage.GRADUATE], Stage.MERCHANT),
        ([Stage.TRAINEE, Stage.GRADUATE, Stage.MERCHANT], Stage.DORMANT),
        ([Stage.TRAINEE, Stage.GRADUATE, Stage.MERCHANT, Stage.DORMANT], Stage.MERCHANT),
    ],
)
def test_allowed_stage_changes(office, path, to):
    profile = TraineeProfile.objects.create(user=UserFactory())
    for stage in path:
        profile = change_stage(profile=profile, to=stage, by=office)
    profile = change_stage(profile=profile, to=to, by=office, note="核实")
    assert profile.stage == to and profile.stage_changed_at is not None
    last = profile.stage_changes.last()
    assert (last.to_stage, last.by, last.note) == (to, office, "核实")


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ([], Stage.GRADUATE, "不能从“报名人”改为“结业学员”。"),
        ([Stage.TRAINEE], Stage.MERCHANT, "不能从“学员”改为“网商”。"),
        ([Stage.TRAINEE, Stage.GRADUATE], Stage.TRAINEE, "不能从“结业学员”改为“学员”。"),
    ],
)
def test_refused_stage_changes(office, path, to, message):
    profile = TraineeProfile.objects.create(user=UserFactory())
    for stage in path:
        profile = change_stage(profile=profile, to=stage, by=office)
    with pytest.raises(InvalidTransition) as error:
        change_stage(profile=profile, to=to, by=office)
    assert error.value.messages == [message]
    profile.refresh_from_db()
    assert profile.stage == (path[-1] if path else Stage.APPLICANT)


def test_one_mentor_group_per_cohort_holds_its_current_trainees(office):
    from mentors.groups import trainee_groups

    cohort = CohortFactory(name="第一期")
    application = make_application(campaign=cohort.campaign, status=Status.ACCEPTED)
    add_to_cohort(application=application, cohort=cohort, by=office)
    make_application(campaign=cohort.campaign, status=Status.ACCEPTED)  # accepted, not in the cohort
    groups = {g.key: g for g in trainee_groups()}
    group = groups[f"cohort-{cohort.pk}"]
    assert group.label.startswith("第一期")
    assert list(group.users) == [application.applicant]


def test_the_office_finds_accepted_applicants_still_waiting_for_a_cohort(office_client, office):
    cohort = CohortFactory()
    placed = make_application(campaign=cohort.campaign, status=Status.ACCEPTED, real_name="杜晓燕")
    add_to_cohort(application=placed, cohort=cohort, by=office)
    make_application(campaign=cohort.campaign, status=Status.ACCEPTED, real_name="谭志勇")
    body = office_client.get(f"/admin/recruitment/campaigns/{cohort.campaign.pk}/figures/").content.decode()
    assert "还有 1 名已录取的报名人没有编入培训班。" in body
    body = office_client.get(
        "/admin/recruitment/applications/",
        {"campaign": cohort.campaign.pk, "status": "accepted", "in_cohort": "false"},
    ).content.decode()
    assert "谭志勇" in body and "杜晓燕" not in body
