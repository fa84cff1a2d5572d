"""The admin lists content read-only: the files own it."""

from django.contrib.auth.models import User


def test_staff_can_list_questions_but_not_add_or_change_them(loaded, client):
    admin = User.objects.create_superuser("alice", "alice@example.org", "pw-alice-123")
    client.force_login(admin)
    response = client.get("/admin/questions/question/")
    assert response.status_code == 200
    assert "Precision from counts" in response.content.decode()
    assert client.get("/admin/questions/question/add/").status_code == 403
    question_id = admin.pk  # any pk: the change form must not accept posts
    response = client.post(f"/admin/questions/question/{question_id}/change/", {"title": "x"})
    assert response.status_code in (403, 302)
    from questions.models import Question

    assert not Question.objects.filter(title="x").exists()
