"""Reads of recruitment: campaign lists and states, a person's applications, the office's figures."""

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from core import roles
from core.choices import cached_choices
from core.models import ProductCategory, User
from core.rows import JSONRows, instance_from_values
from incubator.recruitment.models import (
    Application,
    ApplicationDraft,
    ApplicationEvent,
    Cohort,
    InformationRequest,
    RecruitmentCampaignPage,
    ReviewScore,
    TraineeProfile,
)

ACCEPTED = Q(applications__status=Application.Status.ACCEPTED)


def campaigns_with_counts(qs=None):
    """Live, public campaigns annotated with `accepted_count` (one query, whatever their number)."""
    qs = qs if qs is not None else RecruitmentCampaignPage.objects.all()
    return (
        qs.live()
        .public()
        .defer_streamfields()
        .annotate(accepted_count=Count("applications", filter=ACCEPTED))
        .order_by("-opens_at")
    )


def _with_state(campaigns, now):
    for campaign in campaigns:
        campaign.current_state = campaign.state(accepted=campaign.accepted_count, now=now)
        campaign.remaining = campaign.places_left(accepted=campaign.accepted_count)
    return campaigns


def campaign_listing(*, parent) -> dict:
    """Context of /recruit/: open (and full) campaigns first, then upcoming, then past."""
    now = timezone.now()
    campaigns = _with_state(list(campaigns_with_counts(RecruitmentCampaignPage.objects.child_of(parent))), now)
    State = RecruitmentCampaignPage.State
    return {
        "open_campaigns": [c for c in campaigns if c.current_state in (State.OPEN, State.FULL)],
        "upcoming_campaigns": sorted(
            (c for c in campaigns if c.current_state == State.NOT_YET_OPEN), key=lambda c: c.opens_at
        ),
        "past_campaigns": [c for c in campaigns if c.current_state == State.CLOSED],
    }


def open_campaigns(*, limit: int = 3) -> list[RecruitmentCampaignPage]:
    """Campaigns taking applications now, soonest closing first (for the home page)."""
    now = timezone.now()
    qs = campaigns_with_counts().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    return _with_state(list(qs[:limit]), now)


def campaign_summary(*, campaign: RecruitmentCampaignPage, user) -> dict:
    """State, places left and the visitor's own application, for the campaign page."""
    # A preview of a page never saved has no applications yet.
    accepted = campaign.applications.accepted().count() if campaign.pk else 0
    mine = None
    if user.is_authenticated and campaign.pk:
        # The live one; a withdrawn application leaves the form open to apply again.
        mine = (
            Application.objects.filter(campaign=campaign, applicant=user)
            .exclude(status=Application.Status.WITHDRAWN)
            .first()
        )
    return {
        "campaign_state": campaign.state(accepted=accepted),
        "places_left": campaign.places_left(accepted=accepted),
        "accepted_count": accepted,
        "my_application": mine,
        "eligible_townships": list(campaign.eligible_townships.all()),
        "eligible_villages": list(campaign.eligible_villages.select_related("township")),
    }


def applications_of(*, user):
    """A person's own applications, newest first, with their campaign."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("campaign", "village__township")
        .order_by("-submitted_at")
    )


def drafts_of(*, user):
    """A person's saved drafts, newest first, with their campaign."""
    return ApplicationDraft.objects.filter(applicant=user).select_related("campaign").order_by("-updated_at")


# The office's own bookkeeping, never shown to the applicant.
OFFICE_ONLY_EVENTS = [ApplicationEvent.Kind.SCORED, ApplicationEvent.Kind.REVIEWERS]


def visible_history(*, application: Application) -> list[ApplicationEvent]:
    """The history the applicant sees: submission, edits, answers and status changes (never
    scores or reviewers)."""
    return list(application.events.exclude(kind__in=OFFICE_ONLY_EVENTS).order_by("created_at", "id"))


