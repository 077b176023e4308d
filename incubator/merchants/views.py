"""Public and personal pages: my shops and monthly sales, my certificates, certificate
verification, and the merchant directory. Another person's shop or certificate is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import exports as spreadsheets
from core import roles, storage
from core.service_errors import add_service_errors
from courses.uploads import private_file_response
from incubator.merchants.selectors.reports import mentor_queue, report_page, shop_reports
from incubator.merchants.selectors.reports import mentor_report as mentor_report_for
from incubator.merchants.selectors.shops import directory_shops, monthly_sales, owner_shops
from incubator.merchants.services.order_exports import import_order_export, read_table
from incubator.merchants.services.sales import (
    REPORT_EDIT_DAYS,
    add_evidence,
    merchant_may_edit,
    report_editable_until,
    send_back_report,
    submit_sales_report,
    update_sales_report,
    verify_report,
)
from incubator.merchants.services.shops import register_shop, update_shop
from mentors.selectors.relations import is_mentor_of
from mentors.views import mentor_required

from . import charts, periods
from .forms import (
    CertificateLookupForm,
    DirectoryFilterForm,
    EvidenceForm,
    OrderExportForm,
    ReasonForm,
    SalesReportForm,
    ShopForm,
)
from .models import Certificate, OrderExportFormat, OrderExportUpload, SalesEvidence, SalesReport, Shop

CHART_MONTHS = 12


def _my_shop(request, pk) -> Shop:
    return get_object_or_404(Shop, pk=pk, owner=request.user)


def _sales_chart(*, owner=None, shop=None, months=CHART_MONTHS):
    last = periods.month_start(periods.today())
    first = periods.add_months(last, -(months - 1))
    points = monthly_sales(owner=owner, shop=shop, first=first, last=last)
    return charts.sales_chart(points, title=_("Monthly sales, last %(n)s months") % {"n": months}), points


@login_required
def shop_list(request):
    shops = list(owner_shops(owner=request.user))
    chart, points = _sales_chart(owner=request.user)
    return render(
        request,
        "merchants/shop_list.html",
        {
            "shops": shops,
            "chart": chart if shops else None,
            "year_total": sum(point.sales for point in points),
            "edit_days": REPORT_EDIT_DAYS,
        },
    )


SHOP_FIELDS = ("platform", "name", "url", "opened_on", "products", "products_note", "in_directory")


def _shop_fields(data) -> dict:
    """The shop form's cleaned values, as both shop services take them."""
    return {field: data[field] for field in SHOP_FIELDS}


