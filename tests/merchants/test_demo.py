"""The demo county shows every state of issue 14's figures: verified months, a flagged month with
evidence waiting for the mentor, a month from an order export (whose file the mentor can open), a
late report, a correction by the office with its reason, a revoked certificate and its re-issue."""

import csv
import io

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from core import history
from incubator.merchants.models import Certificate, OrderExportUpload, SalesReport
from incubator.merchants.selectors.reports import mentor_queue

pytestmark = pytest.mark.django_db

Status, Evidence = SalesReport.Status, SalesReport.Evidence


def test_the_demo_county_shows_every_state_of_a_report(demo_county, client):
    users = get_user_model().objects
    merchant, mentor = users.get(email="merchant@demo.local"), users.get(email="mentor@demo.local")
    office = users.get(email="office@demo.local")
    reports = SalesReport.objects.filter(shop__owner=merchant)

    assert reports.filter(status=Status.VERIFIED, verified_by=mentor).exists()
    flagged = reports.get(status=Status.FLAGGED)
    assert flagged.evidence_level == Evidence.DOCUMENT and flagged.evidence.exists() and flagged.flag_reason
    assert list(mentor_queue(mentor=mentor))[0] == flagged  # flagged first, waiting for the mentor
    assert reports.filter(is_late=True).exists()
    corrected = [
        r for r in reports.filter(status=Status.VERIFIED) if any(e.actor == office for e in history.entries(r))
    ]
    assert [e.reason for e in history.entries(corrected[0]) if e.actor == office][-1].startswith("郑国强电话更正")

    exported = reports.get(evidence_level=Evidence.ORDER_EXPORT)
    upload = OrderExportUpload.objects.get(report=exported)
    assert upload.orders_left_out > 0 and exported.orders == upload.orders_added
    client.force_login(mentor)
    page = client.get(reverse("merchants:mentor_report", args=[exported.pk]))
    link = reverse("merchants:order_export_file", args=[upload.pk])
    assert link in page.text
    rows = list(csv.reader(io.StringIO(client.get(link).content.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "商品名称" and len(rows) - 1 == upload.rows_read  # read back from GB18030

    revoked = Certificate.objects.get(revoked_at__isnull=False)
    assert revoked.revoked_reason and revoked.pdf
    assert Certificate.objects.valid().filter(holder=revoked.holder).exclude(code=revoked.code).exists()
    client.force_login(revoked.holder)
    assert client.get(reverse("merchants:certificate_pdf", args=[revoked.code])).status_code == 410
