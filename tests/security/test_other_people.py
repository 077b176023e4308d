"""Another person's things, asked for by their id, are never answered: a 404, as for an id that
does not exist (so that a 403 does not even confirm they exist).

The security matrix asks for trainee A's things as everyone; here the mirror (A asks for B's),
a walk over every id near the real ones (guessing the next number finds nothing), and the
certificate whose PDF is still being made (a draft) are checked too.
"""

import pytest

from django.urls import reverse

from tests.security.matrix import NF, REDIRECT, outcome

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
    ],
)
def test_guessing_ids_finds_nothing_of_anyone_else(name, arg, model_path, world, as_persona):
    from django.apps import apps

    model = apps.get_model(model_path)
    persona = "mentor_other" if name.startswith("mentors:") else "trainee_b"
    client = as_persona(persona)
    visible = set()
    top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for pk in range(1, top + 6):
        response = client.get(reverse(name, kwargs={arg: pk}))
        if response.status_code == 200:
            visible.add(pk)
        else:
            assert response.status_code == 404, (name, pk, response.status_code)
    if model_path == "courses.SubmissionFile":
        allowed = set(model.objects.filter(submission__user=world.trainee_b).values_list("pk", flat=True))
    elif model_path == "courses.TaskSubmission":
        allowed = set(model.objects.filter(user=world.trainee_b).values_list("pk", flat=True))
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
