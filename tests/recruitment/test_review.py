"""The office's review: transitions, history, notifications, bulk actions, quota warning, listing, exports."""

import io

import pytest
from openpyxl import load_workbook

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from core.models import Notification
from incubator.recruitment.models import Application, ApplicationEvent
from incubator.recruitment.services.review import QuotaExceeded, change_application_status
from incubator.recruitment.services.reviewers import assign_reviewers, score_application
from incubator.recruitment.services.transitions import InvalidTransition
from tests.factories import MentorFactory, OfficeFactory, TraineeFactory, VillageFactory

from .factories import CohortFactory, make_application, make_campaign, product

pytestmark = pytest.mark.django_db
Status = Application.Status
LIST_URL = "/admin/recruitment/applications/"


def detail_url(application):
    return f"/admin/recruitment/applications/{application.pk}/"


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], Status.SHORTLISTED),
        ([Status.SHORTLISTED], Status.INTERVIEW),
        ([Status.SHORTLISTED, Status.INTERVIEW], Status.ACCEPTED),
        ([Status.SHORTLISTED, Status.INTERVIEW], Status.WAITLISTED),
        ([Status.WAITLISTED], Status.ACCEPTED),
        ([], Status.REJECTED),
    ],
)
def test_allowed_status_changes_are_recorded_with_who_and_when(office, path, to):
    application = make_application()
    for status in path:
        application = change_application_status(application=application, to=status, by=office)
    application = change_application_status(application=application, to=to, by=office, note="电话核实")
    assert application.status == to
    last = application.events.order_by("-id").first()
    assert (last.kind, last.to_status, last.by, last.note) == (ApplicationEvent.Kind.STATUS, to, office, "电话核实")
    assert last.from_status == (path[-1] if path else Status.SUBMITTED)


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        (Status.REJECTED, Status.ACCEPTED, "不能从“未录取”改为“已录取”。"),
        (Status.WITHDRAWN, Status.SHORTLISTED, "不能从“已撤回”改为“初选通过”。"),
        (Status.ACCEPTED, Status.REJECTED, "不能从“已录取”改为“未录取”。"),
        (Status.INTERVIEW, Status.SHORTLISTED, "不能从“面试”改为“初选通过”。"),
    ],
)
def test_refused_status_changes_raise_and_change_nothing(office, start, to, message):
    application = make_application(status=start)
    with pytest.raises(InvalidTransition) as error:
        change_application_status(application=application, to=to, by=office)
    assert error.value.messages == [message]
    application.refresh_from_db()
    assert application.status == start


def test_the_applicant_is_notified_of_each_change_after_the_commit(office, django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change_application_status(application=application, to=Status.INTERVIEW, by=office)
    assert len(callbacks) == 1
    notification = Notification.objects.get(recipient=application.applicant, kind="application-status")
    assert notification.title == f"{application.campaign.title}：面试"
    assert notification.body == "邀请您参加面试，县电子商务办公室会打电话告诉您时间。"
    assert notification.url == f"/me/applications/{application.pk}/"


def test_bulk_actions_change_the_selected_rows_and_report_refusals(office_client):
    campaign = make_campaign()
    fresh = [make_application(campaign=campaign) for _ in range(3)]
    rejected = make_application(campaign=campaign, status=Status.REJECTED)
    untouched = make_application(campaign=campaign)
    chosen = {"action": "shortlist", "ids": [a.pk for a in fresh] + [rejected.pk]}
    # First what it will do, and to how many; nothing changes yet.
    preview = office_client.post(LIST_URL + f"?campaign={campaign.pk}", chosen)
    assert preview.status_code == 200
    assert Application.objects.filter(status=Status.SHORTLISTED).count() == 0
    assert preview.context["preview"].done and len(preview.context["preview"].done) == 3
    assert f"不能从“未录取”改为“初选通过”。: {rejected.real_name}" in preview.content.decode()
    response = office_client.post(LIST_URL + f"?campaign={campaign.pk}", {**chosen, "step": "confirm"}, follow=True)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in fresh] == [Status.SHORTLISTED] * 3
    assert statuses[rejected.pk] == Status.REJECTED
    assert statuses[untouched.pk] == Status.SUBMITTED
    texts = [str(m) for m in response.context["messages"]]
    label = gettext("Shortlist")
    assert (
        gettext("%(action)s: %(done)d done, %(skipped)d skipped (of %(total)d selected).")
        % {"action": label, "done": 3, "skipped": 1, "total": 4}
        in texts
    )
    assert f"不能从“未录取”改为“初选通过”。 ({rejected.real_name})" in " ".join(texts)


