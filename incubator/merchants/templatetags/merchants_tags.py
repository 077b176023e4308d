from django import template

from incubator.merchants.charts import short_amount

register = template.Library()


@register.filter
def amount(value):
    """Large figures the way Chinese readers count them: 1028.6万, 10亿."""
    try:
        return short_amount(float(value))
    except (TypeError, ValueError):
        return value
