"""No export can attack the office: whatever a merchant typed, no cell of any CSV or XLSX the
site hands out starts with = + - @, a tab or a carriage return (a spreadsheet program would run
it as a formula).

The county is filled with hostile text where people type it (real names, shop names, main
products sold, application answers and notes, a mentor's name) and where the office does
(campaign, course, cohort, township and village names), and every export is downloaded and
parsed. Which exports there are is found, not remembered:

- no module of ours but core/exports.py writes CSV or XLSX (no csv.writer, openpyxl Workbook or
  spreadsheet content type anywhere else), so a new export must go through the writer;
- every URL of ours whose name says "export", or whose view calls an exports module, must be
  in EXPORTS below, so a new export is downloaded here or fails;
- every Wagtail listing with `list_export` (the reports, any viewset) is downloaded in both formats.
"""

from __future__ import annotations

import ast
import csv
import datetime
import inspect
import io
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook

from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from tests.factories import MentorFactory, TraineeFactory, VillageFactory
from tests.security.matrix import OUR_PACKAGES, _walk, is_ours
from tests.support.world import build_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
# Spelled out here rather than taken from core.exports: the test does not trust the writer.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISED = {"'" + value for value in HOSTILE} | {"'" + value.replace("\r", "\n") for value in HOSTILE}


# --- the hostile county ---------------------------------------------------------------------------


