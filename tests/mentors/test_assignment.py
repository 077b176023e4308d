"""Automatic and manual assignment: matching, capacity, even spread, preview, history, constraint."""

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Notification
from mentors.models import MentorAssignment
from mentors.services.assignment import assign_mentor, end_assignment
from mentors.services.matching import apply_proposal, parse_tokens, propose_assignments
from tests.factories import OfficeFactory, ProductCategoryFactory, TownshipFactory, TraineeFactory, VillageFactory

from .factories import assign, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    town_a, town_b = TownshipFactory(name="归州镇"), TownshipFactory(name="茅坪镇")
    return {
        "a": town_a,
        "b": town_b,
        "village_a": VillageFactory(township=town_a),
        "village_b": VillageFactory(township=town_b),
        "orange": ProductCategoryFactory(name="脐橙"),
        "honey": ProductCategoryFactory(name="蜂蜜"),
    }


def trainee_in(village=None, products=()):
    trainee = TraineeFactory(village=village)
    trainee.products.set(products)
    return trainee


def pairs_of(proposal):
    return {pair.trainee.pk: pair.mentor.pk for pair in proposal.pairs}


def test_township_comes_before_product_expertise(places):
    local = make_mentor(townships=[places["a"]])
    make_mentor(townships=[places["b"]], expertise=[places["orange"]])  # knows the product, other township
    trainee = trainee_in(places["village_a"], [places["orange"]])

    proposal = propose_assignments(trainees=[trainee])

    assert pairs_of(proposal) == {trainee.pk: local.pk}
    assert "服务归州镇" in proposal.pairs[0].reason


def test_township_and_product_beats_township_alone(places):
    local = make_mentor(townships=[places["a"]])
    local_expert = make_mentor(townships=[places["a"]], expertise=[places["orange"]])
    trainee = trainee_in(places["village_a"], [places["orange"]])

    proposal = propose_assignments(trainees=[trainee])

    assert pairs_of(proposal) == {trainee.pk: local_expert.pk}
    assert proposal.pairs[0].reason == "服务归州镇；擅长脐橙；已带 1 / 上限 10 人"
    assert local.pk not in pairs_of(proposal).values()


def test_product_expertise_when_no_mentor_serves_the_township(places):
    expert = make_mentor(townships=[places["b"]], expertise=[places["honey"]])
    trainee = trainee_in(places["village_a"], [places["honey"]])

    proposal = propose_assignments(trainees=[trainee])

    assert pairs_of(proposal) == {trainee.pk: expert.pk}
    assert proposal.pairs[0].reason == "擅长蜂蜜；已带 1 / 上限 10 人"


def test_capacity_is_never_exceeded_and_load_spreads_evenly(places):
    small = make_mentor(townships=[places["a"]], capacity=2)
    big = make_mentor(townships=[places["a"]], capacity=10)
    assign(big, days_ago=1)  # big already has one trainee
    trainees = [trainee_in(places["village_a"]) for _ in range(6)]

    proposal = propose_assignments(trainees=trainees)

    counts = {}
    for pair in proposal.pairs:
        counts[pair.mentor.pk] = counts.get(pair.mentor.pk, 0) + 1
    assert len(proposal.pairs) == 6
    # relative load decides: small takes one (0/2), big fills to 5/10, then small's 1/2 ties and wins
    assert counts == {small.pk: 2, big.pk: 4}
    loads = {load.mentor.pk: (load.before, load.after) for load in proposal.loads}
    assert loads == {small.pk: (0, 2), big.pk: (1, 5)}


def test_equal_mentors_get_equal_shares(places):
    first = make_mentor(townships=[places["a"]], capacity=5)
    second = make_mentor(townships=[places["a"]], capacity=5)
    trainees = [trainee_in(places["village_a"]) for _ in range(6)]

    proposal = propose_assignments(trainees=trainees)

    mentors = [pair.mentor.pk for pair in proposal.pairs]
    assert mentors.count(first.pk) == 3
    assert mentors.count(second.pk) == 3


def test_full_mentors_leave_trainees_unmatched_with_reason(places):
    only = make_mentor(townships=[places["a"]], capacity=1)
    first, second = trainee_in(places["village_a"]), trainee_in(places["village_a"])

    proposal = propose_assignments(trainees=[first, second])

    assert list(pairs_of(proposal).values()) == [only.pk]
    assert len(proposal.unmatched) == 1
    assert proposal.unmatched[0].reason == "服务该乡镇或擅长这些产品的导师都已满员。"


def test_unmatched_reasons(places):
    make_mentor(townships=[places["b"]], expertise=[places["honey"]])
    nothing = trainee_in()
    no_match = trainee_in(places["village_a"], [places["orange"]])
    no_village = trainee_in(None, [places["orange"]])
    no_products = trainee_in(places["village_a"])

    proposal = propose_assignments(trainees=[nothing, no_match, no_village, no_products])

    reasons = {item.trainee.pk: item.reason for item in proposal.unmatched}
    assert proposal.pairs == []
    assert reasons == {
        nothing.pk: "该学员没有登记村庄和产品。",
        no_match.pk: "没有在岗导师服务归州镇或擅长脐橙。",
        no_village.pk: "没有登记村庄，且没有在岗导师擅长脐橙。",
        no_products.pk: "没有登记产品，且没有在岗导师服务归州镇。",
    }


