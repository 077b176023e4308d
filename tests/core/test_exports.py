"""The one export writer (core.exports): no cell runs as a formula, numbers stay numbers, Excel
reads the Chinese text, the filename survives any browser, and Wagtail's exports go through it."""

import csv
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from django.utils import timezone

from core import exports

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # the byte-order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


# An XLSX file is XML: a carriage return in a cell reads back as a line feed.
QUOTED_IN_XLSX = ["'" + value.replace("\r", "\n") for value in HOSTILE]
SAFE_DISPOSITION = re.compile(r"attachment; filename=\"[A-Za-z0-9._-]+\"(; filename\*=UTF-8''[%A-Za-z0-9._~-]+)?")


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_each_dangerous_start_is_quoted(value):
    assert exports.neutralise(value) == "'" + value
    assert exports.neutralise(value, for_xlsx=True) == "'" + value


@pytest.mark.parametrize("value", ["脐橙", "a=b", " =1", "'=already", "", "1-2"])
def test_harmless_text_is_left_alone(value):
    assert exports.neutralise(value) == value


def test_numbers_stay_numbers_and_other_values_become_text():
    assert exports.neutralise(-2) == -2
    assert exports.neutralise(Decimal("-450.50")) == Decimal("-450.50")
    assert exports.neutralise(-1.5) == -1.5
    assert exports.neutralise(None) == ""
    assert exports.neutralise(datetime.date(2025, 3, 1)) == "2025-03-01"

    class Named:
        def __str__(self):
            return "=cmd|' /C calc'!A0"

    assert exports.neutralise(Named()) == "'=cmd|' /C calc'!A0"


def test_csv_has_the_bom_quotes_formulas_and_writes_numbers_as_numbers():
    content, count = exports.csv_bytes(
        header=["店名", "销售额"], rows=[[value, Decimal("-12.50")] for value in HOSTILE] + [["脐橙", 3]]
    )
    assert count == len(HOSTILE) + 1
    rows = read_csv(content)
    assert rows[0] == ["店名", "销售额"]
    assert [row[0] for row in rows[1:-1]] == ["'" + value for value in HOSTILE]
    assert all(row[1] == "-12.50" for row in rows[1:-1])  # a number, not "'-12.50"
    assert rows[-1] == ["脐橙", "3"]


def test_xlsx_reads_back_with_text_quoted_and_numbers_numeric():
    content = exports.xlsx_bytes(
        header=["店名", "销售额", "日期"],
        rows=[[value, Decimal("-12.50"), timezone.now()] for value in HOSTILE] + [["含\x01控制字符", -3, None]],
        title="销售/报表:2025",
    )
    book = load_workbook(io.BytesIO(content))
    assert book.active.title == "销售-报表-2025"
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("店名", "销售额", "日期")
    assert [row[0] for row in rows[1:-1]] == QUOTED_IN_XLSX
    assert all(row[1] == -12.5 and isinstance(row[2], datetime.datetime) for row in rows[1:-1])
    assert rows[-1][:2] == ("含控制字符", -3)  # a character XLSX cannot hold is dropped, not a 500
    assert not any(cell.data_type == "f" for row in book.active.iter_rows() for cell in row)


def test_a_workbook_of_several_sheets_quotes_every_sheet_and_keeps_titles_unique():
    content = exports.xlsx_workbook_bytes(
        sheets=[
            ("全县", ["乡镇", "户数"], [["甲镇", 3]]),
            ("甲镇", None, [[value, Decimal("1.5")] for value in HOSTILE]),
            ("甲镇", None, [["=1+1", 2]]),  # a second sheet of the same name
            ("x" * 40, None, []),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["全县", "甲镇", "甲镇 (2)", "x" * 31]
    assert [row[0] for row in book["甲镇"].iter_rows(values_only=True)] == QUOTED_IN_XLSX
    assert list(book["甲镇 (2)"].iter_rows(values_only=True)) == [("'=1+1", 2)]
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    response = exports.xlsx_workbook_response(filename="电商扶贫-2025", sheets=[("全县", None, [[1]])])
    assert response["Cache-Control"] == "private, no-store" and response["Content-Type"] == exports.XLSX_TYPE


def test_responses_are_private_downloads_with_a_safe_filename():
    response = exports.csv_response(filename="销售报表 2025", header=["a"], rows=[["=1"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"2025.csv\"; filename*=UTF-8''{quote('销售报表 2025.csv', safe='')}"
    )
    assert read_csv(response.content) == [["a"], ["'=1"]]

    streamed = exports.csv_response(filename="applications", header=["a"], rows=iter([["+1"]]), stream=True)
    assert streamed["Content-Disposition"] == 'attachment; filename="applications.csv"'
    assert read_csv(b"".join(streamed.streaming_content)) == [["a"], ["'+1"]]

    book = exports.xlsx_response(filename='evil"\r\nSet-Cookie: x=1/../', header=["a"], rows=[["@x"]])
    assert book["Content-Type"] == exports.XLSX_TYPE
    assert SAFE_DISPOSITION.fullmatch(book["Content-Disposition"]), book["Content-Disposition"]
    assert read_xlsx(book.content) == [("a",), ("'@x",)]


def test_spreadsheet_response_picks_the_format():
    assert exports.spreadsheet_response(format="csv", filename="f", header=None, rows=[])["Content-Type"].startswith(
        "text/csv"
    )
    assert exports.spreadsheet_response(format="xlsx", filename="f", header=None, rows=[])["Content-Type"] == (
        exports.XLSX_TYPE
    )
    with pytest.raises(ValueError):
        exports.spreadsheet_response(format="html", filename="f", header=None, rows=[])


def test_wagtail_listing_exports_go_through_the_writer():
    """Every Wagtail report and viewset export (SpreadsheetExportMixin) is routed here at start-up."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert SpreadsheetExportMixin.as_spreadsheet is exports._wagtail_as_spreadsheet

    class Listing(SpreadsheetExportMixin):
        list_export = ["name", "sales"]
        export_headings = {"name": "名称", "sales": "销售额"}
        export_filename = "名单"

    class Item:
        def __init__(self, name, sales):
            self.name, self.sales = name, sales

    items = [Item(value, Decimal("-1")) for value in HOSTILE]
    response = Listing().as_spreadsheet(items, "csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = read_csv(b"".join(response.streaming_content))
    assert rows[0] == ["名称", "销售额"]
    assert [row[0] for row in rows[1:]] == ["'" + value for value in HOSTILE]
    rows = read_xlsx(Listing().as_spreadsheet(items, "xlsx").content)
    assert [row[0] for row in rows[1:]] == QUOTED_IN_XLSX
    assert all(row[1] == -1 for row in rows[1:])
