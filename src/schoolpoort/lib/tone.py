"""One tone: the app says "je" to everyone. Django and two packages we use speak formal Dutch
("Uw wachtwoord …", "U ziet deze melding …") in texts our users do see: the password forms and
validators, the CSRF failure page and the passkey errors. Our catalogue (LOCALE_PATHS comes before
Django's own catalogues) gives those msgids our own Dutch; this list keeps them in the catalogue
when ``make messages`` refreshes it, and tests/lib/test_words.py renders the pages and checks.

The strings must stay exactly as Django writes them (curly quotes included); nothing calls this
list at run time.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_MSGIDS = [
    # django.contrib.auth: PasswordChangeForm and the password validators
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    # django.views.csrf: the page after a form without its security token
    gettext_noop(
        "You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your "
        "web browser, but none was sent. This header is required for security reasons, to ensure that your "
        "browser is not being hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable “Referer” headers, please re-enable them, at least "
        "for this site, or for HTTPS connections, or for “same-origin” requests."
    ),
    gettext_noop(
        "If you are using the <meta name=\"referrer\" content=\"no-referrer\"> tag or including the "
        "“Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the "
        "“Referer” header to do strict referer checking. If you’re concerned about privacy, use alternatives "
        "like <a rel=\"noreferrer\" …> for links to third-party sites."
    ),
    gettext_noop(
        "You are seeing this message because this site requires a CSRF cookie when submitting forms. This "
        "cookie is required for security reasons, to ensure that your browser is not being hijacked by third "
        "parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable cookies, please re-enable them, at least for this "
        "site, or for “same-origin” requests."
    ),
    # django-otp-webauthn: errors when a passkey is used or added
    gettext_noop("State is missing or invalid. Please begin the operation first before trying to complete it."),
    gettext_noop("The Passkey you tried to use was not found. Perhaps it was removed?"),
    gettext_noop(
        "The Passkey you tried to use does not belong to the currently logged-in user. Try using a different "
        "Passkey or logout first to use this Passkey."
    ),
    gettext_noop(
        "You must verify your identity first with an existing MFA device before you can register a new passkey."
    ),
]

# Django's MinimumLengthValidator (ours replaces it in settings, but its help text stays in our tone).
DJANGO_PLURAL_MSGIDS = [
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]
