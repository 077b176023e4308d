"""The office's tables of recruitment as exports (core.export_jobs: applications and trainees,
both built in the background at county scale) and the rows of a campaign's figures; core.exports
writes them, keeping every cell from running as a formula. A column is one line of its table."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_jobs import Column, Table, listing_queryset
from core.phone import display_phone
from incubator.recruitment.filters import application_listing
from incubator.recruitment.models import TraineeProfile
from incubator.recruitment.selectors import person_village


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _products(item) -> str:
    """Product categories (prefetched) and the free-text note, as the listing shows them."""
    products = "、".join(p.display_name for p in item.products.all())
    if item.products_note:
        products = f"{products} ({item.products_note})" if products else item.products_note
    return products


def _applications(*, filters, user):
    return application_listing(filters, user=user)[1]


def _cohort_of(application) -> str:
    profile = getattr(application.applicant, "trainee_profile", None)
    return str(profile.cohort) if profile and profile.cohort else ""


APPLICATIONS = Table(
    key="applications",
    label=gettext_lazy("Applications"),
    permission="recruitment.view_application",
    background=True,  # tens of thousands at county scale
    queryset=_applications,  # the listing's filters, search and order (application_listing)
    columns=[
        Column("pk", gettext_lazy("Number"), lambda a: a.pk),
        Column(
            "submitted_at",
            gettext_lazy("Date sent"),
            lambda a: timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
        ),
        Column("campaign", gettext_lazy("Campaign"), lambda a: a.campaign.title),
        Column("real_name", gettext_lazy("Real name"), lambda a: a.real_name),
        Column("phone", gettext_lazy("Mobile phone"), lambda a: display_phone(a.phone)),
        Column("township", gettext_lazy("Township"), lambda a: a.village.township.display_name),
        Column("village", gettext_lazy("Village"), lambda a: a.village.display_name),
        Column("products", gettext_lazy("Products"), _products),
        Column("experience", gettext_lazy("Experience selling online"), lambda a: a.get_online_experience_display()),
        Column("smartphone", gettext_lazy("Smartphone"), lambda a: _yes_no(a.has_smartphone)),
        Column("poor_household", gettext_lazy("Registered poor household"), lambda a: _yes_no(a.poor_household)),
        Column("status", gettext_lazy("Status"), lambda a: a.get_status_display()),
        Column(
            "mean_score", gettext_lazy("Mean score"), lambda a: "" if a.mean_score is None else round(a.mean_score, 1)
        ),
        Column("cohort", gettext_lazy("Cohort"), _cohort_of),
    ],
)


def _trainees(*, filters, user):
    return listing_queryset(TraineeProfile.snippet_viewset.index_view, filters=filters, user=user)


def _place(profile):
    return person_village(profile.user)


TRAINEES = Table(
    key="trainees",
    label=gettext_lazy("Trainees"),
    permission="recruitment.view_traineeprofile",
    background=True,
    queryset=_trainees,  # the Trainees listing's filters, search and order
    prepare=lambda qs: qs.select_related(
        "user", "cohort", "village__township", "user__village__township"
    ).prefetch_related("products"),
    columns=[
        Column("name", gettext_lazy("Real name"), lambda p: p.user.display_name),
        Column("phone", gettext_lazy("Mobile phone"), lambda p: display_phone(p.user.phone or "")),
        Column("township", gettext_lazy("Township"), lambda p: _place(p).township.display_name if _place(p) else ""),
        Column("village", gettext_lazy("Village"), lambda p: _place(p).display_name if _place(p) else ""),
        Column("cohort", gettext_lazy("Cohort"), lambda p: p.cohort.name if p.cohort else ""),
        Column("cohort_year", gettext_lazy("Cohort year"), lambda p: p.cohort.starts_on.year if p.cohort else ""),
        Column("stage", gettext_lazy("Stage"), lambda p: p.get_stage_display()),
        Column("stage_changed_at", gettext_lazy("Stage changed"), lambda p: p.stage_changed_at),
        Column("poor_household", gettext_lazy("Registered poor household"), lambda p: _yes_no(p.poor_household)),
        Column("products", gettext_lazy("Products"), lambda p: "、".join(c.display_name for c in p.products.all())),
    ],
)


def figures_rows(figures):
    yield [_("Campaign"), figures["campaign"].title]
    yield [_("Applications"), figures["total"]]
    yield [_("Accepted"), figures["accepted"]]
    yield [_("Places"), figures["quota"]]
    yield [_("Quota filled (%)"), figures["quota_percent"]]
    yield [_("Acceptance rate (%)"), figures["acceptance_rate"]]
    yield []
    yield [_("Status"), _("Applications")]
    yield from ([label, n] for label, n in figures["by_status"])
    yield []
    yield [_("Day"), _("Applications")]
    yield from ([row["day"].isoformat() if row["day"] else "", row["n"]] for row in figures["per_day"])
    yield []
    yield [_("Township"), _("Village"), _("Applications"), _("Accepted")]
    yield from (
        [row["village__township__name"], row["village__name"], row["n"], row["accepted"]]
        for row in figures["per_village"]
    )
