"""Groups of trainees offered to automatic mentor assignment.

mentors may not import the programme (recruitment), which knows the cohorts. Recruitment
registers a `mentors_trainee_groups` Wagtail hook returning a list of `TraineeGroup` (one per
cohort, say); the admin's automatic assignment lists them and proposes pairs for one group.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from wagtail import hooks

HOOK_NAME = "mentors_trainee_groups"


@dataclass
class TraineeGroup:
    """A named set of trainees: `key` is stable and URL-safe, `label` is shown to the office."""

    key: str
    label: str
    users: QuerySet  # of core.User


def trainee_groups() -> list[TraineeGroup]:
    """Every group offered by the registered hooks, in registration order; keys are unique."""
    found: list[TraineeGroup] = []
    seen: set[str] = set()
    for fn in hooks.get_hooks(HOOK_NAME):
        for group in fn() or []:
            if group.key in seen:
                continue
            seen.add(group.key)
            found.append(group)
    return found


def trainee_group(key: str) -> TraineeGroup | None:
    """The group with this key, or None."""
    for group in trainee_groups():
        if group.key == key:
            return group
    return None
