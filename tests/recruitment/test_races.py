"""Two requests racing: the quota lock and the one-application constraint hold (PostgreSQL only)."""

import threading

import pytest

from django.db import connection, connections

from incubator.recruitment.models import Application
from incubator.recruitment.services.applying import submit_application, withdraw_application
from incubator.recruitment.services.review import QuotaExceeded, change_application_status
from tests.factories import UserFactory

from .factories import facts, make_application, make_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _page_tree():
    # A transactional test starts from what serialized_rollback restored; make sure of the basics.
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="zh-hans")


def race(*functions):
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, fn):
        try:
            barrier.wait()
            outcomes[index] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_reviewers_accepting_the_last_place_at_once_cannot_both_pass_the_quota():
    office = UserFactory(is_staff=True)
    campaign = make_campaign(quota=1)
    first, second = make_application(campaign=campaign), make_application(campaign=campaign)
    outcomes = race(
        lambda: change_application_status(application=first, to="accepted", by=office),
        lambda: change_application_status(application=second, to="accepted", by=office),
    )
    assert Application.objects.filter(status="accepted").count() == 1
    assert sum(isinstance(o, QuotaExceeded) for o in outcomes) == 1


def test_a_double_submit_makes_one_application():
    campaign = make_campaign()
    user = UserFactory()
    outcomes = race(
        lambda: submit_application(campaign=campaign, applicant=user, facts=facts()),
        lambda: submit_application(campaign=campaign, applicant=user, facts=facts()),
    )
    assert Application.objects.filter(applicant=user).count() == 1
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert [e.messages for e in errors] == [["您已经报名过本次招募。"]]


def test_after_a_withdrawal_two_submissions_racing_make_one_live_application():
    campaign = make_campaign()
    user = UserFactory()
    first = submit_application(campaign=campaign, applicant=user, facts=facts())
    withdraw_application(application=first, by=user)
    outcomes = race(
        lambda: submit_application(campaign=campaign, applicant=user, facts=facts()),
        lambda: submit_application(campaign=campaign, applicant=user, facts=facts()),
    )
    live = Application.objects.filter(applicant=user).exclude(status="withdrawn")
    assert live.count() == 1
    assert Application.objects.filter(applicant=user, status="withdrawn").count() == 1
    assert [e.messages for e in outcomes if isinstance(e, Exception)] == [["您已经报名过本次招募。"]]


def test_two_reviewers_scoring_at_once_keep_one_score_set_each():
    from incubator.recruitment.models import ReviewScore
    from incubator.recruitment.services.reviewers import score_application
    from tests.factories import OfficeFactory

    reviewer = OfficeFactory()
    application = make_application()
    race(
        lambda: score_application(application=application, scores={"products": 3}, by=reviewer),
        lambda: score_application(application=application, scores={"products": 4}, by=reviewer),
    )
    assert ReviewScore.objects.filter(application=application, reviewer=reviewer).count() == 1