@login_required
def shop_create(request):
    form = ShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shop = register_shop(
                owner=request.user,
                **_shop_fields(data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your shop has been registered. You can now report its monthly sales."))
            return redirect("merchants:shop_detail", pk=shop.pk)
    return render(request, "merchants/shop_form.html", {"form": form, "shop": None})


@login_required
def shop_edit(request, pk):
    shop = _my_shop(request, pk)
    form = ShopForm(request.POST or None, instance=shop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_shop(
                shop=shop,
                **_shop_fields(data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your shop has been saved."))
            return redirect("merchants:shop_detail", pk=shop.pk)
    return render(request, "merchants/shop_form.html", {"form": form, "shop": shop})


def _report_rows(shop, today):
    reports = shop_reports(shop=shop)
    for report in reports:
        report.editable = merchant_may_edit(report, today=today)
    return reports


@login_required
def shop_detail(request, pk, form=None, export_form=None):
    shop = _my_shop(request, pk)
    today = periods.today()
    last_month = periods.add_months(periods.month_start(today), -1)
    if form is None:
        form = SalesReportForm(initial={"month": last_month})
    if export_form is None:
        export_form = OrderExportForm(initial={"month": last_month}, prefix="export")
    chart, _points = _sales_chart(shop=shop)
    bound = [f for f in (form, export_form) if f.is_bound]
    return render(
        request,
        "merchants/shop_detail.html",
        {
            "shop": shop,
            "reports": _report_rows(shop, today),
            "form": form,
            "export_form": export_form,
            "has_export_format": OrderExportFormat.objects.filter(platform=shop.platform).exists(),
            "chart": chart,
            "edit_days": REPORT_EDIT_DAYS,
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


@login_required
@require_POST
def report_create(request, pk):
    shop = _my_shop(request, pk)
    form = SalesReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = submit_sales_report(
                shop=shop,
                month=data["month"],
                orders=data["orders"],
                sales=data["sales"],
                products_sold=data["products_sold"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sales for %(month)s saved. Thank you!") % {"month": f"{report.month:%Y-%m}"})
            if report.status == SalesReport.Status.FLAGGED:
                messages.warning(
                    request,
                    _(
                        "These figures are far above the usual, so they wait for verification: please add a screenshot or PDF."
                    ),
                )
                return redirect("merchants:report_edit", pk=shop.pk, report_pk=report.pk)
            return redirect("merchants:shop_detail", pk=shop.pk)
    return shop_detail(request, pk, form=form)


@login_required
@require_POST
def order_file_upload(request, pk):
    shop = _my_shop(request, pk)
    form = OrderExportForm(request.POST, request.FILES, prefix="export")
    if form.is_valid():
        try:
            result = import_order_export(
                shop=shop, month=form.cleaned_data["month"], upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(added)s new orders read for %(month)s (%(left_out)s refunded or cancelled left out, %(known)s already imported)."
                )
                % {
                    "added": result.added,
                    "month": f"{result.report.month:%Y-%m}",
                    "left_out": result.left_out,
                    "known": result.already_known,
                },
            )
            return redirect("merchants:report_edit", pk=shop.pk, report_pk=result.report.pk)
    return shop_detail(request, pk, export_form=form)


def _report_initial(report):
    return {
        "month": report.month,
        "orders": report.orders,
        "sales": report.sales,
        "products_sold": report.products_sold,
    }


@login_required
def report_edit(request, pk, report_pk, evidence_form=None):
    """The merchant's page of one report: its status, evidence and history, and the correction
    form while the month is open to them."""
    shop = _my_shop(request, pk)
    report = get_object_or_404(SalesReport.objects.select_related("shop", "verified_by"), pk=report_pk, shop=shop)
    editable = merchant_may_edit(report) and report.evidence_level != SalesReport.Evidence.ORDER_EXPORT
    form = None
    if editable:
        data = request.POST if request.method == "POST" and evidence_form is None else None
        form = SalesReportForm(data, initial=_report_initial(report), editing=True)
    if request.method == "POST" and evidence_form is None:
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_sales_report(
                    report=report,
                    orders=data["orders"],
                    sales=data["sales"],
                    products_sold=data["products_sold"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The report has been corrected. It waits for verification again."))
                return redirect("merchants:report_edit", pk=shop.pk, report_pk=report.pk)
    may_add_evidence = report.status != SalesReport.Status.VERIFIED
    if evidence_form is None and may_add_evidence:
        evidence_form = EvidenceForm()
    bound = [f for f in (form, evidence_form) if f is not None and f.is_bound]
    return render(
        request,
        "merchants/report_form.html",
        {
            "shop": shop,
            "report": report,
            "form": form,
            "evidence_form": evidence_form if may_add_evidence else None,
            "editable_until": report_editable_until(report),
            **report_page(report=report),
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


@login_required
@require_POST
def report_evidence(request, pk, report_pk):
    shop = _my_shop(request, pk)
    report = get_object_or_404(SalesReport, pk=report_pk, shop=shop)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_evidence(report=report, files=form.cleaned_data["files"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the evidence has been added to the report."))
            return redirect("merchants:report_edit", pk=shop.pk, report_pk=report.pk)
    return report_edit(request, pk, report_pk, evidence_form=form)


def can_view_evidence(user, report: SalesReport) -> bool:
    """The shop's owner, the county office, and the owner's current mentor."""
    if not user.is_authenticated:
        return False
    if report.shop.owner_id == user.pk or roles.is_office(user):
        return True
    return is_mentor_of(mentor=user, trainee=report.shop.owner_id, current_only=True)


@require_GET
def evidence_file(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    stored = get_object_or_404(SalesEvidence.objects.select_related("report__shop"), pk=pk)
    if not can_view_evidence(request.user, stored.report):
        raise Http404
    return private_file_response(
        field_file=stored.file,
        content_type=stored.content_type,
        filename=f"evidence-{stored.report.month:%Y-%m}-{stored.pk}.{stored.extension}",
    )


@require_GET
def order_export_file(request, pk):
    """An order export the merchant uploaded, for those who may see the report's evidence (the
    owner, their current mentor, the office). Its rows and cells as uploaded, in its own format,
    but written again through the one spreadsheet writer: the file comes from a merchant and is
    opened by the office, so a cell typed as a formula is handed out as text, as in every other
    spreadsheet the site hands out (core/exports.py). Read from the private storage (a folder or
    the bucket), never from a public link."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    stored = get_object_or_404(OrderExportUpload.objects.select_related("report__shop"), pk=pk)
    if not can_view_evidence(request.user, stored.report):
        raise Http404
    try:
        with stored.file.open("rb") as handle:
            raw = handle.read()
    except FileNotFoundError as error:
        raise Http404 from error
    rows = read_table(raw=raw, name=stored.original_name)
    export_format = spreadsheets.XLSX if stored.extension == spreadsheets.XLSX else spreadsheets.CSV
    response = spreadsheets.spreadsheet_response(
        format=export_format,
        filename=f"orders-{stored.report.month:%Y-%m}-{stored.pk}",
        header=None,
        rows=rows,
        title=f"{stored.report.month:%Y-%m}",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- The mentor's verification queue ------------------------------------------------------


@mentor_required
def mentor_reports(request):
    """Sales reports of the mentor's current trainees awaiting verification, flagged first."""
    page = Paginator(mentor_queue(mentor=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "merchants/mentor_reports.html", {"page_obj": page, "tab": "sales"})


@mentor_required
def mentor_report(request, pk):
    report = mentor_report_for(mentor=request.user, report_id=pk)
    if report is None:
        raise Http404
    back_form = ReasonForm(request.POST if request.POST.get("action") == "send_back" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                verify_report(report=report, by=request.user)
                messages.success(request, _("Verified. The month now counts in the county's figures."))
                return redirect("merchants:mentor_reports")
            if action == "send_back" and back_form.is_valid():
                send_back_report(report=report, by=request.user, reason=back_form.cleaned_data["reason"])
                messages.success(request, _("Sent back. The merchant has been notified."))
                return redirect("merchants:mentor_reports")
        except ValidationError as error:
            add_service_errors(back_form if action == "send_back" else ReasonForm(), error)
            for text in error.messages:
                messages.error(request, text)
    return render(
        request,
        "merchants/mentor_report.html",
        {"report": report, "back_form": back_form, "tab": "sales", **report_page(report=report)},
        status=400 if back_form.is_bound and back_form.errors else 200,
    )


# --- Certificates --------------------------------------------------------------------------


@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(holder=request.user).order_by("-issued_on", "-pk")
    return render(request, "merchants/my_certificates.html", {"certificates": certificates})


@never_cache
@login_required
def certificate_pdf(request, code):
    """The PDF, for its holder and for the county office only."""
    certificate = get_object_or_404(Certificate, code=code)
    if certificate.holder_id != request.user.pk and not roles.is_office(request.user):
        raise Http404
    if certificate.is_revoked:
        # A revoked certificate is no longer handed out: its page says so.
        return render(request, "merchants/certificate_verify.html", {"certificate": certificate}, status=410)
    if not certificate.pdf:
        messages.info(request, _("The certificate PDF is still being prepared. Please try again in a minute."))
        return redirect("merchants:my_certificates")
    return storage.private_file_response(
        field_file=certificate.pdf,
        content_type="application/pdf",
        filename=f"certificate-{certificate.code}.pdf",
        as_attachment=True,
    )


def certificate_lookup(request):
    form = CertificateLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("merchants:certificate_verify", code=form.cleaned_data["code"])
    return render(request, "merchants/certificate_lookup.html", {"form": form})


def certificate_verify(request, code):
    certificate = Certificate.objects.filter(code=code.upper()).first()
    if certificate is None:
        return render(
            request, "merchants/certificate_not_found.html", {"code": code, "form": CertificateLookupForm()}, status=404
        )
    return render(request, "merchants/certificate_verify.html", {"certificate": certificate})


# --- The directory -------------------------------------------------------------------------


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    product = township = ""
    if form.is_bound and form.is_valid():
        product = form.cleaned_data["product"].slug if form.cleaned_data["product"] else ""
        township = form.cleaned_data["township"].code if form.cleaned_data["township"] else ""
    shops = directory_shops(product=product, township=township)
    page = Paginator(shops, 24).get_page(request.GET.get("page"))
    query = "&".join(
        part for part in [f"product={product}" if product else "", f"township={township}" if township else ""] if part
    )
    return render(request, "merchants/directory.html", {"form": form, "page_obj": page, "query_string": query})
