"""The right words and one tone: a short English word that means two things gets a message
context (so "due" is "uiterlijk afhandelen op" for a correction request and "te betalen" for an
invoice, "Block" is "Blok" in a method test and "Blokkeren" for a conference slot), and the app
says "je" everywhere, also in Django's own password forms, validators, e-mails and CSRF page."""

import datetime
import re
from decimal import Decimal

import django
import polib
import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.html import strip_tags
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import pgettext

from schoolpoort.lib import tone
from schoolpoort.records.models import CorrectionRequest
from schoolpoort.records.results import charts
from tests.lib.translatable import SRC, msgids_by_app
from tests.world import build_world

# A msgid of up to three words used in two apps without a context must be one of these: generic
# words whose Dutch is the same in every use (reviewed with the catalogue: "Save" = "Opslaan").
# A new word that means something else in another module gets a context instead
# (pgettext / {% translate "..." context "..." %}). Longer texts carry their own context.
SHARED_WORDS = {
    "device", "waiting for confirmation", "Notifications",  # "apparaat", "wacht op bevestiging" in every use
    "Change", "Switch on", "Switch off", "Reactions", "Remove %(name)s",  # one Dutch each
    "about", "account", "Actions", "Add", "Address", "administration key", "All children", "all day", "and",
    "applied", "applied at", "attachment", "attachments", "audience", "Back", "being read", "board", "board admin",
    "Cancel", "Change e-mail address", "Children", "city", "closed", "Closed periods", "Confirm", "date", "Date",
    "date of birth", "Delete", "description", "Description", "Download", "Draft", "E-mail", "e-mail",
    "e-mail address", "Edit", "English", "expires at", "Export (CSV)", "failed", "File", "file", "file name",
    "First day", "first day", "first name", "For", "For:", "Friday", "From", "from", "grades", "Group", "group",
    "groups", "Groups", "Guardian", "Guardians", "Guardians and registration", "Hello %(name)s,", "Help",
    "Help with Schoolpoort", "Home", "image", "import", "Import", "infix", "kind", "language", "Last day",
    "last day", "last name", "Last reminder: %(date)s.", "Line", "location", "Log in", "Log out", "message",
    "message for parents", "Monday", "My account", "My children", "name", "New", "New e-mail address", "Newer",
    "Next", "no", "no portal consent", "Not yet", "note", "Nothing requested yet.", "Older", "Open", "open",
    "other", "Pages", "parent", "parental authority", "Parents", "parents may react", "phone", "Phone", "photo",
    "postal code", "Previous", "Print", "Privacy statement", "published at", "Pupil", "pupil", "Pupils",
    "reaction", "reactions", "ready", "Reason", "reason", "Refuse", "refused", "Registered", "relation", "Remove",
    "requested at", "Results", "role", "Save", "Save changes", "Saved.", "school", "School", "school year",
    "Search", "Send activation link", "Send confirmation link", "Show", "status", "Status", "street and number",
    "subject", "Subject", "teacher", "Teachers", "the school", "the whole board", "the whole school",
    "The whole school", "Thursday", "title", "Title", "Today", "Tuesday", "Unread:", "until", "Until",
    "uploaded at", "Urgent", "Wednesday", "What", "When", "Why", "Write a message", "yes", "Your reaction",
}
MAX_WORDS = 3


def test_a_short_msgid_shared_by_modules_has_a_context_or_is_a_reviewed_generic_word():
    shared = sorted(
        msgid for (context, msgid), apps in msgids_by_app().items()
        if context is None and len(apps) > 1 and len(msgid.split()) <= MAX_WORDS and msgid not in SHARED_WORDS
    )
    assert shared == [], "give these a context (pgettext), or review and add them to SHARED_WORDS"


