from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def english_active() -> bool:
    return (get_language() or "").startswith("en")


class BilingualTitleMixin:
    """A page with an optional English title (`title_en`, a field of the page model): Wagtail's admin
    (explorer, choosers, breadcrumbs, the editor's header) shows it when English is active; the
    site's templates use the `bilingual` filter (core_tags)."""

    def get_admin_display_title(self):
        if getattr(self, "title_en", "") and english_active():
            return self.title_en
        return super().get_admin_display_title()


class BilingualNameMixin(models.Model):
    """A Chinese name (the default) and an optional English one, shown by the active language."""

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and english_active():
            return self.name_en
        return self.name
