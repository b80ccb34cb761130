"""Staff answer an ask from its page, partners withdraw and comment; bad posts get messages."""

from __future__ import annotations

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from support import actions
from support.models import Ask
from support.tests.conftest import pdf


def status_url(ask):
    return reverse("support:ask_status", args=[ask.pk])


def test_the_liaison_acknowledges_from_the_page(
    cast, login, ask_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.liaison).post(
            status_url(ask_a), {"to_status": "acknowledged", "comment": "On it"}, follow=True
        )
    assert "The ask is now: Acknowledged." in response.content.decode()
    ask = Ask.objects.get()
    assert ask.status == "acknowledged"
    assert ask.events.last().comment == "On it"
    assert [m.to for m in mail.outbox] == [[cast.partner_a.email]]


def test_an_illegal_move_is_a_message_not_a_crash(cast, login, ask_a):
    response = login(cast.liaison).post(status_url(ask_a), {"to_status": "delivered"}, follow=True)
    assert response.status_code == 200
    assert "cannot be moved to delivered" in response.content.decode()
    response = login(cast.liaison).post(status_url(ask_a), {"to_status": "bogus"}, follow=True)
    assert response.status_code == 200 and "could not be made" in response.content.decode()
    response = login(cast.liaison).post(status_url(ask_a), {}, follow=True)
    assert response.status_code == 200
    assert Ask.objects.get().status == "new"


def test_declining_without_a_reason_keeps_the_form_with_a_message(cast, login, ask_a):
    client = login(cast.liaison)
    response = client.post(status_url(ask_a), {"decline-to_status": "declined"})
    assert response.status_code == 400
    assert "Say why the department is declining" in response.content.decode()
    response = client.post(
        status_url(ask_a),
        {"decline-to_status": "declined", "decline-decline_reason": "Outside our authority"},
    )
    assert response.status_code == 302
    assert Ask.objects.get().decline_reason == "Outside our authority"


def test_partners_cannot_answer_and_staff_cannot_withdraw(cast, login, ask_a):
    assert (
        login(cast.partner_a).post(status_url(ask_a), {"to_status": "acknowledged"}).status_code
        == 403
    )
    assert (
        login(cast.liaison).post(status_url(ask_a), {"to_status": "withdrawn"}).status_code == 403
    )
    assert (
        login(cast.partner_b).post(status_url(ask_a), {"to_status": "withdrawn"}).status_code == 404
    )
    assert (
        login(cast.analyst).post(status_url(ask_a), {"to_status": "acknowledged"}).status_code
        == 404
    )
    assert login(None).post(status_url(ask_a), {"to_status": "withdrawn"}).status_code == 302
    assert Ask.objects.get().status == "new"


def test_the_partner_withdraws(cast, login, ask_a):
    response = login(cast.partner_a).post(
        status_url(ask_a), {"to_status": "withdrawn", "comment": "Hearing cancelled"}, follow=True
    )
    assert "The ask is now: Withdrawn." in response.content.decode()
    assert Ask.objects.get().status == "withdrawn"


def test_get_is_not_allowed_on_answer_urls(cast, login, ask_a):
    client = login(cast.liaison)
    for name in ("ask_status", "ask_deliver", "ask_assign", "ask_comment"):
        assert client.get(reverse(f"support:{name}", args=[ask_a.pk])).status_code == 405


def test_delivering_with_files_from_the_page(cast, login, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    client = login(cast.liaison)
    url = reverse("support:ask_deliver", args=[ask_a.pk])
    response = client.post(
        url,
        {
            "summary": "Rates by tract",
            "links": "https://data.example.gov/x",
            "files": [pdf("a.pdf"), pdf("b.pdf")],
        },
    )
    assert response.status_code == 302
    ask = Ask.objects.get()
    assert ask.status == "delivered" and ask.files.count() == 2


def test_a_bad_delivery_keeps_the_form_with_messages(cast, login, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    client = login(cast.liaison)
    url = reverse("support:ask_deliver", args=[ask_a.pk])
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    response = client.post(url, {"summary": "", "links": "ftp://x", "files": [bad]})
    assert response.status_code == 400
    errors = response.context["deliver_form"].errors
    assert set(errors) == {"summary", "links", "files"}
    assert Ask.objects.get().status == "acknowledged"
    # Delivering a new ask (not yet acknowledged) is refused with a message on the form.
    other = actions.submit_ask(
        actor=cast.partner_a, organization=cast.org_a, kind="data", title="t", description="d"
    )
    response = client.post(
        reverse("support:ask_deliver", args=[other.pk]), {"summary": "x"}, follow=True
    )
    assert "cannot be moved to delivered" in response.content.decode()
    assert Ask.objects.get(pk=other.pk).status == "new"
    assert login(cast.partner_a).post(url, {"summary": "x"}).status_code == 403


def test_assigning_from_the_page(cast, login, ask_a):
    url = reverse("support:ask_assign", args=[ask_a.pk])
    client = login(cast.liaison)
    response = client.post(url, {"owner": cast.analyst.pk}, follow=True)
    assert "Ana Analyst now owns this ask." in response.content.decode()
    for bad in ("xyz", cast.partner_a.pk, "99999"):
        response = client.post(url, {"owner": bad})
        assert response.status_code == 400
        assert response.context["assign_form"].errors["owner"]
    assert Ask.objects.get().owner == cast.analyst
    response = client.post(url, {"owner": ""}, follow=True)
    assert "The ask has no owner now." in response.content.decode()
    assert login(cast.partner_a).post(url, {"owner": cast.liaison.pk}).status_code == 403


def test_commenting_from_the_page(cast, login, ask_a):
    url = reverse("support:ask_comment", args=[ask_a.pk])
    response = login(cast.partner_a).post(url, {"text": "Any news?"}, follow=True)
    assert (
        "Comment added." in response.content.decode() and "Any news?" in response.content.decode()
    )
    assert login(cast.partner_a).post(url, {"text": "  "}).status_code == 400
    assert login(cast.partner_a).post(url, {"text": "x" * 20_000}).status_code == 400
    assert login(cast.partner_b).post(url, {"text": "Hi"}).status_code == 404
    assert ask_a.events.filter(kind="comment").count() == 1


def test_a_reader_on_neither_side_is_refused_before_the_form_is_read(cast, login, file_ask):
    """Partner B and a board member read a public ask but may not move it: 403 whatever they
    post, never the form's own message (which would tell them what the form checks)."""
    ask = file_ask(title="Public ask", visibility="public")
    for user in (cast.partner_b, cast.board_member):
        for data in ({"to_status": "bogus"}, {}, {"decline-to_status": "declined"}):
            response = login(user).post(status_url(ask), data)
            assert response.status_code == 403, (user, data, response.status_code)
    assert Ask.objects.get().status == "new"
