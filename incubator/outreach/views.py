"""The outreach pages outside the admin: a mentor's classes and attendance (/mentor/classes/),
a mentor's group messages to their own trainees (/mentor/messages/), and a trainee's own classes
(/me/classes/). Private pages: never stored (core.middleware), each object checked per person."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from incubator.outreach.admin_views import attendance_view, message_detail_context, send_message_view
from incubator.outreach.selectors import classes as class_selectors
from incubator.outreach.selectors import group_messages as message_selectors
from mentors.views import mentor_required

MESSAGES_SHOWN = 50


@mentor_required
def mentor_classes(request):
    sessions = list(class_selectors.sessions_led_by(user=request.user)[:100])
    return render(request, "outreach/mentor_classes.html", {"sessions": sessions, "tab": "classes"})


@mentor_required
def mentor_attendance(request, pk):
    session = class_selectors.session_for(user=request.user, session_id=pk)
    if session is None:
        raise Http404
    return attendance_view(
        request, session, template="outreach/attendance.html", done=lambda: redirect("outreach:mentor_classes")
    )


@mentor_required
def mentor_messages(request):
    sent = [(m, message_selectors.delivery(m)) for m in message_selectors.sent_by(user=request.user)[:MESSAGES_SHOWN]]
    return render(request, "outreach/mentor_messages.html", {"group_messages": sent, "tab": "messages"})


@mentor_required
def mentor_message_new(request):
    return send_message_view(
        request, template="outreach/mentor_message_form.html", done=lambda m: redirect("outreach:mentor_message", m.pk)
    )


@mentor_required
def mentor_message(request, pk):
    context = message_detail_context(user=request.user, pk=pk)
    return render(request, "outreach/mentor_message_detail.html", {**context, "tab": "messages"})


@login_required
def my_classes(request):
    return render(request, "outreach/my_classes.html", {"attendance": class_selectors.attendance_of(user=request.user)})
