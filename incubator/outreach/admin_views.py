"""The county office's outreach screens in the Wagtail admin: supervision across all mentors
(at-risk trainees, mentors' contacts), acting for villagers (a check-in, a profile correction),
group messages, and offline classes with their attendance. Every view is guarded by core.office."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core import history
from core.models import User
from core.office import office_required
from core.service_errors import add_service_errors
from incubator.outreach import forms as outreach_forms
from incubator.outreach.models import ClassSession
from incubator.outreach.selectors import classes as class_selectors
from incubator.outreach.selectors import group_messages as message_selectors
from incubator.outreach.selectors import supervision
from incubator.outreach.services import classes as class_services
from incubator.outreach.services import group_messages as message_services
from incubator.outreach.services import profiles
from mentors.forms import CheckInForm
from mentors.selectors.relations import active_mentors
from mentors.services.checkins import record_office_checkin

PER_PAGE = 50
VIEW_TRAINEES = "recruitment.view_traineeprofile"


def _query_string(form) -> str:
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.data.items() if k != "page" and v})


@office_required(permission=VIEW_TRAINEES)
def at_risk(request):
    form = outreach_forms.AtRiskFilterForm(request.GET or None)
    rows = supervision.at_risk_rows(
        township=form.value("township") if form.is_bound else None,
        cohort=form.value("cohort") if form.is_bound else None,
        mentor=form.value("mentor") if form.is_bound else None,
        reason=(form.value("reason") or "") if form.is_bound else "",
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "rows": page.object_list, "count": len(rows)}
    context["query_string"] = _query_string(form) if form.is_bound else ""
    return TemplateResponse(request, "outreach/admin/at_risk.html", context)


@office_required(permission=VIEW_TRAINEES)
def contacts(request):
    from django.conf import settings

    form = outreach_forms.ContactsFilterForm(request.GET or None)
    days = (form.value("days") if form.is_bound else None) or settings.OUTREACH_NOT_CONTACTED_DAYS
    groups = supervision.mentor_contacts(
        days=days,
        township=form.value("township") if form.is_bound else None,
        cohort=form.value("cohort") if form.is_bound else None,
        mentor=form.value("mentor") if form.is_bound else None,
    )
    context = {
        "form": form,
        "groups": groups,
        "days": days,
        "today": timezone.localdate(),
        "overdue_count": sum(len(group.overdue) for group in groups),
    }
    return TemplateResponse(request, "outreach/admin/contacts.html", context)


def _trainee_or_404(person_id):
    return get_object_or_404(User.objects.select_related("village__township"), pk=person_id, is_active=True)


@office_required(permission="mentors.add_checkin")
def office_checkin(request, person_id):
    trainee = _trainee_or_404(person_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_office_checkin(office=request.user, trainee=trainee, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Check-in saved as the county office's."))
            return redirect("outreach_admin:person", trainee.pk)
    return TemplateResponse(request, "outreach/admin/checkin.html", {"trainee": trainee, "form": form})


@office_required(permission=VIEW_TRAINEES)
def person(request, person_id):
    """A villager as the office acts for them: their profile, its history, check-ins, classes."""
    from mentors.selectors.trainee_file import checkins_for

    person = _trainee_or_404(person_id)
    context = {
        "person": person,
        "products": list(person.products.all()),
        # Their shops, each with the way to enter a month they reported by phone (merchants_admin).
        "shops": list(person.shops.order_by("name", "pk")),
        "history": history.entries(person),
        "checkins": list(checkins_for(trainee=person)[:20]),
        "attendance": class_selectors.attendance_of(user=person),
        "mentor": active_mentors(trainee_ids=[person.pk]).get(person.pk),
        "may_correct": profiles.is_villager(person),
    }
    return TemplateResponse(request, "outreach/admin/person.html", context)


@office_required(permission="recruitment.change_traineeprofile")
def correct_profile(request, person_id):
    person = _trainee_or_404(person_id)
    if not profiles.is_villager(person):
        raise Http404
    form = outreach_forms.ProfileCorrectionForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profiles.correct_profile(
                office=request.user,
                person=person,
                reason=data["reason"],
                real_name=data["real_name"],
                phone=data["phone"],
                village=data["village"],
                products=data["products"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Profile of %(name)s corrected; they have been told why.") % {"name": data["real_name"]}
            )
            return redirect("outreach_admin:person", person.pk)
    context = {"person": person, "form": form, "history": history.entries(person)}
    return TemplateResponse(request, "outreach/admin/correct_profile.html", context)


# --- group messages ---------------------------------------------------------------------------


@office_required(permission="outreach.view_groupmessage")
def message_index(request):
    page = Paginator(message_selectors.sent_by(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "group_messages": [(m, message_selectors.delivery(m)) for m in page.object_list]}
    return TemplateResponse(request, "outreach/admin/message_index.html", context)


def send_message_view(request, *, template, done):
    """The one compose view of the office and of mentors (`done(message)` is where to go next)."""
    form = outreach_forms.GroupMessageForm(request.POST or None, sender=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = message_services.send_group_message(
                sender=request.user,
                audience=data["audience"],
                title=data["title"],
                text=data["text"],
                cohort=data.get("cohort"),
                township=data.get("township"),
                campaign=data.get("campaign"),
                application_status=data.get("application_status") or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Message sent to %(n)s people.") % {"n": sent.recipient_count})
            return done(sent)
    limit = message_services.daily_limit()
    context = {"form": form, "limit": limit, "sent_today": message_services.sent_today(sender=request.user)}
    return TemplateResponse(request, template, context)


@office_required(permission="outreach.add_groupmessage")
def message_new(request):
    return send_message_view(
        request, template="outreach/admin/message_form.html", done=lambda m: redirect("outreach_admin:message", m.pk)
    )


def message_detail_context(*, user, pk):
    found = message_selectors.sent_by(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    recipients = list(
        found.recipients.select_related("recipient", "notification").order_by("recipient__real_name", "pk")[:200]
    )
    return {"group_message": found, "delivery": message_selectors.delivery(found), "recipients": recipients}


@office_required(permission="outreach.view_groupmessage")
def message_detail(request, pk):
    return TemplateResponse(
        request, "outreach/admin/message_detail.html", message_detail_context(user=request.user, pk=pk)
    )


# --- offline classes --------------------------------------------------------------------------


class ClassSessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["cohort", "date", "starts_at", "place", "topic", "led_by", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core import roles

        self.fields["led_by"].queryset = (
            User.objects.filter(groups__name__in=[roles.MENTOR, roles.OFFICE], is_active=True)
            .distinct()
            .order_by("real_name", "pk")
        )
        self.fields["led_by"].label_from_instance = lambda user: user.display_name


@office_required(permission="outreach.view_classsession")
def class_index(request):
    sessions = class_selectors.with_counts(ClassSession.objects.all())
    page = Paginator(sessions, PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "outreach/admin/class_index.html", {"page_obj": page, "sessions": page.object_list}
    )


@office_required(permission="outreach.add_classsession")
def class_new(request):
    return _class_form(request, ClassSession())


@office_required(permission="outreach.change_classsession")
def class_edit(request, pk):
    return _class_form(request, get_object_or_404(ClassSession, pk=pk))


def _class_form(request, session):
    form = ClassSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Class saved."))
        return redirect("outreach_admin:class_attendance", saved.pk)
    return TemplateResponse(request, "outreach/admin/class_form.html", {"form": form, "session": session})


def attendance_view(request, session, *, template, done):
    """The one attendance page of the office and of the class's mentor."""
    form = outreach_forms.AttendanceForm(request.POST or None, roster=class_selectors.roster(session=session))
    if request.method == "POST" and form.is_valid():
        try:
            changed = class_services.record_attendance(session=session, by=request.user, statuses=form.statuses())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Attendance saved (%(n)s changed).") % {"n": changed})
            return done()
    return TemplateResponse(request, template, {"session": session, "form": form})


@office_required(permission="outreach.change_attendance")
def class_attendance(request, pk):
    session = get_object_or_404(ClassSession.objects.select_related("cohort", "led_by"), pk=pk)
    return attendance_view(
        request,
        session,
        template="outreach/admin/class_attendance.html",
        done=lambda: redirect("outreach_admin:class_index"),
    )
