"""Another person's things, asked for by their id, are never answered: a 404, as for an id that
does not exist (so that a 403 does not even confirm they exist).

The security matrix asks for trainee A's things as everyone; here the mirror (A asks for B's),
a walk over every id near the real ones (guessing the next number finds nothing), and the
certificate whose PDF is still being made (a draft) are checked too.
"""

import pytest

from django.urls import reverse

from tests.security.matrix import NF, REDIRECT, outcome
from tests.support.payloads import RAW_MARKERS

pytestmark = pytest.mark.django_db

# (url name, the arguments for `who`'s object) -> their owner sees it; the other trainee gets a 404.
OWNED = [
    ("recruitment:my_application", lambda w, who: {"pk": w.objects[f"application_{who}"].pk}),
    ("recruitment:edit_application", lambda w, who: {"pk": w.objects[f"application_{who}"].pk}),
    ("recruitment:withdraw_application", lambda w, who: {"pk": w.objects[f"application_{who}"].pk}),
    ("merchants:shop_detail", lambda w, who: {"pk": w.objects[f"shop_{who}"].pk}),
    ("merchants:shop_edit", lambda w, who: {"pk": w.objects[f"shop_{who}"].pk}),
    (
        "merchants:report_edit",
        lambda w, who: {"pk": w.objects[f"shop_{who}"].pk, "report_pk": w.objects[f"report_{who}"].pk},
    ),
    ("courses:submission_file", lambda w, who: {"pk": w.objects[f"file_{who}"].pk}),
    # A cooperative's ledger and its households: its own leader only (and the office).
    ("cooperatives:ledger", lambda w, who: {"pk": w.objects[f"cooperative_{who}"].pk}),
    (
        "cooperatives:household",
        lambda w, who: {"pk": w.objects[f"cooperative_{who}"].pk, "household_pk": w.objects[f"household_{who}"].pk},
    ),
    (
        "cooperatives:entry_correct",
        lambda w, who: {
            "pk": w.objects[f"cooperative_{who}"].pk,
            "kind": "purchase",
            "entry_pk": w.objects[f"purchase_{who}"].pk,
        },
    ),
    ("merchants:evidence_file", lambda w, who: {"pk": w.objects[f"evidence_{who}"].pk}),
    ("merchants:order_export_file", lambda w, who: {"pk": w.objects[f"order_export_{who}"].pk}),
]
OTHER = {"a": "b", "b": "a"}


@pytest.mark.parametrize("owner", ["a", "b"])
@pytest.mark.parametrize(("name", "kwargs"), OWNED, ids=[name for name, _kwargs in OWNED])
def test_a_trainee_gets_a_404_for_the_other_trainees_things(name, kwargs, owner, world, as_persona):
    url = reverse(name, kwargs=kwargs(world, owner))
    assert as_persona(f"trainee_{owner}").get(url).status_code == 200
    response = as_persona(f"trainee_{OTHER[owner]}").get(url)
    assert response.status_code == 404
    assert world.objects[f"shop_{owner}"].name not in response.content.decode(errors="replace")


@pytest.mark.parametrize(
    ("name", "arg", "model_path"),
    [
        ("courses:submission_file", "pk", "courses.SubmissionFile"),
        ("recruitment:my_application", "pk", "recruitment.Application"),
        ("merchants:shop_detail", "pk", "merchants.Shop"),
        ("mentors:submission", "pk", "courses.TaskSubmission"),
        ("merchants:evidence_file", "pk", "merchants.SalesEvidence"),
        ("merchants:order_export_file", "pk", "merchants.OrderExportUpload"),
        ("merchants:mentor_report", "pk", "merchants.SalesReport"),
    ],
)
def test_guessing_ids_finds_nothing_of_anyone_else(name, arg, model_path, world, as_persona):
    from django.apps import apps

    model = apps.get_model(model_path)
    persona = "mentor_other" if name.startswith("mentors:") or ":mentor_" in name else "trainee_b"
    client = as_persona(persona)
    visible = set()
    # Every row there is, and the ids around them (the database's sequences go on counting from
    # earlier tests, so the rows of this world start anywhere): each is a guess a person could make.
    existing = set(model.objects.values_list("pk", flat=True))
    guesses = existing | {pk + step for pk in existing for step in (-2, -1, 1, 2, 5)} | {1, 2, 3}
    for pk in sorted(guess for guess in guesses if guess > 0):
        response = client.get(reverse(name, kwargs={arg: pk}))
        if response.status_code == 200:
            visible.add(pk)
        else:
            assert response.status_code == 404, (name, pk, response.status_code)
    if model_path == "courses.SubmissionFile":
        allowed = set(model.objects.filter(submission__user=world.trainee_b).values_list("pk", flat=True))
    elif model_path == "courses.TaskSubmission":
        allowed = set(model.objects.filter(user=world.trainee_b).values_list("pk", flat=True))
    elif model_path == "merchants.OrderExportUpload" or model_path == "merchants.SalesEvidence":
        allowed = set(model.objects.filter(report__shop__owner=world.trainee_b).values_list("pk", flat=True))
    elif model_path == "merchants.SalesReport":  # mentor_other mentors trainee B
        allowed = set(model.objects.filter(shop__owner=world.trainee_b).values_list("pk", flat=True))
    elif model_path == "recruitment.Application":
        allowed = set(model.objects.filter(applicant=world.trainee_b).values_list("pk", flat=True))
    else:
        allowed = set(model.objects.filter(owner=world.trainee_b).values_list("pk", flat=True))
    assert visible == allowed


