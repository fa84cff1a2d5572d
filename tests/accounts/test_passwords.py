"""Changing a password, and resetting a forgotten one by email."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD

NEW = "a brand new passphrase 42"


def can_log_in(username, password):
    return Client().login(username=username, password=password)


def test_changing_needs_a_logged_in_user(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_changes_the_password_and_stays_logged_in(client, alice):
    client.force_login(alice)
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert '<label for="id_old_password">' in html
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(reverse("accounts:password_change_done")).status_code == 200
    assert can_log_in("alice", NEW) and not can_log_in("alice", PASSWORD)


def test_it_refuses_a_change_without_the_old_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert can_log_in("alice", PASSWORD)


def test_a_reset_link_arrives_by_email_and_sets_a_new_password(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your ImagingPrep password"
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert '<label for="id_new_password1">' in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert can_log_in("alice", NEW)

    # The link works once.
    used = Client().get(link, follow=True).content.decode()
    assert "This link does not work" in used


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": "who@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
