"""User text with markup is shown as text everywhere: pages, admin, emails, the certificate PDF.

The world (tests.support.world) fills every field a person types with
`<script>alert(1)</script>"><img src=x onerror=alert(1)>`. The security matrix already checks
that no page it opens contains that markup raw; here each place where the text IS shown is
opened on purpose and must show it escaped (so that a page that simply leaves the text out
cannot pass for a safe one), and the channels that are not HTML pages are checked too.
"""

import io

import pytest

from django.core import mail
from django.urls import reverse

from tests.security.test_url_matrix import assert_escaped
from tests.support.payloads import RAW_MARKERS

pytestmark = pytest.mark.django_db

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def shows_escaped(response, where: str) -> None:
    assert response.status_code == 200, f"{where}: {response.status_code}"
    assert_escaped(response, where)
    assert ESCAPED_SCRIPT in response.content.decode(), f"{where}: the user's text is not shown at all"


PLACES = [
    # (persona, how to get the address, what of the probe it shows)
    ("trainee_a", lambda w: reverse("core:me"), "notification title"),
    ("trainee_a", lambda w: reverse("core:notifications"), "notification title"),
    ("trainee_a", lambda w: reverse("merchants:shops"), "shop name"),
    ("trainee_a", lambda w: reverse("merchants:shop_detail", args=[w.shop_a.pk]), "shop and report"),
    ("trainee_a", lambda w: reverse("recruitment:my_application", args=[w.application_a.pk]), "application"),
    ("trainee_a", lambda w: w.lesson.url, "own submission text"),
    ("trainee_a", lambda w: reverse("mentors:my_mentor"), "mentor's name and check-in notes"),
    ("mentor_a", lambda w: reverse("mentors:dashboard"), "trainee's name"),
    ("mentor_a", lambda w: reverse("mentors:trainee", args=[w.trainee_a.pk]), "check-in notes"),
    ("mentor_a", lambda w: reverse("mentors:submission", args=[w.submission_a.pk]), "submission text"),
    ("mentor_a", lambda w: reverse("mentors:reviews"), "trainee's name"),
    ("anonymous", lambda w: reverse("merchants:certificate_verify", args=[w.certificate_a.code]), "holder name"),
    ("anonymous", lambda w: reverse("merchants:directory"), "shop name"),
    ("office", lambda w: reverse("recruitment_admin:application_index"), "applicant's name"),
    ("office", lambda w: reverse("recruitment_admin:application_detail", args=[w.application_a.pk]), "application"),
    ("office", lambda w: reverse("merchants_admin:certificates"), "holder name"),
    ("office", lambda w: reverse("merchants_admin:graduation_cohort", args=[w.cohort.pk]), "trainee's name"),
    ("office", lambda w: reverse("mentor_recommendations:index"), "recommendation"),
    ("office", lambda w: reverse("wagtailsnippets_merchants_shop:list"), "shop name"),
    ("office", lambda w: reverse("wagtailsnippets_merchants_shop:edit", args=[w.shop_a.pk]), "shop name"),
    ("superuser", lambda w: reverse("wagtailusers_users:index"), "person's name"),
]


@pytest.mark.parametrize(
    ("persona", "address", "what"), PLACES, ids=[f"{p}-{w}-{i}" for i, (p, _a, w) in enumerate(PLACES)]
)
def test_user_text_is_shown_escaped(persona, address, what, world, as_persona):
    url = address(world)
    shows_escaped(as_persona(persona).get(url), f"{url} as {persona} ({what})")


def test_notification_emails_are_plain_text_and_any_html_part_is_escaped(world, django_capture_on_commit_callbacks):
    from core import notifications

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            recipient=world.trainee_b,
            kind="security",
            title=f"审核结果 {world.payload}",
            body=f"导师的意见：{world.payload}",
            url=reverse("courses:my_learning"),
        )
    assert mail.outbox, "no email was sent"
    for message in mail.outbox:
        assert message.content_subtype == "plain"
        assert world.payload in message.body  # plain text: shown literally, which is safe
        for content, mimetype in getattr(message, "alternatives", []):
            assert mimetype != "text/html" or not any(marker in content for marker in RAW_MARKERS)


def test_a_mentors_feedback_reaches_the_trainee_as_plain_text(world, django_capture_on_commit_callbacks):
    """A real flow: the mentor asks for changes with hostile feedback; the email is plain text."""
    from mentors.services.reviews import review_submission

    with django_capture_on_commit_callbacks(execute=True):
        review_submission(mentor=world.mentor_a, submission=world.submission_a, approve=False, feedback=world.payload)
    sent = [message for message in mail.outbox if world.trainee_a.email in message.to]
    assert sent
    for message in sent:
        assert message.content_subtype == "plain"
        for content, mimetype in getattr(message, "alternatives", []):
            assert mimetype != "text/html" or not any(marker in content for marker in RAW_MARKERS)


def test_the_certificate_pdf_shows_the_name_literally(world, as_persona):
    from pypdf import PdfReader

    response = as_persona("trainee_a").get(reverse("merchants:certificate_pdf", args=[world.certificate_a.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    # The name, markup and all, as letters on the page: not interpreted, not dropped.
    assert "".join(world.certificate_a.holder_name.split()) in flat
    assert "<script>alert(1)</script>" in flat
    # And nothing in the file that a PDF reader would run.
    for active in (b"/JavaScript", b"/JS ", b"/OpenAction", b"/Launch"):
        assert active not in data