def test_the_extractor_finds_what_makemessages_finds():
    """The test above sees the strings the catalogue holds (it runs without GNU gettext)."""
    catalogue = {(e.msgctxt, e.msgid) for e in polib.pofile(str(SRC / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
    found = set(msgids_by_app())
    assert len(found & catalogue) > 0.98 * len(catalogue)
    assert (("correction request", "due %(due)s")) in found and ("method test period", "Block") in found


@pytest.mark.parametrize(
    ("context", "msgid", "dutch"),
    [
        ("correction request", "due %(due)s", "uiterlijk afhandelen op %(due)s"),
        ("invoice", "due", "te betalen"),
        ("method test period", "Block", "Blok"),
        ("block a time slot", "Block", "Blokkeren"),
        ("time of day", "until", "tot"),
        ("open a file", "Open", "Openen"),
        ("a change in the data", "Change", "Wijziging"),
        ("record an absence", "Register", "Vastleggen"),
    ],
)
def test_each_meaning_has_its_own_dutch(context, msgid, dutch):
    with translation.override("nl"):
        assert pgettext(context, msgid) == dutch


@pytest.fixture
def world(db):
    return build_world()


def test_the_correction_queue_says_by_when_it_is_handled_not_paid(client, world):
    CorrectionRequest.objects.create(
        school=world.school, student=world.child, requested_by=world.users["guardian"], subject="card",
        changes={"phone": "06 98765432"}, due_on=datetime.date(2026, 12, 11),
    )
    client.force_login(world.users["administration"])
    page = client.get(reverse("records:queue")).content.decode()
    assert "uiterlijk afhandelen op 11 december 2026" in page
    assert "betalen" not in page


def test_the_method_test_table_heads_the_block_column_blok():
    bars = [charts.Bar("Blok 1", datetime.date(2026, 10, 5), Decimal(85), Decimal(70), "Pluspunt")]
    with translation.override("nl"):
        chart = charts.scores_chart(bars)
    assert chart.columns == ["Datum", "Methode", "Blok", "Score", "Norm"]
    assert chart.rows[0][0] == "5-10-2026"


# --- One tone: "je" ----------------------------------------------------------------------------

FORMAL = re.compile(r"\b(?:u|uw|uzelf)\b", re.IGNORECASE)


def formal_words(html: str) -> list[str]:
    text = " ".join(strip_tags(html).split())
    return [text[max(0, m.start() - 40):m.end() + 40] for m in FORMAL.finditer(text)]


def test_our_catalogue_translates_every_listed_django_msgid():
    """The list in lib/tone.py names Django's msgids exactly, and each has our "je" Dutch."""
    with translation.override("nl"):
        for msgid in tone.DJANGO_MSGIDS:
            dutch = translation.gettext(msgid)
            assert dutch != msgid and not FORMAL.search(dutch), msgid
        plural = translation.ngettext("Your password must contain at least %(min_length)d character.",
                                      "Your password must contain at least %(min_length)d characters.", 10)
        assert plural == "Je wachtwoord moet minstens %(min_length)d tekens lang zijn."
    django_catalogues = [polib.pofile(str(path)) for path in
                         (django.__path__[0] + "/contrib/auth/locale/nl/LC_MESSAGES/django.po",
                          django.__path__[0] + "/conf/locale/nl/LC_MESSAGES/django.po")]
    known = {entry.msgid for catalogue in django_catalogues for entry in catalogue}
    django_ones = [m for m in tone.DJANGO_MSGIDS if not m.startswith(("State ", "The Passkey", "You must verify"))]
    assert [m for m in django_ones if m not in known] == []


def test_password_validators_speak_informal_dutch(world):
    user = world.users["guardian"]
    with translation.override("nl"):
        messages = []
        for password in ("1234567890123", "password1234", "guardian@example.org"):
            try:
                password_validation.validate_password(password, user)
            except Exception as error:  # noqa: BLE001 - ValidationError with the messages
                messages += error.messages
        messages += password_validation.password_validators_help_texts()
        form = PasswordChangeForm(user, {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
        assert not form.is_valid()
        messages += form.errors["old_password"]
    assert messages and [m for m in messages if FORMAL.search(m)] == []
    assert "Je oude wachtwoord klopt niet. Typ het nog een keer." in messages


def test_the_password_pages_and_the_reset_email_say_je(client, world):
    user = world.users["guardian"]
    client.force_login(user)
    account = client.post(reverse("accounts:account"), {
        "action": "password", "password-old_password": "wrong", "password-new_password1": "1234567890123",
        "password-new_password2": "1234567890123",
    })
    assert account.status_code == 400 and "Je oude wachtwoord klopt niet" in account.content.decode()
    client.logout()
    assert formal_words(account.content.decode()) == []
    pages = [client.get(reverse("accounts:password_reset"))]
    pages.append(client.post(reverse("accounts:password_reset"), {"email": user.email}, follow=True))
    link = reverse("accounts:password_reset_confirm",
                   args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    confirm = client.get(link, follow=True)
    pages += [confirm, client.post(confirm.redirect_chain[-1][0],
                                   {"new_password1": "1234567890123", "new_password2": "1234567890123"})]
    for page in pages:
        assert page.status_code == 200
        assert formal_words(page.content.decode()) == []
    assert "Je wachtwoord mag niet alleen uit cijfers bestaan." in pages[-1].content.decode()
    (email,) = mail.outbox
    assert formal_words(email.subject + " " + email.body) == []


def test_the_csrf_failure_page_says_je(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    # The product's own page (web/errors.py) in place of Django's; Django's has "je" too (lib/tone.py).
    assert "Het formulier stond te lang open" in text and formal_words(text) == []
