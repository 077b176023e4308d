"""Why a trainee is at risk: the mentors app's own rules and those higher apps add.

The mentors app decides from learning (inactivity, quiz failures, unanswered changes). A higher
app that knows something else about trainees (missed offline classes, say) registers a rule with
the `mentors_risk_rules` Wagtail hook: a function returning a `RiskRule`, whose `find` answers
for all the trainees of a page at once (a fixed number of queries whatever their number).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy

from wagtail import hooks

INACTIVE = "inactive"
QUIZ_FAILURES = "quiz_failures"
STALE_CHANGES = "stale_changes"

BUILT_IN = (
    (INACTIVE, gettext_lazy("No learning activity")),
    (QUIZ_FAILURES, gettext_lazy("Repeated quiz failures")),
    (STALE_CHANGES, gettext_lazy("Requested changes not answered")),
)


@dataclass(frozen=True)
class Risk:
    code: str
    text: object  # a lazy text, rendered in the reader's language


@dataclass(frozen=True)
class RiskRule:
    """A reason to be at risk that a higher app knows of.

    `find(trainee_ids=..., now=...)` returns {trainee_id: text} for the trainees it applies to.
    """

    code: str
    label: object
    find: Callable[..., dict[int, object]]


def extra_rules() -> list[RiskRule]:
    return [fn() for fn in hooks.get_hooks("mentors_risk_rules")]


def reason_choices() -> list[tuple[str, object]]:
    """Every reason a trainee may be at risk for, as (code, label): the office's filter."""
    return [*BUILT_IN, *((rule.code, rule.label) for rule in extra_rules())]


def extra_risks(*, trainee_ids, now: datetime) -> dict[int, list[Risk]]:
    """The registered rules' risks of these trainees: one call per rule."""
    found: dict[int, list[Risk]] = {}
    if not trainee_ids:
        return found
    for rule in extra_rules():
        for trainee_id, text in rule.find(trainee_ids=trainee_ids, now=now).items():
            found.setdefault(trainee_id, []).append(Risk(rule.code, text))
    return found
