"""What a post may contain: Markdown rendered and sanitised on save; photos saved again without
their metadata; files downloaded through a view, photos inline and documents as attachments."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from schoolpoort.core.consent import set_image_tags
from schoolpoort.news.rendering import render_markdown
from schoolpoort.news.uploads import prepare_upload, store_upload
from tests.news.news_helpers import make_post


def test_scripts_and_event_handlers_are_gone_and_markdown_renders(world):
    post = make_post(world.users["director"], school=world.school, body=(
        "# Welkom\n\nDit is **belangrijk** en *fijn*.\n\n- een\n- twee\n\n"
        "<script>alert('hack')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '<a href="javascript:alert(2)">klik</a> <p style="color:red" onclick="x()">stijl</p>'
    ))
    html = post.body_html
    assert "<script" not in html and "alert" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html and "style=" not in html and "<img" not in html
    assert "<h2>Welkom</h2>" in html  # headings start below the page's own h1
    assert "<strong>belangrijk</strong>" in html and "<em>fijn</em>" in html
    assert "<li>een</li>" in html


def test_links_open_without_giving_away_the_page(client, world):
    html = render_markdown("Zie [de site](https://www.example.org/info).")
    assert html == '<p>Zie <a href="https://www.example.org/info" rel="noopener noreferrer nofollow">de site</a>.</p>'


def test_the_detail_page_shows_the_sanitised_body(client, world):
    post = make_post(world.users["director"], school=world.school, body="Hallo <script>alert('x')</script>**ouders**")
    client.force_login(world.users["guardian"])
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<strong>ouders</strong>" in page and "alert('x')" not in page


def _photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera merk"
    exif[0x0112] = 6  # rotated: stored sideways
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 3.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "blue").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_photos_are_saved_again_upright_and_without_exif_or_gps(world):
    data = _photo_with_gps()
    assert b"Camera merk" in data
    prepared = prepare_upload(ContentFile(data, name="IMG_0001.JPG"))
    stored = prepared.content.read()
    assert b"Camera merk" not in stored and b"Exif" not in stored
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and image.size == (40, 60) == (prepared.width, prepared.height)
    assert prepared.name == "IMG_0001.jpg" and prepared.content_type == "image/jpeg"


def test_large_photos_are_made_smaller(world):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(buffer, "PNG")
    prepared = prepare_upload(ContentFile(buffer.getvalue(), name="groot.png"))
    assert (prepared.width, prepared.height) == (2560, 1920)


def test_heic_photos_are_stored_as_jpeg(world):
    buffer = io.BytesIO()
    try:
        Image.new("RGB", (80, 60), "blue").save(buffer, "HEIF")
    except (KeyError, OSError, ValueError) as error:
        pytest.skip(f"pillow-heif cannot write HEIC here: {error}")
    prepared = prepare_upload(ContentFile(buffer.getvalue(), name="IMG_0002.HEIC"))
    assert prepared.name == "IMG_0002.jpg" and prepared.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(prepared.read())).format == "JPEG"


def test_photos_are_shown_inline_and_documents_downloaded_with_their_own_name(client, world):
    post = make_post(world.users["teacher"], groups=[world.group3])
    photo = store_upload(post, prepare_upload(ContentFile(_photo_with_gps(), name="klas.jpg")))
    letter = store_upload(post, prepare_upload(ContentFile(b"%PDF-1.4\n", name="Brief aan ouders.pdf")))
    assert "klas" not in photo.file.name and "Brief" not in letter.file.name  # random names on disk
    set_image_tags(photo, [], True, world.users["teacher"])  # other families see it once staff marked it
    client.force_login(world.users["guardian"])

    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="klas.jpg"'
    assert b"Camera merk" not in b"".join(response.streaming_content)

    response = client.get(letter.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Brief aan ouders.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_document_whose_name_lies_about_its_content_is_refused(world):
    with pytest.raises(ValidationError):
        prepare_upload(ContentFile(b"%PDF-1.4", name="rooster.xlsx"))
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert prepare_upload(ContentFile(buffer.getvalue(), name="rooster.xlsx")).kind == "xlsx"
