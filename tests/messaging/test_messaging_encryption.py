"""Files attached to messages are encrypted at rest (``lib.encryption``): the stored bytes hold no
plaintext, the access-checked download gives the file back, and outsiders get 404."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from schoolpoort.messaging.models import MessageAttachment
from tests.messaging.helpers import english

DOCUMENT = b"%PDF-1.4\n% MARKER-ATTACHMENT-9876 rapport van de logopedist\n%%EOF\n"


def test_an_attachment_is_stored_encrypted_and_downloaded_in_the_clear(
    client, world, settings, django_capture_on_commit_callbacks
):
    users = world.users
    english(users["guardian"])
    client.force_login(users["guardian"])
    with django_capture_on_commit_callbacks(execute=True):  # the kept draft is discarded once stored
        response = client.post(reverse("messaging:compose"), {
            "recipient": f"teacher:{users['teacher'].pk}:{world.child.pk}", "subject": "Verslag",
            "body": "Zie bijlage",
            "attachments": [SimpleUploadedFile("verslag-logopedie.pdf", DOCUMENT, "application/pdf")],
        })
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()

    stored = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    assert [path.relative_to(settings.MEDIA_ROOT).as_posix() for path in stored] == [attachment.file.name]
    assert b"MARKER-ATTACHMENT" not in stored[0].read_bytes() and b"%PDF" not in stored[0].read_bytes()
    assert attachment.size == len(DOCUMENT) and attachment.original_name == "verslag-logopedie.pdf"
    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name FROM messaging_messageattachment")
        assert "logopedie" not in cursor.fetchone()[0]

    url = reverse("messaging:attachment", args=[attachment.message.conversation_id, attachment.pk])
    for role in ("guardian", "teacher"):
        client.force_login(users[role])
        download = client.get(url)
        assert download.status_code == 200, role
        assert b"".join(download.streaming_content) == DOCUMENT
        assert "verslag-logopedie.pdf" in download["Content-Disposition"]
    for role in ("guardian_other_group", "teacher_other_group", "guardian_other_school"):
        client.force_login(users[role])
        assert client.get(url).status_code == 404, role