def test_accepting_past_the_quota_asks_first_then_goes_on_when_confirmed(office_client, office):
    campaign = make_campaign(quota=2)
    make_application(campaign=campaign, status=Status.ACCEPTED)
    chosen = [make_application(campaign=campaign) for _ in range(2)]
    ids = [a.pk for a in chosen]
    response = office_client.post(LIST_URL, {"action": "accept", "ids": ids})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (len(preview.done), len(preview.skipped)) == (1, 1)  # one place left
    assert response.context["quota_skips"] == [chosen[1]]
    assert Application.objects.filter(status=Status.ACCEPTED).count() == 1
    office_client.post(LIST_URL, {"action": "accept", "ids": ids, "step": "confirm", "confirm_over_quota": "1"})
    assert Application.objects.filter(status=Status.ACCEPTED).count() == 3
    # the single-row path warns the same way
    one_more = make_application(campaign=campaign)
    with pytest.raises(QuotaExceeded):
        change_application_status(application=one_more, to=Status.ACCEPTED, by=office)
    response = office_client.post(detail_url(one_more), {"action": "status", "status": "accepted"})
    assert "再录取 1 人将超出本次招募的 2 个名额（已录取 3 人）。" in response.content.decode()
    one_more.refresh_from_db()
    assert one_more.status == Status.SUBMITTED


def test_the_village_quota_warns_too(office):
    campaign = make_campaign(quota=10, quota_per_village=1)
    village = VillageFactory(name="九里村")
    first = make_application(campaign=campaign, village=village)
    second = make_application(campaign=campaign, village=village)
    change_application_status(application=first, to=Status.ACCEPTED, by=office)
    with pytest.raises(QuotaExceeded) as error:
        change_application_status(application=second, to=Status.ACCEPTED, by=office)
    assert error.value.messages == ["九里村将有 2 人被录取，超过每村 1 人的名额。"]


def test_scores_notes_and_history_on_the_detail_page(office_client, office):
    application = make_application()
    response = office_client.post(
        detail_url(application), {"action": "score", "products": "4", "motivation": "5", "skills": "3", "influence": ""}
    )
    assert response.status_code == 302
    score = application.review_scores.get(reviewer=office)
    assert (score.total, score.scores) == (12, {"products": 4, "motivation": 5, "skills": 3})
    office_client.post(detail_url(application), {"action": "note", "text": "家里有200棵脐橙树"})
    response = office_client.get(detail_url(application))
    assert "家里有200棵脐橙树" in response.content.decode()
    assert response.context["mean_score"] == 12
    with pytest.raises(ValidationError) as error:
        score_application(application=application, scores={"products": 9}, by=office)
    assert error.value.messages == ["每项评分必须是 0 到 5 之间的整数。"]


def test_only_the_office_reaches_the_review(client):
    application = make_application()
    for person in (TraineeFactory(), MentorFactory(), application.applicant):
        client.force_login(person)
        assert client.get(LIST_URL).status_code == 302  # no admin access: Wagtail sends them to its login
        assert (
            client.get(detail_url(application)).status_code == 302
        )  # no admin access: Wagtail sends them to its login


def test_the_listing_filters_and_counts(office_client):
    campaign = make_campaign()
    oranges = product()
    poor = make_application(campaign=campaign, poor_household=True, products=[oranges])
    make_application(campaign=campaign, status=Status.REJECTED)
    body = office_client.get(LIST_URL, {"campaign": campaign.pk, "poor_household": "true"}).content.decode()
    assert poor.real_name in body
    assert "共 1 份报名" in body
    body = office_client.get(LIST_URL, {"campaign": campaign.pk, "status": "rejected"}).content.decode()
    assert "共 1 份报名" in body
    body = office_client.get(LIST_URL, {"product": oranges.pk}).content.decode()
    assert "共 1 份报名" in body


def test_each_row_names_the_applicants_cohort(office_client, office):
    from incubator.recruitment.services.trainees import add_to_cohort

    campaign = make_campaign()
    joined = make_application(campaign=campaign, status=Status.ACCEPTED)
    waiting = make_application(campaign=campaign)
    add_to_cohort(application=joined, cohort=CohortFactory(campaign=campaign, name="2026年春季网商班"), by=office)
    body = office_client.get(LIST_URL).content.decode()

    def row(application):
        start = body.index(f'href="/admin/recruitment/applications/{application.pk}/"')
        return body[start : body.index("</tr>", start)]

    assert "2026年春季网商班" in row(joined)
    assert "2026年春季网商班" not in row(waiting)


