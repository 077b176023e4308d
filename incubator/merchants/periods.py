"""Calendar months as the programme counts them: a month is the date of its first day."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month_start(month), 1) - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start`'s month to `end`'s month (0 when the same month)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