def information_rounds(*, application: Application) -> list[InformationRequest]:
    """Every round of questions on `application`, oldest first, with who asked."""
    return list(application.information_requests.select_related("asked_by").order_by("asked_at", "id"))


def office_reviewers():
    """The people who may be asked to review applications: active members of the office."""
    return User.objects.filter(groups__name=roles.OFFICE, is_active=True).distinct().order_by("real_name", "pk")


LISTING_DEFERRED_CAMPAIGN_FIELDS = ("intro", "body", "eligibility", "thank_you_text", "search_description", "seo_title")


def admin_applications():
    """The office's listing queryset: everything a row shows, in a fixed number of queries, with
    the mean of the reviewers' totals (`mean_score`) and how many have scored (`score_count`)
    computed in the same query."""
    scores = ReviewScore.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return (
        Application.objects.select_related("campaign", "village__township", "applicant__trainee_profile__cohort")
        # Of the campaign, its title is shown: not its page's body and texts (StreamFields) per row.
        .defer(*(f"campaign__{name}" for name in LISTING_DEFERRED_CAMPAIGN_FIELDS))
        .prefetch_related("products", Prefetch("reviewers", queryset=User.objects.order_by("real_name", "pk")))
        .annotate(
            mean_score=Subquery(scores.annotate(mean=Avg("total")).values("mean")),
            score_count=Subquery(scores.annotate(n=Count("pk")).values("n")),
        )
    )


LISTED_PRODUCT_FIELDS = ("id", "name", "name_en", "slug", "sort_order")
LISTED_REVIEWER_FIELDS = ("id", "real_name", "last_name", "email", "phone")


def with_listed_relations(qs):
    """The listing's rows with their campaign's title, products, reviewers and cohort's name read
    in the same query (rows of plain values, core/rows.py, as `listed_products` and
    `listed_reviewers` give them back; `campaign_title`, `cohort_name`)."""
    from django.db.models.functions import JSONObject

    products = (
        ProductCategory.objects.filter(applications=OuterRef("pk"))
        .order_by("sort_order", "slug")
        .values(row=JSONObject(**{name: F(name) for name in LISTED_PRODUCT_FIELDS}))
    )
    reviewers = (
        User.objects.filter(review_assignments__application=OuterRef("pk"))
        .order_by("real_name", "pk")
        .values(row=JSONObject(**{name: F(name) for name in LISTED_REVIEWER_FIELDS}))
    )
    # The cohort's name, not the applicant's account, profile and cohort joined: a join of eight
    # tables cost PostgreSQL 6.5 ms to plan, ten times what it took to run.
    cohort = TraineeProfile.objects.filter(user=OuterRef("applicant_id")).values("cohort__name")[:1]
    # Of the campaign, its title (`campaign_title`), not its page: fifty Wagtail pages made from
    # some forty columns each were a third of reading the rows.
    return (
        qs.prefetch_related(None)
        .select_related(None)
        .select_related("village__township")
        .defer(None)
        .annotate(
            campaign_title=F("campaign__title"),
            product_rows=JSONRows(products),
            reviewer_rows=JSONRows(reviewers),
            cohort_name=Subquery(cohort),
        )
    )


def listed_products(application) -> list:
    rows = getattr(application, "product_rows", None)
    return (
        [instance_from_values(ProductCategory, row) for row in rows]
        if rows is not None
        else list(application.products.all())
    )


def listed_reviewers(application) -> list:
    rows = getattr(application, "reviewer_rows", None)
    return [instance_from_values(User, row) for row in rows] if rows is not None else list(application.reviewers.all())


def status_counts(qs) -> dict[str, int]:
    # COUNT(*), not COUNT(id): PostgreSQL then counts the unfiltered listing from the status
    # index alone (an index-only scan), half the time of reading every row at province scale.
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("*")))
    return {value: counts.get(value, 0) for value, _label in Application.Status.choices}


