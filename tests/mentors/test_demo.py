"""The mentors demo seed is idempotent and gives the demo mentor trainees."""

import pytest

from core import demo as core_demo
from mentors import demo
from mentors.models import CheckIn, GraduationRecommendation, MentorAssignment, MentorProfile

pytestmark = pytest.mark.django_db


def counts():
    return (
        MentorProfile.objects.count(),
        MentorAssignment.objects.count(),
        CheckIn.objects.count(),
        GraduationRecommendation.objects.count(),
    )


def test_seed_twice_creates_nothing_twice(demo_county):
    people = core_demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    mentor = people["mentor@demo.local"]
    assert first[0] == 4
    active = set(MentorAssignment.objects.active().filter(mentor=mentor).values_list("trainee__email", flat=True))
    assert {"trainee@demo.local", "merchant@demo.local"} <= active
    assert GraduationRecommendation.objects.active().get().trainee.email == "merchant@demo.local"
    assert CheckIn.objects.filter(mentor=mentor).exists()
