"""The office's mentor admin (Wagtail): invite mentors (and see the invitations), assign trainees by hand or
automatically (preview first, nothing saved until applied), and see open recommendations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views import generic

from core.models import User
from core.office import OfficeRequiredMixin
from core.service_errors import add_service_errors
from mentors.selectors.relations import active_mentors, mentor_overview
from mentors.selectors.trainee_file import assignment_history
from mentors.services.assignment import assign_mentor, end_assignment
from mentors.services.matching import apply_proposal, parse_tokens, propose_assignments

from . import invitations
from .admin_forms import INVITATION_PROFILE_FIELDS, AssignForm, EndAssignmentForm
from .groups import trainee_group, trainee_groups
from .models import GraduationRecommendation, MentorAssignment, MentorInvitation


class AdminPage(OfficeRequiredMixin, generic.base.WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"
    index_url_name = "mentor_assignment:index"
    index_label = gettext_lazy("Assign mentors")

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse(self.index_url_name), "label": self.index_label}]
        title = self.get_page_title()
        if title != self.index_label:
            items.append({"url": "", "label": title})
        return items


class MentorCreateView(generic.CreateView):
    """Invite a person to be a mentor (found by email or phone, or created) with their profile, inactive
    until they accept."""

    def save_instance(self):
        data = self.form.cleaned_data
        self.sent = invitations.invite_mentor(
            real_name=data["real_name"],
            email=data["email"],
            phone=data["phone"],
            by=self.request.user,
            profile={name: data[name] for name in INVITATION_PROFILE_FIELDS},
        )
        return self.sent.invitation.user.mentor_profile

    def get_success_message(self, instance):
        if self.sent.created:
            return _(
                "%(name)s has been invited; a link to choose a password and accept has been sent. "
                "They become a mentor when they accept."
            ) % {"name": instance}
        return _(
            "%(name)s already has an account: the invitation has been sent to the email or phone on it. "
            "They become a mentor when they accept, signed in."
        ) % {"name": instance}


class GroupIndexView(AdminPage):
    template_name = "mentors/admin/group_index.html"
    page_title = gettext_lazy("Assign mentors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = []
        for group in trainee_groups():
            ids = list(group.users.values_list("pk", flat=True))
            assigned = MentorAssignment.objects.active().filter(trainee_id__in=ids).count()
            groups.append({"group": group, "total": len(ids), "assigned": assigned, "unassigned": len(ids) - assigned})
        query = self.request.GET.get("q", "").strip()
        found = []
        if query:
            found = list(
                User.objects.filter(
                    Q(real_name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query)
                ).order_by("real_name", "pk")[:20]
            )
            current = active_mentors(trainee_ids=[u.pk for u in found])
            found = [(person, current.get(person.pk)) for person in found]
        context.update({"groups": groups, "query": query, "found": found, "mentors": list(mentor_overview())})
        return context


def _group_or_404(key):
    group = trainee_group(key)
    if group is None:
        raise Http404
    return group


class GroupDetailView(AdminPage):
    template_name = "mentors/admin/group_detail.html"

    def get_page_title(self):
        return self.group.label

    def dispatch(self, request, *args, **kwargs):
        self.group = _group_or_404(kwargs["key"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trainees = list(self.group.users.select_related("village__township").order_by("real_name", "pk"))
        current = active_mentors(trainee_ids=[t.pk for t in trainees])
        context.update({"group": self.group, "rows": [(t, current.get(t.pk)) for t in trainees]})
        return context


class ProposeView(AdminPage):
    """GET: the proposal with reasons (nothing saved). POST: save the pairs shown."""

    template_name = "mentors/admin/proposal.html"

    def get_page_title(self):
        return _("Automatic assignment: %(group)s") % {"group": self.group.label}

    def dispatch(self, request, *args, **kwargs):
        self.group = _group_or_404(kwargs["key"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = propose_assignments(trainees=self.group.users.values_list("pk", flat=True))
        context.update({"group": self.group, "proposal": proposal, "tokens": proposal.as_tokens()})
        return context

    def post(self, request, *args, **kwargs):
        allowed = set(self.group.users.values_list("pk", flat=True))
        pairs = [(t, m) for t, m in parse_tokens(request.POST.getlist("pair")) if t in allowed]
        result = apply_proposal(pairs=pairs, by=request.user)
        if result.created:
            messages.success(request, _("%(n)s trainees assigned to mentors.") % {"n": len(result.created)})
        for trainee, mentor, message in result.failed:
            messages.warning(
                request,
                _("%(trainee)s was not assigned to %(mentor)s: %(message)s")
                % {"trainee": trainee.display_name, "mentor": mentor.display_name, "message": message},
            )
        if not result.created and not result.failed:
            messages.info(request, _("Nothing to assign."))
        return redirect("mentor_assignment:group", self.group.key)


class AssignView(AdminPage):
    """Assign or reassign a mentor to one trainee by hand; the history stays visible."""

    template_name = "mentors/admin/assign.html"

    def get_page_title(self):
        return _("Mentor for %(name)s") % {"name": self.trainee.display_name}

    def dispatch(self, request, *args, **kwargs):
        self.trainee = get_object_or_404(User.objects.select_related("village__township"), pk=kwargs["trainee_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, end_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        history = list(assignment_history(trainee=self.trainee))
        context.update(
            {
                "trainee": self.trainee,
                "form": form or AssignForm(trainee=self.trainee),
                "end_form": end_form or EndAssignmentForm(),
                "history": history,
                "current": next((row for row in history if row.is_active), None),
                "products": list(self.trainee.products.all()),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if "end" in request.POST:
            end_form = EndAssignmentForm(request.POST)
            current = MentorAssignment.objects.active().filter(trainee=self.trainee).first()
            if current is None or not end_form.is_valid():
                return redirect("mentor_assignment:assign", self.trainee.pk)
            try:
                end_assignment(assignment=current, by=request.user, reason=end_form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The assignment has ended; it stays in the history."))
            return redirect("mentor_assignment:assign", self.trainee.pk)
        form = AssignForm(request.POST, trainee=self.trainee)
        if form.is_valid():
            try:
                assign_mentor(
                    trainee=self.trainee,
                    mentor=form.cleaned_data["mentor"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    allow_over_capacity=form.cleaned_data["allow_over_capacity"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(mentor)s now mentors %(trainee)s. Both have been notified.")
                    % {"mentor": form.cleaned_data["mentor"].display_name, "trainee": self.trainee.display_name},
                )
                return redirect("mentor_assignment:assign", self.trainee.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RecommendationIndexView(AdminPage):
    template_name = "mentors/admin/recommendations.html"
    page_title = gettext_lazy("Graduation recommendations")
    index_url_name = "mentor_recommendations:index"
    index_label = gettext_lazy("Graduation recommendations")
    header_icon = "success"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recommendations"] = list(
            GraduationRecommendation.objects.active().select_related("trainee", "mentor").order_by("created_at")
        )
        return context


class InvitationIndexView(AdminPage):
    """Every mentor invitation and what became of it, newest first (read-only: the record)."""

    template_name = "mentors/admin/invitations.html"
    page_title = gettext_lazy("Mentor invitations")
    index_url_name = "mentor_invitations:index"
    index_label = gettext_lazy("Mentor invitations")
    header_icon = "mail"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitations_qs = MentorInvitation.objects.select_related("user", "invited_by").order_by("-created_at", "-pk")
        page = Paginator(invitations_qs, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update({"invitations": page.object_list, "page_obj": page})
        return context
