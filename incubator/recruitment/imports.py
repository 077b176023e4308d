"""Import of applicants or trainees from the spreadsheets county offices already keep.

`run_import` first checks every row inside one transaction; a dry run (or any bad row) rolls
everything back, so the office sees each row's result and an import writes all rows or none.

The machinery is shared: `read_sheet` reads any CSV/XLSX sheet given its column names,
`run_rows` checks or writes rows with any row function, `Lookup` finds villages and products,
`yes_no` reads a yes/no cell (the household import in incubator.cooperatives uses them).
"""

import csv
import io
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.models import ProductCategory, User, Village
from core.phone import normalise_phone
from incubator.recruitment.models import Application
from incubator.recruitment.services.applying import ApplicantFacts, submit_application
from incubator.recruitment.services.review import change_application_status
from incubator.recruitment.services.trainees import add_to_cohort

# Column names as offices write them (Chinese or English), mapped to our names.
COLUMNS = {
    "real_name": ("姓名", "real name", "name", "real_name"),
    "phone": ("手机", "手机号", "电话", "电话号码", "联系电话", "mobile phone", "phone"),
    "village": ("村", "村庄", "行政村", "village"),
    "products": ("产品", "products", "product"),
    "poor_household": ("贫困户", "建档立卡贫困户", "poor household", "poor_household"),
    "online_experience": ("网销经验", "经验", "experience", "online_experience"),
}
REQUIRED = ("real_name", "phone", "village")
YES = {"是", "yes", "y", "1", "true", "√", "✓"}
NO = {"否", "no", "n", "0", "false", ""}
EXPERIENCE = {
    "": Application.Experience.NONE,
    "none": Application.Experience.NONE,
    "无": Application.Experience.NONE,
    "没有": Application.Experience.NONE,
    "some": Application.Experience.SOME,
    "少量": Application.Experience.SOME,
    "有一点": Application.Experience.SOME,
    "shop": Application.Experience.SHOP,
    "开过网店": Application.Experience.SHOP,
    "有网店": Application.Experience.SHOP,
}

MISSING_COLUMNS = _("The sheet has no column for: %(columns)s.")
UNREADABLE = _("The file could not be read as a CSV or XLSX spreadsheet.")
EMPTY_SHEET = _("The sheet has no rows below its header.")
NAME_REQUIRED = _("The real name is missing.")
UNKNOWN_VILLAGE = _("Unknown village “%(value)s”.")
AMBIGUOUS_VILLAGE = _(
    "Several villages are called “%(value)s”: write the township too, as “township·village”, or the village code."
)
UNKNOWN_PRODUCT = _("Unknown product “%(value)s”.")
BAD_YES_NO = _("Write yes or no for the poor household column, not “%(value)s”.")
BAD_EXPERIENCE = _("Unknown experience “%(value)s”: write none, some or shop.")
PHONE_TAKEN_BY_OTHER_NAME = _("This phone number belongs to %(name)s, not to the name in this row.")


class SheetError(ValidationError):
    pass


def _cell_text(cell) -> str:
    # Excel keeps a phone number typed as a number as a float (13800138000.0).
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_sheet(uploaded, *, columns: dict = COLUMNS, required=REQUIRED) -> list[dict]:
    """The rows of a CSV or XLSX file as dicts keyed by our column names (values as text).

    `columns`: our name -> the names a sheet may give that column (the first is the one an
    error names); `required`: our names of the columns the sheet must have."""
    name = uploaded.name.lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            workbook = load_workbook(uploaded, read_only=True, data_only=True)
            table = [[_cell_text(cell) for cell in row] for row in workbook.active.iter_rows(values_only=True)]
        else:
            raw = uploaded.read()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise SheetError(UNREADABLE, code="unreadable")
            table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    except SheetError:
        raise
    except Exception as exc:  # a corrupt or mislabelled file
        raise SheetError(UNREADABLE, code="unreadable") from exc
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise SheetError(EMPTY_SHEET, code="empty")
    header = [cell.strip().lower() for cell in table[0]]
    positions = {}
    for key, names in columns.items():
        for index, cell in enumerate(header):
            if cell in names:
                positions[key] = index
                break
    missing = [columns[key][0] for key in required if key not in positions]
    if missing:
        raise SheetError(MISSING_COLUMNS, code="missing_columns", params={"columns": "、".join(missing)})
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        row = {"line": line}
        for key, index in positions.items():
            row[key] = cells[index] if index < len(cells) else ""
        rows.append(row)
    return rows


