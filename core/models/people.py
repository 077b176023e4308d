from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.phone import display_phone


class User(AbstractUser):
    """A person: applicant, trainee, merchant, mentor or office staff (roles are groups).

    Login is by phone or email (allauth); `username` is generated and never shown.
    """

    real_name = models.CharField(_("real name"), max_length=60, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=20, unique=True, null=True, blank=True, help_text=_("Stored in E.164 form.")
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    village = models.ForeignKey(
        "core.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("home village"),
    )
    products = models.ManyToManyField(
        "core.ProductCategory", blank=True, related_name="people", verbose_name=_("products grown or made")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def save(self, *args, **kwargs):
        # Django's and Wagtail's own displays (the admin sidebar) read first_name, else the username:
        # first_name mirrors the one Chinese name field, so that the generated username never shows.
        self.first_name = (self.real_name or "")[:150]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "real_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "first_name"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        """The name people know: Wagtail's admin shows this wherever it names a person. Never the
        generated username, which is neither shown nor a way to sign in."""
        name = self.real_name or self.last_name
        if name:
            return name
        if self.email or self.phone:
            return self.email or display_phone(self.phone)
        return _("person no. %(number)s") % {"number": self.pk or "-"}

    get_short_name = get_full_name

    @property
    def display_name(self) -> str:
        return self.get_full_name()

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone or "")

    def __str__(self):
        return self.display_name
