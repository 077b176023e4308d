"""The rows of the office's exports of the filtered application list and campaign figures
(written by core.exports, which keeps every cell from running as a formula)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.phone import display_phone


def application_header() -> list:
    return [
        _("Number"),
        _("Date sent"),
        _("Campaign"),
        _("Real name"),
        _("Mobile phone"),
        _("Township"),
        _("Village"),
        _("Products"),
        _("Experience selling online"),
        _("Smartphone"),
        _("Registered poor household"),
        _("Status"),
        _("Mean score"),
        _("Cohort"),
    ]


def application_rows(applications):
    for a in applications:
        profile = getattr(a.applicant, "trainee_profile", None)
        products = "、".join(p.display_name for p in a.products.all())
        if a.products_note:
            products = f"{products} ({a.products_note})" if products else a.products_note
        yield [
            a.pk,
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
            a.campaign.title,
            a.real_name,
            display_phone(a.phone),
            a.village.township.display_name,
            a.village.display_name,
            products,
            a.get_online_experience_display(),
            _("Yes") if a.has_smartphone else _("No"),
            _("Yes") if a.poor_household else _("No"),
            a.get_status_display(),
            "" if a.mean_score is None else round(a.mean_score, 1),
            str(profile.cohort) if profile and profile.cohort else "",
        ]


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
