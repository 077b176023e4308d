"""The office's user admin (Wagtail's, adjusted): people are named and found by their real name,
phone and email; the generated username is neither shown nor asked for, and never a way in."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import users as wagtail_users

from core.adapters import PhoneNumberField
from core.admin_tables import in_words
from core.models import User
from core.search.records import RecordSearchMixin

PHONE_TAKEN = _("This mobile phone number is already registered.")


def new_username(prefix: str = "u") -> str:
    """A unique, meaningless username: the model needs one, nobody types or sees it."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


class NoUsernameMixin:
    """Wagtail's user forms without the username field shown: a new person gets a generated one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Chinese names are one field (real_name); the model's username, first and last names are kept out of sight.
        for name in ("username", "first_name", "last_name"):
            self.fields[name].required = False
            self.fields[name].widget = forms.HiddenInput()
        self.fields["real_name"].required = True
        self.fields["phone"] = PhoneNumberField(required=False, initial=self.instance.phone)

    def separate_username_field(self):
        return False

    def _clean_username(self):
        self.cleaned_data["username"] = self.instance.username or new_username()

    def clean_phone(self):
        phone = self.cleaned_data.get("phone") or None
        if phone and User.objects.filter(phone=phone).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(PHONE_TAKEN)
        return phone

    def save(self, commit=True):
        self.instance.phone = self.cleaned_data.get("phone") or None
        return super().save(commit=commit)


class UserCreationForm(NoUsernameMixin, wagtail_forms.UserCreationForm):
    class Meta(wagtail_forms.UserCreationForm.Meta):
        fields = {"username", "real_name"} | wagtail_forms.standard_fields


class UserEditForm(NoUsernameMixin, wagtail_forms.UserEditForm):
    class Meta(wagtail_forms.UserEditForm.Meta):
        fields = {"username", "real_name", "is_active"} | wagtail_forms.standard_fields


class IndexView(RecordSearchMixin, wagtail_users.IndexView):
    # Wagtail searches the username and first and last names: people are found by their real name.
    search_fields = ["real_name", "email"]
    phone_search_fields = ["phone"]

    @property
    def columns(self):
        sign_in = Column(
            "sign_in",
            accessor=lambda user: user.phone_display or user.email,
            label=_("Mobile phone or email"),
            width="20%",
        )
        return in_words([sign_in if column.name == "username" else column for column in super().columns])


class UserViewSet(wagtail_users.UserViewSet):
    ordering = ["real_name", "pk"]
    index_view_class = IndexView
    create_template_name = "core/admin/user_create.html"
    edit_template_name = "core/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


def name_people_in_reports() -> None:
    """Wagtail's "aging pages" report names the last publisher by `get_username()` (the generated
    username) and prints "None" for a page nobody published through the admin: name them like the
    rest of the admin (get_full_name, the real name), with a dash for nobody. Called once at start-up."""
    from wagtail.admin.utils import get_user_display_name
    from wagtail.admin.views.reports.aging_pages import AgingPagesView

    def decorate_paginated_queryset(self, queryset):
        user_ids = {user_id for user_id in queryset.values_list("last_published_by", flat=True) if user_id}
        names = {user.pk: get_user_display_name(user) for user in self.user_model.objects.filter(pk__in=user_ids)}
        for page in queryset:
            self.add_last_publisher_name_to_page(names, page)
            page.last_published_by_user = page.last_published_by_user or "—"
        return queryset

    AgingPagesView.decorate_paginated_queryset = decorate_paginated_queryset
