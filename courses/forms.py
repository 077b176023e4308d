"""Forms of the trainee's side: the quiz (built from the lesson) and the practical task."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CourseCategory, CoursePage
from courses.services import MAX_GRANTED_ATTEMPTS


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=CourseCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
        to_field_name="slug",
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *CoursePage.Level.choices]
    )


class QuizForm(forms.Form):
    """One field per question; the choices' texts only, never whether they are right."""

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions, start=1):
            choices = [(choice["key"], choice["text"]) for choice in question["choices"]]
            label = f"{number}. {question['text']}"
            if question["multiple"]:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Tick every right answer."),
                )
            else:
                field = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)
            field.error_messages["required"] = _("Please answer this question.")
            field.error_messages["invalid_choice"] = _("This answer is not one of the choices; reload the page.")
            self.fields[f"q_{question['key']}"] = field

    def answers(self) -> dict[str, list[str]]:
        """The answers as posted, keyed by question, for the service to grade."""
        found = {}
        for name in self.fields:
            key = name.removeprefix("q_")
            value = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
            found[key] = [value] if isinstance(value, str) else list(value)
        # Keys posted for questions that are not in this quiz are passed on: the service refuses them.
        for name in self.data:
            if name.startswith("q_") and name not in self.fields:
                found[name.removeprefix("q_")] = self.data.getlist(name)
        return found


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf,video/mp4"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class TaskForm(forms.Form):
    text = forms.CharField(
        label=_("Notes for your mentor"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For example the address of your shop or product page."),
        error_messages={"invalid": _("Enter a web address, for example https://shop.example.com/.")},
    )
    files = MultipleFileField(
        label=_("Photos or files"),
        required=False,
        help_text=_("JPEG, PNG or WebP photos, PDF documents or MP4 videos. You can choose several at once."),
    )

    def __init__(self, *args, lesson=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lesson is not None:
            if lesson.task_wants_link:
                self.fields["link"].required = True
                self.fields["link"].error_messages["required"] = _(
                    "This task asks for a link: paste the address of your shop or product page."
                )
            if not lesson.task_min_files:
                self.fields["files"].label = _("Photos or files (optional)")


class QuizAttemptGrantForm(forms.Form):
    """More attempts at a quiz, given by the trainee's mentor or the office (with the reason)."""

    count = forms.IntegerField(label=_("More attempts"), min_value=1, max_value=MAX_GRANTED_ATTEMPTS, initial=1)
    reason = forms.CharField(
        label=_("Why (the trainee reads this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: we went through the packing rules together; try again."),
    )
