"""A mentor's profile fields."""

from __future__ import annotations

from django.db import transaction

from mentors.models import MentorProfile

PROFILE_M2M = ("expertise", "skills", "townships")


@transaction.atomic
def update_profile(*, profile: MentorProfile, data: dict) -> MentorProfile:
    """Set a mentor's profile fields (bio, expertise, skills, townships, capacity...) from `data`."""
    for name, value in data.items():
        if name not in PROFILE_M2M:
            setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    for name in PROFILE_M2M:
        if name in data:
            getattr(profile, name).set(data[name])
    return profile