def _hostile_county(world) -> None:
    """Beside the security world (built with the first hostile value as its payload), one
    person, shop, report and application per hostile value, each starting with it."""
    from core.models import Township
    from courses.models import CoursePage, LessonPage
    from incubator.merchants.models import Certificate, Cooperative, SalesReport, Shop
    from incubator.recruitment.models import Cohort, RecruitmentCampaignPage, TraineeProfile
    from incubator.recruitment.services.applying import ApplicantFacts, submit_application
    from incubator.recruitment.services.review import add_note
    from mentors.models import CheckIn, MentorAssignment, MentorProfile
    from tests.support.world import _publish

    township = Township.objects.create(code="hostile-town", name=HOSTILE[4], name_en=HOSTILE[4])
    village = VillageFactory(township=township, code="hostile-village", name=HOSTILE[5], name_en=HOSTILE[5])
    now = timezone.now()
    campaign = _publish(
        world.recruit_index,
        RecruitmentCampaignPage(
            title=HOSTILE[3],
            slug="hostile-campaign",
            intro="x",
            opens_at=now - datetime.timedelta(days=5),
            closes_at=now + datetime.timedelta(days=30),
            quota=50,
        ),
    )
    cohort = Cohort.objects.create(
        campaign=campaign,
        name=HOSTILE[2],
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    course = _publish(
        world.course_index, CoursePage(title=HOSTILE[1], slug="hostile-course", summary="x", enrolment="open")
    )
    _publish(course, LessonPage(title=HOSTILE[2], slug="hostile-lesson"))
    mentor = MentorFactory(real_name=HOSTILE[3])
    MentorProfile.objects.create(user=mentor, capacity=10, is_active=True, bio=HOSTILE[0])
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for n, value in enumerate(HOSTILE):
        person = TraineeFactory(real_name=value, phone=f"+861390001000{n}", village=village)
        application = submit_application(
            campaign=campaign,
            applicant=person,
            facts=ApplicantFacts(
                real_name=value,
                phone=person.phone,
                village=village,
                products_note=value,
                answers={"why": value},
            ),
        )
        add_note(application=application, author=world.office, text=value)
        TraineeProfile.objects.filter(user=person).update(cohort=cohort, stage=TraineeProfile.Stage.TRAINEE)
        shop = Shop.objects.create(
            owner=person,
            platform=Shop.Platform.TAOBAO,
            name=value,
            url=f"https://hostile-{n}.example.com/",
            opened_on=datetime.date(2024, 1, 1),
            products_note=value,
        )
        SalesReport.objects.create(
            shop=shop, month=month, orders=2, sales="120.00", products_sold=value, submitted_by=person
        )
        if n == 0:
            MentorAssignment.objects.create(mentor=mentor, trainee=person)
        # The office's other tables, each with a cell typed by a person that starts the hostile way.
        CheckIn.objects.create(mentor=mentor, trainee=person, notes=value, next_steps=value)
        Cooperative.objects.create(name=f"{value}{n}", township=township, leader=person)
        Certificate.objects.create(
            holder=person, cohort=cohort, holder_name=value, cohort_name=value, issued_on=timezone.localdate()
        )
    world.objects.update(hostile_campaign=campaign, hostile_course=course)

    # What Wagtail's site history shows: the object's name and who acted, both typed by people.
    from wagtail.log_actions import log

    # A cooperative of the hostile township, led by the hostile mentor, with a member household
    # paid for its produce: the poverty-alleviation report names both on its township's sheet.
    from incubator.cooperatives.models import Household, Membership, Purchase
    from incubator.merchants.models import Cooperative

    cooperative = Cooperative.objects.create(name=HOSTILE[0], township=township, leader=mentor)
    household = Household.objects.create(head_name=HOSTILE[1], village=village, is_registered_poor=True)
    today = timezone.localdate()  # the report's default year
    Membership.objects.create(cooperative=cooperative, household=household, joined_on=today.replace(month=1, day=1))
    Purchase.objects.create(
        cooperative=cooperative,
        household=household,
        product=HOSTILE[2],
        quantity=1,
        unit="kg",
        amount=5,
        bought_on=today,
    )

    log(instance=shop, action="wagtail.edit", user=mentor)
    log(instance=world.cooperative, action="wagtail.edit", user=world.office)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The security world with hostile text for a payload (overrides the shared fixture here)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world(payload=HOSTILE[0])
        _hostile_county(built)
        yield built
        transaction.set_rollback(True)


# --- the exports of ours ------------------------------------------------------------------------------


@dataclass
class Export:
    """How to download an export: its arguments, the query strings to try, and whether the file
    must carry text people typed (so the check sees the hostile values, not an empty file)."""

    queries: list[str] = field(default_factory=list)
    kwargs: object = field(default=lambda world, client, capture: {})
    carries_user_text: bool = True
    downloads: bool = True


def _dashboard_tables():
    from incubator.merchants import exports

    return [f"table={table}" for table in exports.TABLES]


def _requested_export(table, export_format="csv"):
    """The office asks for an export on the exports page; the task builds it (eagerly in tests)."""

    def make(world, client, capture):
        from core.models import Export

        with capture(execute=True):
            client.post(reverse("exports:request"), {"table": table, "format": export_format})
        return {"pk": Export.objects.filter(table=table, requested_by=world.office).latest("pk").pk}

    return make


def _every_table():
    from core import export_jobs

    return sorted(export_jobs.tables())


EXPORTS: dict[str, list[Export]] = {
    "courses_report": [Export(["format=csv"])],
    "courses_report_detail": [Export(["format=csv"], kwargs=lambda w, c, _cap: {"pk": w.hostile_course.pk})],
    # Its download buttons queue a background export (checked below, as the listings are).
    "recruitment_admin:application_index": [Export(downloads=False)],
    "recruitment_admin:campaign_figures": [
        Export(["export=csv", "export=xlsx"], kwargs=lambda w, c, _cap: {"pk": w.hostile_campaign.pk})
    ],
    # Tables without people's text (the KPIs, the funnel) are checked as well, for no formulas.
    "merchants_admin:dashboard": [Export(_dashboard_tables(), carries_user_text=False)],
    "merchants_admin:certificates": [Export(["export=csv", "export=xlsx"])],
    # Every table the office exports, built by the task in both formats.
    "exports:download": [
        Export([""], kwargs=_requested_export(table, export_format))
        for table in _every_table()
        for export_format in ("csv", "xlsx")
    ],
    # A merchant's uploaded order export, handed back to the office through the writer.
    "merchants:order_export_file": [Export([""], kwargs=lambda w, c, _cap: {"pk": w.order_export_a.pk})],
    # The poverty-alleviation report: a summary sheet and one sheet per township (all are read).
    "cooperatives_admin:report": [Export(["export=xlsx"])],
    # The exports page (a list of files) and its POST-only request form: no file of their own.
    "exports:index": [Export(downloads=False)],
    "exports:request": [Export(downloads=False)],
}


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _is_exports_module(value) -> bool:
    module = value if isinstance(value, types.ModuleType) else inspect.getmodule(value)
    return module is not None and module.__name__.split(".")[-1] == "exports"


def _view_functions(callback):
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return [inspect.unwrap(callback)]
    return [
        member
        for klass in view_class.__mro__
        if is_ours(klass.__module__)
        for member in vars(klass).values()
        if inspect.isfunction(member)
    ]


def calls_an_exports_module(callback) -> bool:
    """Whether the view's code refers to an exports module (core.exports or an app's row builders)."""
    for fn in _view_functions(callback):
        for name in _code_names(fn.__code__):
            value = fn.__globals__.get(name)
            if value is not None and _is_exports_module(value):
                return True
    return False


def our_export_patterns() -> set[str]:
    found = set()
    for name, _route, callback in _walk(get_resolver()):
        module = (getattr(callback, "view_class", None) or callback).__module__ or ""
        if is_ours(module) and ("export" in name or calls_an_exports_module(callback)):
            found.add(name)
    return found


def wagtail_export_patterns() -> list[str]:
    """Wagtail listings that offer a download (SpreadsheetExportMixin with `list_export`), without URL arguments."""
    found = []
    for name, route, callback in _walk(get_resolver()):
        view_class = getattr(callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin) or "<" in route:
            continue
        if (getattr(callback, "view_initkwargs", None) or {}).get("list_export", view_class.list_export):
            found.append(name)
    return found


def test_every_export_of_ours_is_downloaded_here():
    found = our_export_patterns()
    assert {
        "courses_report",
        "recruitment_admin:application_index",
        "merchants_admin:dashboard",
        "exports:download",
    } <= found
    missing = sorted(found - EXPORTS.keys())
    assert not missing, f"exports not checked for formula injection (add them to EXPORTS): {missing}"
    stale = sorted(EXPORTS.keys() - found)
    assert not stale, f"EXPORTS names no export view any more: {stale}"


WRITERS = {("csv", "writer"), ("csv", "DictWriter"), ("openpyxl", "Workbook")}
OTHER_WRITER_PACKAGES = ("xlsxwriter", "tablib", "pandas")


def writes_a_spreadsheet(node) -> str | None:
    """What in this syntax node writes a spreadsheet by itself, if anything."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (node.value.id, node.attr) in WRITERS:
        return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.ImportFrom) and node.module:
        names = {alias.name for alias in node.names}
        if node.module == "csv" and names & {"writer", "DictWriter"}:
            return f"from csv import {sorted(names)}"
        if node.module.startswith("openpyxl") and names & {"Workbook", "WriteOnlyCell"}:
            return f"from {node.module} import {sorted(names)}"
        if node.module.startswith(OTHER_WRITER_PACKAGES):
            return f"from {node.module} import ..."
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith(OTHER_WRITER_PACKAGES):
                return f"import {alias.name}"
    is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
    if is_text and ("text/csv" in node.value or "spreadsheetml" in node.value):
        return repr(node.value)
    return None


def test_no_module_but_the_writer_writes_spreadsheets():
    """csv.writer, openpyxl's Workbook and the spreadsheet content types belong to core/exports.py
    (reading a sheet, as the import of people does, is fine)."""
    writer = ROOT / "core" / "exports.py"
    offences = []
    for package in OUR_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == writer or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                found = writes_a_spreadsheet(node)
                if found:
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno} {found}")
    assert not offences, "spreadsheets written outside core/exports.py:\n" + "\n".join(offences)


# --- downloading them -------------------------------------------------------------------------------


def read_cells(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response["Content-Type"]
    if content_type.startswith("text/csv"):
        text = body.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert "spreadsheetml" in content_type, content_type
    # Every sheet of the workbook (a county report has one per township).
    cells = [cell for sheet in load_workbook(io.BytesIO(body)).worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "a formula cell in the XLSX"
    return [cell.value for cell in cells]


def assert_no_formula(response, where: str, *, carries_user_text: bool) -> None:
    assert response.status_code == 200, f"{where}: {response.status_code}"
    cells = read_cells(response)
    bad = [cell for cell in cells if isinstance(cell, str) and cell.startswith(DANGEROUS)]
    assert not bad, f"{where}: cells that would run as formulas: {bad[:5]}"
    if carries_user_text:
        assert NEUTRALISED & {cell for cell in cells if isinstance(cell, str)}, f"{where}: no hostile text exported"


CASES = [(name, n) for name, exports in EXPORTS.items() for n, export in enumerate(exports) if export.downloads]


@pytest.mark.parametrize(("name", "n"), CASES, ids=[f"{name}-{n}" for name, n in CASES])
def test_our_exports_never_hand_out_a_formula(name, n, world, as_persona, django_capture_on_commit_callbacks):
    export = EXPORTS[name][n]
    client = as_persona("office")
    path = reverse(name, kwargs=export.kwargs(world, client, django_capture_on_commit_callbacks))
    for query in export.queries:
        url = f"{path}?{query}" if query else path
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert_no_formula(response, url, carries_user_text=export.carries_user_text)


def _is_our_view(name: str) -> bool:
    for pattern_name, _route, callback in _walk(get_resolver()):
        if pattern_name == name:
            return is_ours((getattr(callback, "view_class", None) or callback).__module__ or "")
    return False


WAGTAIL_EXPORTS = wagtail_export_patterns()
# Our listings (shops, sales reports, cooperatives, trainees, mentors, check-ins, applications):
# with the office persona, where hostile cells must come out neutralised.
OUR_LISTING_EXPORTS = sorted(
    {name for name in WAGTAIL_EXPORTS if _is_our_view(name)} | {"recruitment_admin:application_index"}
)


def test_wagtail_listing_exports_are_found():
    assert "wagtailadmin_reports:site_history" in WAGTAIL_EXPORTS
    assert {
        "wagtailsnippets_merchants_shop:list",
        "wagtailsnippets_merchants_salesreport:list",
        "wagtailsnippets_merchants_cooperative:list",
        "wagtailsnippets_recruitment_traineeprofile:list",
        "mentor_profiles:index",
        "mentor_checkins:index",
    } <= set(OUR_LISTING_EXPORTS)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(set(WAGTAIL_EXPORTS) - set(OUR_LISTING_EXPORTS)))
def test_wagtail_listing_exports_never_hand_out_a_formula(name, export_format, world, as_persona):
    # The superuser: some reports are for administrators only.
    response = as_persona("superuser").get(reverse(name), {"export": export_format})
    assert_no_formula(
        response,
        f"{name} ({export_format})",
        carries_user_text=name.startswith("wagtailadmin_reports:site_history"),
    )


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", OUR_LISTING_EXPORTS)
def test_our_listing_exports_never_hand_out_a_formula(
    name, export_format, world, as_persona, django_capture_on_commit_callbacks
):
    """The listing's download button, as the office: a light table's file at once, a heavy
    table's (sales reports, trainees, applications) through the background job it queues."""
    from core.models import Export as Job

    client = as_persona("office")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(name), {"export": export_format})
    if response.status_code == 302:
        assert response["Location"] == reverse("exports:index"), name
        job = Job.objects.filter(requested_by=world.office).latest("pk")
        assert (job.status, job.format) == ("ready", export_format), name
        response = client.get(reverse("exports:download", args=[job.pk]))
    assert response["Cache-Control"] == "private, no-store", name
    assert_no_formula(response, f"{name} ({export_format})", carries_user_text=True)
