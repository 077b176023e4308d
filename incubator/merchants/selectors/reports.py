"""Sales reports as the merchant, the mentor and the office read them: each list in a fixed
number of queries, whatever the number of reports."""

from django.db.models import Count, Exists, OuterRef

from core import history
from incubator.merchants.models import AWAITING_VERIFICATION, SalesReport
from mentors.models import MentorAssignment


def with_details(reports):
    """Shop, owner, verifier and the number of evidence files, without a query per row."""
    return reports.select_related("shop__owner", "verified_by").annotate(evidence_count=Count("evidence"))


def shop_reports(*, shop):
    """A shop's reports, newest month first (one query)."""
    return list(with_details(SalesReport.objects.filter(shop=shop)).order_by("-month"))


def mentor_queue(*, mentor):
    """Reports of the mentor's current trainees awaiting verification, flagged first, oldest first."""
    mentees = MentorAssignment.objects.active().filter(mentor=mentor, trainee_id=OuterRef("shop__owner_id"))
    return with_details(SalesReport.objects.filter(status__in=AWAITING_VERIFICATION).filter(Exists(mentees))).order_by(
        "status", "created_at", "pk"
    )  # "flagged" sorts before "pending"


def mentor_report(*, mentor, report_id):
    """One report of a current trainee of the mentor, or None."""
    mentees = MentorAssignment.objects.active().filter(mentor=mentor, trainee_id=OuterRef("shop__owner_id"))
    return with_details(SalesReport.objects.filter(pk=report_id).filter(Exists(mentees))).first()


def report_page(*, report):
    """What a report's page shows beside the report: its evidence, its order exports and its history."""
    return {
        "evidence": list(report.evidence.order_by("uploaded_at", "pk")),
        "order_exports": list(report.order_exports.order_by("uploaded_at", "pk")),
        "history": history.entries(report),
    }