def test_inactive_mentors_and_already_mentored_trainees_are_left_out(places):
    inactive = make_mentor(townships=[places["a"]], is_active=False)
    active = make_mentor(townships=[places["a"]])
    mentored = trainee_in(places["village_a"])
    assign(active, mentored)
    fresh = trainee_in(places["village_a"])

    proposal = propose_assignments(trainees=[mentored, fresh])

    assert pairs_of(proposal) == {fresh.pk: active.pk}
    assert [(t.pk, m.pk) for t, m in proposal.already_assigned] == [(mentored.pk, active.pk)]
    assert inactive.pk not in pairs_of(proposal).values()


def test_the_preview_saves_nothing(places, django_assert_max_num_queries):
    make_mentor(townships=[places["a"]])
    trainees = [trainee_in(places["village_a"]) for _ in range(3)]

    propose_assignments(trainees=trainees)

    assert MentorAssignment.objects.count() == 0
    assert Notification.objects.count() == 0


def test_apply_saves_the_pairs_and_notifies_both(places, django_capture_on_commit_callbacks):
    mentor = make_mentor(townships=[places["a"]])
    trainees = [trainee_in(places["village_a"]) for _ in range(2)]
    proposal = propose_assignments(trainees=trainees)

    with django_capture_on_commit_callbacks(execute=True):
        result = apply_proposal(pairs=parse_tokens(proposal.as_tokens()))

    assert len(result.created) == 2 and result.failed == []
    assert set(MentorAssignment.objects.active().values_list("trainee_id", flat=True)) == {t.pk for t in trainees}
    assert MentorAssignment.objects.first().reason.startswith("自动分配：服务归州镇")
    assert Notification.objects.filter(recipient=mentor, title="您有一名新学员").count() == 2
    for trainee in trainees:
        assert Notification.objects.filter(recipient=trainee, title="您有导师了").exists()


def test_apply_reports_pairs_that_changed_since_the_preview(places):
    mentor = make_mentor(townships=[places["a"]], capacity=5)
    other = make_mentor(townships=[places["b"]])
    taken, free = trainee_in(places["village_a"]), trainee_in(places["village_a"])
    proposal = propose_assignments(trainees=[taken, free])
    assign(other, taken)  # someone assigned this trainee by hand in the meantime

    result = apply_proposal(proposal=proposal)

    assert [a.trainee_id for a in result.created] == [free.pk]
    assert [(t.pk, m.pk, msg) for t, m, msg in result.failed] == [
        (taken.pk, mentor.pk, "该学员刚刚被分配了其他导师，请刷新后重试。")
    ]
    assert MentorAssignment.objects.active().get(trainee=taken).mentor == other


def test_the_database_allows_one_active_mentor_per_trainee():
    trainee = TraineeFactory()
    assign(make_mentor(), trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        assign(make_mentor(), trainee)
    # ended assignments may pile up as history
    assign(make_mentor(), trainee, days_ago=10, ended_days_ago=5)
    assert MentorAssignment.objects.filter(trainee=trainee).count() == 2


def test_reassignment_ends_the_old_one_and_keeps_history(django_capture_on_commit_callbacks):
    trainee = TraineeFactory()
    old, new = make_mentor(), make_mentor()
    assign_mentor(trainee=trainee, mentor=old)

    with django_capture_on_commit_callbacks(execute=True):
        assign_mentor(trainee=trainee, mentor=new)

    history = list(MentorAssignment.objects.filter(trainee=trainee).order_by("started_at", "pk"))
    assert [a.mentor for a in history] == [old, new]
    assert history[0].ended_at is not None
    assert history[0].end_reason == f"改由 {new.display_name} 指导"
    assert history[1].ended_at is None
    assert Notification.objects.filter(recipient=old, title="一名学员已改由其他导师指导").exists()
    assert Notification.objects.filter(recipient=new, title="您有一名新学员").exists()


def test_manual_assignment_refusals():
    trainee = TraineeFactory()
    mentor = make_mentor(capacity=1)
    assign(mentor)
    with pytest.raises(ValidationError) as full:
        assign_mentor(trainee=trainee, mentor=mentor)
    assert full.value.messages == ["该导师的学员人数已达带教上限。"]

    assign_mentor(trainee=trainee, mentor=mentor, allow_over_capacity=True)
    with pytest.raises(ValidationError) as again:
        assign_mentor(trainee=trainee, mentor=mentor, allow_over_capacity=True)
    assert again.value.messages == ["该学员已经分配给这位导师。"]

    with pytest.raises(ValidationError) as not_mentor:
        assign_mentor(trainee=trainee, mentor=TraineeFactory())
    assert not_mentor.value.messages == ["此人不是在岗导师。"]


def test_end_assignment_keeps_history():
    assignment = assign_mentor(trainee=TraineeFactory(), mentor=make_mentor())
    office = OfficeFactory()
    end_assignment(assignment=assignment, by=office, reason="退出培训")
    assignment.refresh_from_db()
    assert assignment.ended_at is not None and assignment.end_reason == "退出培训"
    assert assignment.ended_by == office
    with pytest.raises(ValidationError) as ended:
        end_assignment(assignment=assignment)
    assert ended.value.messages == ["该分配已经结束。"]


@pytest.mark.django_db(transaction=True)
def test_two_offices_assigning_at_once_leave_one_active_mentor():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    trainee = TraineeFactory()
    mentors = [make_mentor(), make_mentor()]
    import threading

    barrier = threading.Barrier(2)

    def run(mentor):
        from django.db import connections

        try:
            barrier.wait()
            assign_mentor(trainee=trainee, mentor=mentor, notify_people=False)
            return "ok"
        except ValidationError as exc:
            return exc.messages[0]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, mentors))

    assert MentorAssignment.objects.active().filter(trainee=trainee).count() == 1
    assert "ok" in results