def test_a_certificate_still_being_made_is_no_ones_but_its_holders(world, as_persona):
    """A certificate without its PDF yet (a draft): its holder is told to come back; anyone else,
    even someone who guessed the code, gets a 404."""
    from incubator.merchants.models import Certificate

    draft = Certificate.objects.create(
        holder=world.trainee_b,
        cohort=None,
        holder_name=world.trainee_b.real_name,
        cohort_name="第二期",
        issued_on=world.certificate_a.issued_on,
    )
    url = reverse("merchants:certificate_pdf", args=[draft.code])
    assert outcome(as_persona("trainee_b").get(url)) == REDIRECT
    for persona in ("trainee_a", "mentor_a", "mentor_other"):
        assert outcome(as_persona(persona).get(url)) == NF, persona


def test_a_certificate_pdf_is_never_cached_by_a_shared_cache(world, as_persona):
    response = as_persona("trainee_a").get(reverse("merchants:certificate_pdf", args=[world.certificate_a.code]))
    assert response.status_code == 200
    cache_control = response.get("Cache-Control", "")
    assert "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control
    # Read, not close(): closing a response sends request_finished, which would close the
    # database connection that the module's shared world lives in.
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_private_files_are_not_under_the_public_media_address(world, as_persona, settings):
    """Submissions and certificates live outside MEDIA_ROOT: no /media/ address reaches them."""
    from pathlib import Path

    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media not in private.parents and private != media
    for name in (world.file_a.file.name, world.certificate_a.pdf.name):
        response = as_persona("anonymous").get(f"/media/{name}")
        assert response.status_code == 404


def test_public_pages_show_no_ones_phone_or_email(world, as_persona):
    """The directory and certificate verification are public: names and shops, never contacts."""
    from incubator.merchants.models import Shop

    hidden = Shop.objects.create(
        owner=world.trainee_b,
        platform=Shop.Platform.JD,
        name="不公开的小店",
        url="https://hidden.example.com/",
        opened_on=world.shop_b.opened_on,
        in_directory=False,
    )
    client = as_persona("anonymous")
    pages = [
        client.get(reverse("merchants:directory")),
        client.get(reverse("merchants:certificate_verify", args=[world.certificate_a.code])),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        for person in (world.trainee_a, world.trainee_b):
            assert person.email not in text
            assert person.phone[-8:] not in text
    assert hidden.name not in pages[0].content.decode()


def test_a_mentor_whose_assignment_ended_sees_nothing_of_the_trainee_but_their_own_notes(world, as_persona):
    """When the office ends an assignment, the former mentor loses the trainee's page (phone,
    progress), their submissions and files at once, per object; their own check-in notes stay."""
    from core.models import Notification
    from mentors.models import MentorAssignment
    from mentors.services.assignment import end_assignment

    client = as_persona("mentor_a")
    closed = [
        reverse("mentors:trainee", args=[world.trainee_a.pk]),
        reverse("mentors:checkin", args=[world.trainee_a.pk]),
        reverse("mentors:recommend", args=[world.trainee_a.pk]),
        reverse("mentors:submission", args=[world.submission_a.pk]),
        reverse("courses:submission_file", args=[world.file_a.pk]),
    ]
    assert [client.get(url).status_code for url in closed] == [200] * len(closed)
    assignment = MentorAssignment.objects.active().get(mentor=world.mentor_a, trainee=world.trainee_a)
    end_assignment(assignment=assignment, by=world.office, reason="调整导师")
    for url in closed:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("mentors:submission", args=[world.submission_a.pk]), {"decision": "approve"}).status_code
        == 404
    )
    assert world.submission_a.pk not in [s.pk for s in client.get(reverse("mentors:reviews")).context["submissions"]]

    # The mentor is told, with a link that leads to their notes rather than to a closed page.
    told = Notification.objects.filter(recipient=world.mentor_a, kind="assignment-ended").latest("pk")
    response = client.get(told.url)
    assert [c.pk for c in response.context["page_obj"]] == [world.checkin_a.pk]
    response = client.get(reverse("mentors:past_checkins"))
    assert [c.pk for c in response.context["page_obj"]] == [world.checkin_a.pk]
    text = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the notes, escaped
    for marker in RAW_MARKERS:
        assert marker not in text
    for shown in ("13900000001", "139 0000 0001", world.trainee_a.email):
        assert shown not in text
    # The office and the trainee's new mentor are unaffected.
    assert as_persona("office").get(reverse("courses:submission_file", args=[world.file_a.pk])).status_code == 200
    assert as_persona("trainee_a").get(reverse("courses:submission_file", args=[world.file_a.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["trainee_a", "office", "mentor_a"])
def test_a_submission_file_is_never_stored_by_the_browser(persona, world, as_persona):
    response = as_persona(persona).get(reverse("courses:submission_file", args=[world.file_a.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{world.lesson.pk}-{world.file_a.pk}.jpg"'
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # read, not close(): see above


def test_the_file_view_itself_forbids_storing(world, rf):
    """Not only the private-paths middleware: the view says so too, wherever it is mounted."""
    from courses.views import submission_file

    request = rf.get(reverse("courses:submission_file", args=[world.file_a.pk]))
    request.user = world.trainee_a
    response = submission_file(request, pk=world.file_a.pk)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)


def test_a_certificate_pdf_is_never_stored_by_the_browser(world, as_persona):
    response = as_persona("trainee_a").get(reverse("merchants:certificate_pdf", args=[world.certificate_a.code]))
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert response["Content-Disposition"].startswith("attachment;")
    b"".join(response.streaming_content)
