"""Route table of the image tagging pages (image consent): (route, method, {role: status}) about a
photo in a news post to group 3 of school A1 by its teacher, in a message its teacher sent to group 3
together, and on a document shelf of group 3. Roles not listed: 404; anonymous: 302 to the login page."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]

ROUTES = [
    # Whoever may edit the post.
    ("news:tag_image", "get", {"teacher": 200, "director": 200, "board_admin": 200}),
    # Staff of the school who see the conversation: the director reads it only where the school allows that (off).
    ("messaging:tag_image", "get", {"teacher": 200}),
    # Whoever may change the shelf.
    ("documents:tag_image", "get", {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}),
]


def png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#3f88c5").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="foto.png")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


@pytest.fixture
def urls(world):
    from schoolpoort.documents import actions as documents
    from schoolpoort.documents.models import Shelf
    from schoolpoort.documents.uploads import prepare_upload as prepare_document
    from schoolpoort.messaging import actions as messaging
    from schoolpoort.messaging.recipients import TOGETHER, recipient_options
    from schoolpoort.messaging.uploads import prepare_upload as prepare_message_file
    from schoolpoort.news.actions import save_post
    from schoolpoort.news.models import Post
    from schoolpoort.news.uploads import prepare_upload as prepare_news_file
    from schoolpoort.news.uploads import store_upload

    teacher = world.users["teacher"]
    post = Post(audience="groups", school=world.school, author=teacher, title="Groep 3")
    save_post(post, groups=[world.group3])
    photo = store_upload(post, prepare_news_file(png()))
    recipient = recipient_options(teacher).get(f"group:{world.group3.pk}")
    (conversation,) = messaging.start_conversations(teacher, recipient, subject="Knutselen", body="Kijk", mode=TOGETHER,
                                                    uploads=[prepare_message_file(png())])
    image = conversation.messages.get().attachments.get()
    shelf = documents.save_shelf(Shelf(school=world.school, title="Groep 3", audience="groups"), teacher,
                                 groups=[world.group3])
    document = documents.add_document(shelf, prepare_document(png()), teacher, title="Klassenfoto", notify=False)
    return {
        "news:tag_image": (post.pk, photo.pk),
        "messaging:tag_image": (conversation.pk, image.pk),
        "documents:tag_image": (document.pk, document.current_version_id),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ROUTES)
def test_image_tag_routes(client, world, urls, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=urls[name]))
    assert response.status_code == (302 if role == "anonymous" else allowed.get(role, 404))


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_image_tag_route_of_something_that_does_not_exist_is_404(client, world, urls, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ROUTES:
        parent, image = urls[name]
        for args in ((999999, image), (parent, 999999)):
            assert getattr(client, method)(reverse(name, args=args)).status_code == 404, (name, args)