def _fill(campaign, n):
    oranges = product()
    for _ in range(n):
        make_application(campaign=campaign, products=[oranges], status=Status.SHORTLISTED)


def test_the_listing_query_count_does_not_grow_with_the_applications(office_client, django_assert_num_queries):
    campaign = make_campaign()
    _fill(campaign, 3)
    office_client.get(LIST_URL)  # warm the session and permission caches
    # user, status counts (also the total), page of rows (with the mean score), products,
    # reviewers, the office's reviewers to choose from, admin chrome (4); the session,
    # permissions and the filters' choice lists come from the cache
    with django_assert_num_queries(QUERIES):
        assert office_client.get(LIST_URL).status_code == 200
    _fill(campaign, 12)
    _review_some(Application.objects.all()[:6])
    office_client.get(LIST_URL)  # the factories added products and villages: the filters' lists are read once
    with django_assert_num_queries(QUERIES):
        assert "共 15 份报名" in office_client.get(LIST_URL).content.decode()


def _review_some(applications):
    reviewers = [OfficeFactory(), OfficeFactory()]
    assign_reviewers(applications=applications, reviewers=reviewers, by=reviewers[0])
    for n, application in enumerate(applications):
        for reviewer in reviewers:
            score_application(application=application, scores={"products": n % 6, "skills": 3}, by=reviewer)


# Roles and the two permission sets are read from the database on every request (issue 13), in
# one query with the second factor and Wagtail's profile and page and collection permissions
# (issue 18); the rows' products and reviewers come with them.
QUERIES = 7


def export_of(office_client, query, capture):
    """The listing's download button queues a background export with its filters (the task runs
    at once here); the file, as the office downloads it from the exports page."""
    from core.models import Export

    with capture(execute=True):
        response = office_client.get(LIST_URL, query)
    assert response.status_code == 302 and response["Location"] == "/admin/exports/"
    export = Export.objects.latest("pk")
    assert export.status == "ready"
    download = office_client.get(f"/admin/exports/{export.pk}/download/")
    return b"".join(download.streaming_content)


def test_exports_follow_the_filters(office_client, django_capture_on_commit_callbacks):
    campaign = make_campaign()
    keep = make_application(campaign=campaign, poor_household=True, real_name="覃秀兰")
    make_application(campaign=campaign, real_name="刘大山")
    query = {"campaign": campaign.pk, "poor_household": "true", "export": "csv"}
    text = export_of(office_client, query, django_capture_on_commit_callbacks).decode("utf-8-sig")
    assert "覃秀兰" in text and "刘大山" not in text
    assert text.splitlines()[0].startswith("编号,报名时间,招募活动,真实姓名,手机号")
    content = export_of(office_client, {"campaign": campaign.pk, "export": "xlsx"}, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(content)).active
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["覃秀兰", "刘大山"])
    assert keep.pk in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_exported_cells_never_run_as_formulas(office_client, django_capture_on_commit_callbacks):
    campaign = make_campaign()
    make_application(campaign=campaign, real_name='=HYPERLINK("http://x")')
    content = export_of(office_client, {"campaign": campaign.pk, "export": "csv"}, django_capture_on_commit_callbacks)
    assert "'=HYPERLINK" in content.decode("utf-8-sig")


def test_campaign_figures(office_client, office):
    campaign = make_campaign(quota=4)
    a = make_application(campaign=campaign, status=Status.ACCEPTED)
    make_application(campaign=campaign, status=Status.REJECTED, village=a.village)
    make_application(campaign=campaign, status=Status.WITHDRAWN)
    body = office_client.get(f"/admin/recruitment/campaigns/{campaign.pk}/figures/").content.decode()
    assert "<strong>1 / 4</strong>" in body
    assert "<strong>25%</strong>" in body  # quota filled
    assert "<strong>50%</strong>" in body  # 1 accepted of 2 not withdrawn
    assert a.village.name in body
    response = office_client.get(f"/admin/recruitment/campaigns/{campaign.pk}/figures/", {"export": "csv"})
    assert "录取率（%）,50" in response.content.decode("utf-8-sig")
