"""The office's tables of mentoring as exports (core.export_jobs): mentors and check-ins, both
downloaded at once from their admin listings. A column is one line of its table."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_jobs import Column, Table, listing_queryset
from core.phone import display_phone


def _names(items) -> str:
    return "、".join(str(item) for item in items)


def _mentor_listing(*, filters, user):
    from mentors.wagtail_hooks import mentor_profiles

    return listing_queryset(mentor_profiles.index_view, filters=filters, user=user)


def _checkin_listing(*, filters, user):
    from mentors.wagtail_hooks import checkins

    return listing_queryset(checkins.index_view, filters=filters, user=user)


MENTORS = Table(
    key="mentors",
    label=gettext_lazy("Mentors"),
    permission="mentors.view_mentorprofile",
    queryset=_mentor_listing,
    prepare=lambda qs: (
        qs.select_related("user")
        .prefetch_related("townships", "expertise", "skills")
        .annotate(
            current=Count(
                "user__mentee_assignments", filter=Q(user__mentee_assignments__ended_at__isnull=True), distinct=True
            )
        )
    ),
    columns=[
        Column("name", gettext_lazy("Mentor"), lambda m: m.user.display_name),
        Column("phone", gettext_lazy("Mobile phone"), lambda m: display_phone(m.user.phone or "")),
        Column("email", gettext_lazy("Email"), lambda m: m.user.email),
        Column("wechat", gettext_lazy("WeChat ID"), lambda m: m.wechat),
        Column("townships", gettext_lazy("Townships served"), lambda m: _names(m.townships.all())),
        Column("expertise", gettext_lazy("Expertise"), lambda m: _names(m.expertise.all())),
        Column("skills", gettext_lazy("Skills"), lambda m: _names(m.skills.all())),
        Column("current", gettext_lazy("Current trainees"), lambda m: m.current),
        Column("capacity", gettext_lazy("Capacity"), lambda m: m.capacity),
        Column("is_active", gettext_lazy("Active"), lambda m: _("yes") if m.is_active else _("no")),
    ],
)

CHECKINS = Table(
    key="checkins",
    label=gettext_lazy("Check-ins"),
    permission="mentors.view_checkin",
    queryset=_checkin_listing,
    prepare=lambda qs: qs.select_related("mentor", "trainee"),
    columns=[
        Column("date", gettext_lazy("Date"), lambda c: c.date),
        Column("mentor", gettext_lazy("Mentor"), lambda c: c.mentor.display_name),
        Column("trainee", gettext_lazy("Trainee"), lambda c: c.trainee.display_name),
        Column("channel", gettext_lazy("Channel"), lambda c: c.get_channel_display()),
        Column("notes", gettext_lazy("Notes"), lambda c: c.notes),
        Column("next_steps", gettext_lazy("Next steps"), lambda c: c.next_steps),
        Column("created_at", gettext_lazy("Recorded"), lambda c: c.created_at),
    ],
)

EXPORT_TABLES = [MENTORS, CHECKINS]
