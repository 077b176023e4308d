"""Public and personal pages: my shops and monthly sales, my certificates, certificate
verification, and the merchant directory. Another person's shop or certificate is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import roles
from core.service_errors import add_service_errors
from incubator.merchants.selectors.shops import directory_shops, monthly_sales, owner_shops
from incubator.merchants.services.sales import (
    REPORT_EDIT_DAYS,
    editable_until,
    is_month_open,
    submit_sales_report,
    update_sales_report,
)
from incubator.merchants.services.shops import register_shop, update_shop

from . import charts, periods
from .forms import CertificateLookupForm, DirectoryFilterForm, SalesReportForm, ShopForm
from .models import Certificate, SalesReport, Shop

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
    reports = list(shop.reports.order_by("-month"))
    for report in reports:
        report.editable = is_month_open(report.month, today=today)
        report.editable_until = editable_until(report.month)
    return reports


@login_required
def shop_detail(request, pk, form=None):
    shop = _my_shop(request, pk)
    today = periods.today()
    if form is None:
        last_month = periods.add_months(periods.month_start(today), -1)
        form = SalesReportForm(initial={"month": last_month})
    chart, _points = _sales_chart(shop=shop)
    return render(
        request,
        "merchants/shop_detail.html",
        {
            "shop": shop,
            "reports": _report_rows(shop, today),
            "form": form,
            "chart": chart,
            "edit_days": REPORT_EDIT_DAYS,
        },
        status=400 if form.is_bound and form.errors else 200,
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
            return redirect("merchants:shop_detail", pk=shop.pk)
    return shop_detail(request, pk, form=form)


@login_required
def report_edit(request, pk, report_pk):
    shop = _my_shop(request, pk)
    report = get_object_or_404(SalesReport, pk=report_pk, shop=shop)
    initial = {
        "month": report.month,
        "orders": report.orders,
        "sales": report.sales,
        "products_sold": report.products_sold,
    }
    form = SalesReportForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
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
            messages.success(request, _("The report has been corrected."))
            return redirect("merchants:shop_detail", pk=shop.pk)
    return render(
        request,
        "merchants/report_form.html",
        {"shop": shop, "report": report, "form": form, "editable_until": editable_until(report.month)},
        status=400 if form.is_bound and form.errors else 200,
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
    if not certificate.pdf:
        messages.info(request, _("The certificate PDF is still being prepared. Please try again in a minute."))
        return redirect("merchants:my_certificates")
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
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
