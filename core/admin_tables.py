"""Columns of the office's admin listings. A yes/no field reads 是 / 否 in words: Wagtail's own
BooleanColumn draws an icon titled "True" / "False", and a plain field name prints True / False."""

from django.utils.text import capfirst

from wagtail.admin.ui.tables import BooleanColumn, Column


class YesNoColumn(Column):
    cell_template_name = "core/admin/yes_no_cell.html"

    def get_value(self, instance):
        value = super().get_value(instance)
        return None if value is None else bool(value)


def yes_no(model, field_name: str, **kwargs) -> YesNoColumn:
    """A listing column for a model's boolean field, labelled and sortable like a plain field name."""
    field = model._meta.get_field(field_name)
    kwargs.setdefault("label", capfirst(field.verbose_name))
    kwargs.setdefault("sort_key", field_name)
    return YesNoColumn(field_name, **kwargs)


def in_words(columns: list) -> list:
    """Wagtail's BooleanColumns of a listing (the users' "administrator") as YesNoColumns."""
    return [
        YesNoColumn(
            column.name,
            label=column.label,
            accessor=column.accessor,
            sort_key=column.sort_key,
            width=column.width,
            classname=column.classname,
        )
        if isinstance(column, BooleanColumn)
        else column
        for column in columns
    ]


def inspect_booleans_in_words() -> None:
    """Wagtail's inspect views print a yes/no field as True / False and an empty one as None: 是 / 否
    and a dash instead, for every inspect view (ours and Wagtail's). Called once at start-up."""
    from django.utils.translation import gettext

    from wagtail.admin.views.generic.models import InspectView

    shown_raw = InspectView.get_field_display_value

    def get_field_display_value(self, field_name, field):
        value = shown_raw(self, field_name, field)
        if value is None:
            return "—"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        return value

    InspectView.get_field_display_value = get_field_display_value
