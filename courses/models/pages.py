"""The learning content: the catalogue, courses and lessons (Wagtail pages)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.models.bilingual import BilingualNameMixin, BilingualTitleMixin
from core.pages import ViewRestrictionsInOneQueryMixin
from courses.blocks import LessonBodyBlock, QuizBlock


class CourseCategory(BilingualNameMixin):
    """A subject area of the catalogue (shop operations, photography, logistics...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")


class CourseIndexPage(ViewRestrictionsInOneQueryMixin, Page):
    """The course catalogue at /courses/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["incubator.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses.page_serving import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, self))
        return context


class CoursePage(BilingualTitleMixin, ViewRestrictionsInOneQueryMixin, Page):
    """A course: a sequence of lessons, with objectives and who may enrol."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Enrolment(models.TextChoices):
        OPEN = "open", _("Open to everyone")
        COHORT = "cohort", _("Cohort members only")

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), max_length=500)
    summary_en = models.TextField(_("summary (English)"), max_length=500, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
    )
    category = models.ForeignKey(
        CourseCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("category"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER)
    enrolment = models.CharField(
        _("enrolment"),
        max_length=10,
        choices=Enrolment.choices,
        default=Enrolment.OPEN,
        help_text=_("Cohort-only courses are assigned to the members of a cohort by the office."),
    )
    objectives = models.TextField(_("learning objectives"), blank=True, help_text=_("One objective per line."))
    prerequisites = models.TextField(
        _("prerequisites"), blank=True, help_text=_("What a learner should know or have before starting.")
    )
    # Kept up to date when lessons are published, unpublished, moved or deleted, so that
    # lists of courses show their length and progress without counting lessons per course.
    live_lesson_count = models.PositiveSmallIntegerField(_("published lessons"), default=0, editable=False)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=0, editable=False)

    search_fields = Page.search_fields + [
        index.SearchField("title_en"),
        index.SearchField("summary"),
        index.SearchField("summary_en"),
        index.SearchField("objectives"),
        index.FilterField("level"),
        index.FilterField("category_id"),
        index.FilterField("enrolment"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        MultiFieldPanel(
            [FieldPanel("summary"), FieldPanel("summary_en"), FieldPanel("cover_image")],
            heading=_("Summary"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("category"), FieldPanel("level")]), FieldPanel("enrolment")],
            heading=_("Catalogue"),
        ),
        MultiFieldPanel([FieldPanel("objectives"), FieldPanel("prerequisites")], heading=_("What you will learn")),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def is_open(self) -> bool:
        return self.enrolment == self.Enrolment.OPEN

    def get_context(self, request, *args, **kwargs):
        from courses.page_serving import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from courses.page_serving import enroll_from_course_page

            return enroll_from_course_page(request, self)
        return super().serve(request, *args, **kwargs)


class LessonPage(BilingualTitleMixin, ViewRestrictionsInOneQueryMixin, Page):
    """A lesson: teaching content, and optionally a quiz and a practical task."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name=_("body"))

    quiz = StreamField(QuizBlock(), blank=True, verbose_name=_("quiz questions"))
    quiz_pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, help_text=_("The share of questions answered right to pass.")
    )
    quiz_max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 allows unlimited attempts.")
    )

    task_title = models.CharField(_("task title"), max_length=200, blank=True)
    task_instructions = RichTextField(
        _("task instructions"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Leave empty when this lesson has no practical task."),
    )
    task_wants_link = models.BooleanField(_("asks for a link"), default=False)
    task_min_files = models.PositiveSmallIntegerField(
        _("files required"), default=0, help_text=_("How many photos or files the learner must upload (0 for none).")
    )

    search_fields = Page.search_fields + [
        index.SearchField("title_en"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("summary"), FieldPanel("summary_en")]),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    quiz_panels = [
        FieldRowPanel([FieldPanel("quiz_pass_percent"), FieldPanel("quiz_max_attempts")]),
        FieldPanel("quiz"),
    ]
    task_panels = [
        FieldPanel("task_title"),
        FieldPanel("task_instructions"),
        FieldRowPanel([FieldPanel("task_wants_link"), FieldPanel("task_min_files")]),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(quiz_panels, heading=_("Quiz")),
            ObjectList(task_panels, heading=_("Practical task")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def clean(self):
        super().clean()
        if self.quiz_pass_percent > 100:
            raise ValidationError({"quiz_pass_percent": _("The pass mark is a percentage from 0 to 100.")})
        if self.task_min_files > 10:
            raise ValidationError({"task_min_files": _("Ask for at most 10 files.")})

    @property
    def has_quiz(self) -> bool:
        return len(self.quiz) > 0

    @property
    def has_task(self) -> bool:
        return bool(self.task_instructions.strip())

    @cached_property
    def questions(self) -> list[dict]:
        """The quiz as plain data: [{key, text, multiple, explanation, choices: [{key, text, correct}]}]."""
        found = []
        for block in self.quiz:
            value = block.value
            found.append(
                {
                    "key": block.id,
                    "text": value["text"],
                    "multiple": value["multiple"],
                    "explanation": value["explanation"],
                    "choices": [
                        {"key": choice.id, "text": choice.value["text"], "correct": choice.value["correct"]}
                        for choice in value["choices"].bound_blocks
                    ],
                }
            )
        return found

    def get_context(self, request, *args, **kwargs):
        from courses.page_serving import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request, self, kwargs.get("forms")))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from courses.page_serving import lesson_post

            return lesson_post(request, self)
        return super().serve(request, *args, **kwargs)
