"""The poverty-alleviation report as the county reports it upward: a summary sheet of the
townships, then one sheet per township with its cooperatives and a totals row. Rows only: the
file is written by core/exports.py."""

from django.utils.translation import gettext as _


def _figures(figures) -> list:
    return [
        figures.households,
        figures.poor_households,
        figures.income_to_poor,
        figures.average_gain_per_poor,
        figures.income,
    ]


def _figure_headers() -> list:
    return [
        _("Households linked"),
        _("Registered poor households linked"),
        _("Income paid to poor households (yuan)"),
        _("Average gain per poor household (yuan)"),
        _("Income paid to all member households (yuan)"),
    ]


def report_sheets(report) -> list[tuple[str, list, list]]:
    """[(sheet title, header, rows)] of a PovertyReport."""
    yes, no = _("met"), _("not met")
    summary = [
        [
            township.township.name,
            len(township.cooperatives),
            yes if township.covered else no,
            *_figures(township.totals),
        ]
        for township in report.townships
    ]
    summary.append(
        [
            _("Total"),
            report.cooperative_count,
            f"{report.townships_covered}/{len(report.townships)}",
            *_figures(report.totals),
        ]
    )
    sheets = [
        (
            _("County %(year)s") % {"year": report.year},
            [_("Township"), _("Cooperatives"), _("A cooperative in the township"), *_figure_headers()],
            summary,
        )
    ]
    for township in report.townships:
        rows = [
            [
                row.cooperative.name,
                row.cooperative.leader.display_name if row.cooperative.leader else "",
                *_figures(row.figures),
            ]
            for row in township.cooperatives
        ]
        rows.append([_("Total"), "", *_figures(township.totals)])
        sheets.append((township.township.name, [_("Cooperative"), _("Leader"), *_figure_headers()], rows))
    return sheets
