"""Import of households from the sheet the township already keeps (CSV or XLSX), with a dry run
and an all-or-nothing write: the trainee import's machinery (incubator.recruitment.imports).

A row names a household (head and village) and may give its people, whether it is a registered
poor household and since when, a contact phone and an ID-card number; the office may make every
household of the sheet a member of one cooperative. A household already in the register (same
village, same head, same ID card's last four when the sheet gives them) is updated, not doubled.
ID-card numbers are masked as the sheet is read, before the rows are kept for the import step.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incubator.cooperatives.models import Membership
from incubator.cooperatives.services.households import (
    BAD_ID_CARD,
    find_household,
    join_cooperative,
    mask_id_card,
    register_household,
    update_household,
)
from incubator.recruitment.imports import Lookup, read_sheet, run_rows, yes_no

COLUMNS = {
    "head_name": ("户主", "户主姓名", "姓名", "head of household", "head"),
    "village": ("村", "村庄", "行政村", "village"),
    "members": ("家庭人口", "人口", "人数", "members", "people"),
    "poor": ("建档立卡", "建档立卡贫困户", "贫困户", "registered poor", "poor household"),
    "poor_since": ("建档立卡时间", "识别时间", "registered since", "poor since"),
    "phone": ("联系电话", "电话", "手机", "手机号", "phone", "contact"),
    "id_card": ("身份证号", "身份证号码", "身份证", "id card", "id_card"),
}
REQUIRED = ("head_name", "village")
BAD_ID_MARK = "!"

HEAD_REQUIRED = _("The head of household is missing.")
BAD_MEMBERS = _("Write the number of people in the household, not “%(value)s”.")
BAD_DATE = _("Write the date as 2016-03-01 (or the year alone), not “%(value)s”.")
BAD_POOR = _("Write yes or no for the registered poor household column, not “%(value)s”.")


def read_household_sheet(uploaded) -> list[dict]:
    """The sheet's rows, with every ID-card number already masked (a bad one is marked, not kept)."""
    rows = read_sheet(uploaded, columns=COLUMNS, required=REQUIRED)
    for row in rows:
        if row.get("id_card"):
            try:
                row["id_card"] = mask_id_card(row["id_card"])
            except ValidationError:
                row["id_card"] = BAD_ID_MARK
    return rows


def _date(value: str) -> datetime.date | None:
    value = (value or "").strip()[:10]
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m", "%Y/%m", "%Y.%m", "%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValidationError(BAD_DATE, params={"value": value})


def _members(value: str) -> int:
    value = (value or "").strip() or "1"
    if not value.isdigit() or int(value) < 1:
        raise ValidationError(BAD_MEMBERS, params={"value": value})
    return int(value)


def _write_row(row, *, lookup, cooperative, joined_on, by) -> None:
    head_name = (row.get("head_name") or "").strip()
    if not head_name:
        raise ValidationError(HEAD_REQUIRED)
    village = lookup.village(row.get("village") or "")
    id_card = row.get("id_card") or ""
    if id_card == BAD_ID_MARK:
        raise ValidationError(BAD_ID_CARD)
    facts = {
        "members": _members(row.get("members")),
        "is_registered_poor": yes_no(row.get("poor") or "", message=BAD_POOR),
        "poor_since": _date(row.get("poor_since")),
        "phone": (row.get("phone") or "").strip(),
    }
    household = find_household(village=village, head_name=head_name, id_card=id_card)
    if household is None:
        household = register_household(head_name=head_name, village=village, id_card=id_card, by=by, **facts)
    else:
        update_household(
            household=household,
            by=by,
            reason=str(_("Imported from the township's sheet")),
            id_card=id_card or None,
            **facts,
        )
    if cooperative is not None:
        is_member = Membership.objects.filter(
            cooperative=cooperative, household=household, left_on__isnull=True
        ).exists()
        if not is_member:
            join_cooperative(cooperative=cooperative, household=household, joined_on=joined_on, by=by)


def run_household_import(*, rows: list[dict], by, dry_run: bool, cooperative=None, joined_on=None):
    """Check (dry run) or write every row: all rows or none (an ImportReport)."""
    lookup = Lookup()
    return run_rows(
        rows=rows,
        write_row=lambda row: _write_row(row, lookup=lookup, cooperative=cooperative, joined_on=joined_on, by=by),
        dry_run=dry_run,
        name_key="head_name",
    )
