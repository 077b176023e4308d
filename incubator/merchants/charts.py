"""Charts drawn on the server as inline SVG: no scripts, readable on a phone, printable."""

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 40


def _nice_ceiling(value: float) -> float:
    """A round number at or above `value` for the top of the axis (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def short_amount(value: float) -> str:
    """12 345 678 → 1234.6万; Chinese readers count in 万 (10 000) and 亿 (100 000 000)."""
    value = float(value)
    if value >= 100_000_000:
        return _("%(n)s hundred million") % {"n": f"{value / 100_000_000:.1f}".rstrip("0").rstrip(".")}
    if value >= 10_000:
        return _("%(n)s ten thousand") % {"n": f"{value / 10_000:.1f}".rstrip("0").rstrip(".")}
    return f"{value:.0f}"


def bar_chart(points, *, title: str, value_label: str = "", chart_id: str = "chart") -> SafeString:
    """A bar chart of (label, value) pairs as accessible SVG (a title, a description, one <title> per bar)."""
    points = [(str(label), float(value or 0)) for label, value in points]
    if not points:
        return format_html('<p class="meta">{}</p>', _("No figures yet."))
    top = _nice_ceiling(max(value for _label, value in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(points)
    bar_w = max(slot * 0.7, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(", ".join(f"{label}: {value:,.0f}" for label, value in points))}</desc>',
    ]
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(short_amount(value))}</text>'
        )
    # At most six month labels: they stay readable on a 360-pixel phone.
    every = max(1, -(-len(points) // 6))
    for index, (label, value) in enumerate(points):
        height = plot_h * value / top if top else 0
        x = LEFT + slot * index + (slot - bar_w) / 2
        y = TOP + plot_h - height
        tooltip = f"{label}: {value:,.2f}{(' ' + value_label) if value_label else ''}"
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}">'
            f"<title>{escape(tooltip)}</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f'<text class="chart-axis" x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(f'<line class="chart-base" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every label and value above is escaped


def sales_chart(month_points, *, title: str, chart_id: str = "sales-chart") -> SafeString:
    """Monthly sales (selectors.MonthPoint) as bars labelled YYYY-MM."""
    return bar_chart(
        [(f"{point.month:%Y-%m}", Decimal(point.sales)) for point in month_points],
        title=title,
        value_label=_("yuan"),
        chart_id=chart_id,
    )
