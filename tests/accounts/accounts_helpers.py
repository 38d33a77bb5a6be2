import re

from django.urls import reverse

from tests.factories import PASSWORD

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def normalized(response, *variable: str) -> bytes:
    """The page without what legitimately differs between two requests: CSRF tokens and the
    values the visitor typed."""
    content = CSRF.sub(b"", response.content)
    for text in variable:
        content = content.replace(text.encode(), b"TYPED")
    return content


def log_in(client, email: str, password: str = PASSWORD, remember: bool = False, **extra):
    data = {"username": email, "password": password}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("accounts:login"), data, **extra)


def link_in(message, path_start: str) -> str:
    """The path of the first link in ``message``'s text body that starts with ``path_start``."""
    from django.conf import settings

    match = re.search(re.escape(settings.SITE_URL + path_start) + r"\S+", message.body)
    assert match, message.body
    return match.group(0)[len(settings.SITE_URL) :]