@dataclass
class RowResult:
    line: int
    name: str
    ok: bool
    message: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if not row.ok)

    @property
    def valid(self) -> int:
        return sum(1 for row in self.rows if row.ok)


class Lookup:
    """Villages and products by code, name or "township·village", loaded once per import."""

    def __init__(self):
        self.villages_by_code = {}
        self.villages_by_name: dict[str, list[Village]] = {}
        for village in Village.objects.select_related("township"):
            self.villages_by_code[village.code.lower()] = village
            for key in (
                village.name,
                f"{village.township.name}·{village.name}",
                f"{village.township.name}{village.name}",
            ):
                self.villages_by_name.setdefault(key, []).append(village)
        self.products = {}
        for product in ProductCategory.objects.all():
            for key in (product.slug, product.name, product.name_en.lower()):
                if key:
                    self.products[key] = product

    def village(self, value: str) -> Village:
        value = value.strip().replace("/", "·").replace(" ", "·")
        if value.lower() in self.villages_by_code:
            return self.villages_by_code[value.lower()]
        found = self.villages_by_name.get(value, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValidationError(AMBIGUOUS_VILLAGE, params={"value": value})
        raise ValidationError(UNKNOWN_VILLAGE, params={"value": value})

    def product_list(self, value: str) -> list[ProductCategory]:
        products = []
        for part in value.replace("，", ",").replace("、", ",").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            product = self.products.get(part) or self.products.get(part.lower())
            if product is None:
                raise ValidationError(UNKNOWN_PRODUCT, params={"value": part})
            products.append(product)
        return products


def yes_no(value: str, *, message=BAD_YES_NO) -> bool:
    value = (value or "").strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(message, params={"value": value})


def _person(*, phone: str, real_name: str, village) -> User:
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        if user.real_name and user.real_name != real_name:
            raise ValidationError(PHONE_TAKEN_BY_OTHER_NAME, params={"name": user.real_name})
        return user
    user = User(username=f"imported-{uuid.uuid4().hex[:12]}", phone=phone, real_name=real_name, village=village)
    user.set_unusable_password()  # they sign in by phone code, or reset a password
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _import_row(row: dict, *, campaign, cohort, by, lookup: Lookup) -> None:
    real_name = (row.get("real_name") or "").strip()
    if not real_name:
        raise ValidationError(NAME_REQUIRED)
    phone = normalise_phone(row.get("phone") or "")
    village = lookup.village(row.get("village") or "")
    products = lookup.product_list(row.get("products") or "")
    poor = yes_no(row.get("poor_household") or "")
    experience_raw = (row.get("online_experience") or "").strip().lower()
    if experience_raw not in EXPERIENCE:
        raise ValidationError(BAD_EXPERIENCE, params={"value": experience_raw})
    user = _person(phone=phone, real_name=real_name, village=village)
    facts = ApplicantFacts(
        real_name=real_name,
        phone=phone,
        village=village,
        products=products,
        online_experience=EXPERIENCE[experience_raw],
        poor_household=poor,
    )
    application = submit_application(campaign=campaign, applicant=user, facts=facts, imported_by=by)
    if cohort is not None:
        application = change_application_status(
            application=application,
            to=Application.Status.ACCEPTED,
            by=by,
            note=str(_("Imported as a trainee")),
            allow_over_quota=True,
            notify_applicant=False,
        )
        add_to_cohort(application=application, cohort=cohort, by=by)


def run_rows(*, rows: list[dict], write_row, dry_run: bool, name_key: str = "real_name") -> ImportReport:
    """Check (dry run) or write every row with `write_row(row)`, each in its own savepoint and
    all in one transaction: a dry run, or a single bad row, means nothing is written."""
    report = ImportReport()
    with transaction.atomic():
        for row in rows:
            name = (row.get(name_key) or "").strip()
            try:
                with transaction.atomic():
                    write_row(row)
            except ValidationError as exc:
                report.rows.append(RowResult(line=row["line"], name=name, ok=False, message="；".join(exc.messages)))
            else:
                report.rows.append(RowResult(line=row["line"], name=name, ok=True))
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def run_import(*, rows: list[dict], campaign, cohort=None, by, dry_run: bool) -> ImportReport:
    """Check (dry run) or write every row; a single bad row means nothing is written."""
    lookup = Lookup()
    return run_rows(
        rows=rows,
        write_row=lambda row: _import_row(row, campaign=campaign, cohort=cohort, by=by, lookup=lookup),
        dry_run=dry_run,
    )