def campaign_figures(*, campaign: RecruitmentCampaignPage) -> dict:
    """Applications per day, per township and village, quota filled and acceptance rate."""
    apps = Application.objects.filter(campaign=campaign).order_by()
    by_status = status_counts(apps)
    total = sum(by_status.values())
    accepted = by_status[Application.Status.ACCEPTED]
    decided = total - by_status[Application.Status.WITHDRAWN]
    per_day = list(apps.annotate(day=TruncDate("submitted_at")).values("day").annotate(n=Count("id")).order_by("day"))
    per_village = list(
        apps.values("village__township__name", "village__name", "village__code")
        .annotate(n=Count("id"), accepted=Count("id", filter=Q(status=Application.Status.ACCEPTED)))
        .order_by("village__township__code", "village__code")
    )
    per_township = {}
    for row in per_village:
        entry = per_township.setdefault(row["village__township__name"], {"n": 0, "accepted": 0, "villages": 0})
        entry["n"] += row["n"]
        entry["accepted"] += row["accepted"]
        entry["villages"] += 1
    peak = max((row["n"] for row in per_day), default=0)
    return {
        "campaign": campaign,
        "total": total,
        "by_status": [(Application.Status(value).label, n) for value, n in by_status.items()],
        "accepted": accepted,
        "quota": campaign.quota,
        "quota_percent": round(100 * accepted / campaign.quota) if campaign.quota else 0,
        "acceptance_rate": round(100 * accepted / decided) if decided else 0,
        "per_day": [dict(row, percent=round(100 * row["n"] / peak) if peak else 0) for row in per_day],
        "per_township": sorted(per_township.items(), key=lambda item: -item[1]["n"]),
        "per_village": per_village,
        "cohorts": list(Cohort.objects.filter(campaign=campaign).annotate(size=Count("trainees"))),
        "waiting_for_cohort": apps.filter(status=Application.Status.ACCEPTED)
        .exclude(applicant__trainee_profile__cohort__isnull=False)
        .count(),
    }


def campaign_choices() -> list:
    """(id, title) of every campaign, newest first, for filters (cached; see core.choices)."""
    return cached_choices(
        "campaigns",
        lambda: RecruitmentCampaignPage.objects.order_by("-opens_at").values_list("pk", "title"),
        models=[RecruitmentCampaignPage],
    )


def cohort_choices(*, running_on=None, campaign_ids=None) -> list:
    """(id, name) of cohorts: all, or those not ended on `running_on`, optionally of some campaigns."""
    qs = Cohort.objects.all()
    name = "cohorts"
    if running_on is not None:
        qs = qs.filter(ends_on__gte=running_on)
        name += f":running:{running_on.isoformat()}"
    if campaign_ids is not None:
        qs = qs.filter(campaign_id__in=campaign_ids)
        name += ":campaigns:" + ",".join(str(pk) for pk in sorted(campaign_ids))
    return cached_choices(name, lambda: ((cohort.pk, cohort) for cohort in qs), models=[Cohort])


def person_village(user):
    """The village a person is counted in: their trainee profile's (the office keeps it), else the
    one on their account; the dashboard's funnel and sales use the same rule. Reads no row when
    `trainee_profile__village__township` and `village__township` are selected with the user."""
    profile = getattr(user, "trainee_profile", None)
    return profile.village if profile is not None and profile.village_id else user.village


PERSON_PLACE = ("trainee_profile__village__township", "village__township")
"""What `person_village` reads, to select with a person (prefix with the path to the user)."""


def person_township_q(township, *, user_path: str) -> Q:
    """Rows whose person (at `user_path`) is counted in `township` (`person_village`'s rule)."""
    return Q(**{f"{user_path}__trainee_profile__village__township": township}) | Q(
        **{
            f"{user_path}__trainee_profile__village__isnull": True,
            f"{user_path}__village__township": township,
        }
    )
