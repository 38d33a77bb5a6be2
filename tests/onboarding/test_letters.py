"""Registration letters: one A4 page per guardian slot without an account, each with a fresh code
and a QR code to the registration page with that code; made by the worker, downloaded privately."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from schoolpoort.accounts.models import RegistrationCode
from schoolpoort.accounts.registration import find_usable_code, issue_registration_code
from schoolpoort.core.models import AuditEntry, StaffMembership
from schoolpoort.onboarding.letters import letter_slots, registration_url, request_letters
from schoolpoort.onboarding.models import BatchStatus, BouncedAddress, LetterBatch
from tests.factories import GuardianshipFactory, StaffMembershipFactory, UserFactory, enrolled_student

from .helpers import PDFTOPPM, codes_in_pdf, english, pdf_pages_text, qr_texts, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def unregistered(world):
    """Three free slots in group 3 (one with an e-mail address) and one in group 6."""
    kees = GuardianshipFactory(student=world.child, user=None, first_name="Kees", last_name="Jansen", email="")
    mira = GuardianshipFactory(
        student=world.child, user=None, first_name="Mira", last_name="Jansen", email="mira@example.org"
    )
    sam = enrolled_student(world.group3, first_name="Sam", last_name="Ali")
    ali = GuardianshipFactory(student=sam, user=None, first_name="Ali", last_name="Ali", email="")
    lotte_mother = GuardianshipFactory(student=world.classmate_of_other_group, user=None, first_name="Ina", email="")
    return kees, mira, ali, lotte_mother


def make(world, group=None, **options) -> LetterBatch:
    batch = request_letters(world.school, group, world.users["administration"], **options)
    run_worker()
    batch.refresh_from_db()
    return batch


def test_the_pdf_has_one_page_per_slot_without_an_account(world, unregistered):
    batch = make(world, world.group3)
    assert batch.status == BatchStatus.DONE and batch.page_count == 3
    data = batch.file.read()
    assert len(PdfReader(__import__("io").BytesIO(data)).pages) == 3
    texts = pdf_pages_text(data)
    assert all("School A1" in text for text in texts)
    assert any("Sam" in text and "Groep 3" in text for text in texts)  # the child's first name and group
    assert not any("Lotte" in text for text in texts)  # another group


def test_the_whole_school_gets_letters_for_every_group(world, unregistered):
    assert make(world).page_count == 4


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is missing (apt-get install poppler-utils); CI installs it")
def test_each_qr_code_opens_the_registration_page_with_the_code_of_its_page(world, unregistered):
    data = make(world, world.group3).file.read()
    codes = codes_in_pdf(data)
    qrs = qr_texts(data)
    assert len(qrs) == 3
    for code, found in zip(codes, qrs, strict=True):
        assert found == [registration_url(code)]
        assert found[0].endswith(f"{reverse('accounts:register')}?code={code}")


def test_the_code_on_the_letter_registers_and_older_codes_stop_working(world, unregistered):
    kees = unregistered[0]
    _code, older = issue_registration_code(kees)
    data = make(world, world.group3).file.read()
    codes = codes_in_pdf(data)
    slots = {find_usable_code(code).guardianship_id for code in codes}
    assert slots == {s.pk for s in unregistered[:3]}
    assert find_usable_code(older) is None  # only the newest letter works
    usable = find_usable_code(codes[0])
    assert usable.expires_at > timezone.now() + timezone.timedelta(days=world.school.registration_code_days - 1)


def test_only_guardians_without_a_usable_address_when_asked(world, unregistered):
    BouncedAddress.objects.create(email="mira@example.org")
    assert make(world, world.group3, only_without_email=True).page_count == 3  # Mira's address was refused
    BouncedAddress.objects.all().delete()
    assert make(world, world.group3, only_without_email=True).page_count == 2


def test_a_registered_or_invited_guardian_gets_no_letter(world, unregistered):
    GuardianshipFactory(student=world.child, user=UserFactory(password=None), email="inv@example.org")
    assert len(letter_slots(world.school, world.group3)) == 3


def test_the_logo_is_on_the_letter(world, unregistered):
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "#0f5c58").save(buffer, "PNG")
    world.school.logo.save("logo.png", SimpleUploadedFile("logo.png", buffer.getvalue()), save=True)
    data = make(world, world.group6).file.read()
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert len(page.images) >= 1


def test_letters_are_dutch_by_default(world, unregistered):
    texts = pdf_pages_text(make(world, world.group6).file.read())
    assert "Schoolpoort" in texts[0]
    batch = LetterBatch.objects.get()
    assert batch.language == "nl"


def test_a_failed_render_keeps_the_older_codes(world, unregistered, monkeypatch):
    from schoolpoort.onboarding import letters

    _code, older = issue_registration_code(unregistered[3])
    monkeypatch.setattr(letters, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("no fonts")))
    batch = make(world, world.group6)
    assert batch.status == BatchStatus.FAILED and "no fonts" in batch.error
    assert find_usable_code(older) is not None
    assert RegistrationCode.objects.count() == 1


# --- The pages --------------------------------------------------------------------------------


def test_the_administration_requests_and_downloads_letters(client, world, unregistered):
    admin = world.users["administration"]
    english(admin)
    client.force_login(admin)
    response = client.post(
        reverse("onboarding:letters", args=[world.school.pk]),
        {"letters-group": world.group3.pk, "letters-who": "all", "letters-language": "nl"},
    )
    assert response.status_code == 302
    batch = LetterBatch.objects.get()
    assert batch.status == BatchStatus.PENDING and batch.requested_by == admin
    page = client.get(reverse("onboarding:school", args=[world.school.pk])).content.decode()
    assert "waiting" in page and 'hx-trigger="every 3s"' in page
    run_worker()
    page = client.get(reverse("onboarding:school", args=[world.school.pk])).content.decode()
    download = reverse("onboarding:download", args=[batch.pk])
    assert download in page and "Download 3 letters (PDF)" in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="onboarding.letters_downloaded", object_id=str(batch.pk)).exists()


def test_a_failed_request_keeps_what_was_chosen_and_says_why(client, world):
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    response = client.post(
        reverse("onboarding:letters", args=[world.school.pk]),
        {"letters-group": world.group6.pk, "letters-who": "everyone", "letters-language": "en"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert f'<option value="{world.group6.pk}" selected>' in html
    assert LetterBatch.objects.count() == 0


@pytest.mark.parametrize("role", ["teacher", "guardian", "director_other_school", "board_admin_other_board"])
def test_the_letters_are_hidden_from_everyone_else(client, world, unregistered, role):
    batch = make(world, world.group3)
    if role == "director_other_school":
        user = StaffMembershipFactory(school=world.other_school, role=StaffMembership.Role.DIRECTOR).user
    else:
        user = world.users[role]
    client.force_login(user)
    assert client.get(reverse("onboarding:download", args=[batch.pk])).status_code == 404
    response = client.post(reverse("onboarding:letters", args=[world.school.pk]), {"letters-who": "all"})
    assert response.status_code == 404


def test_letters_not_ready_are_404(client, world, unregistered):
    batch = request_letters(world.school, None, world.users["administration"])
    client.force_login(world.users["director"])
    assert client.get(reverse("onboarding:download", args=[batch.pk])).status_code == 404
