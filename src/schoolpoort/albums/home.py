"""The image consent reminder on the home page of a guardian who has not answered yet (see
lib/home.py). One query, none for users who are no guardian."""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from schoolpoort.core.access import roles_of
from schoolpoort.lib.home import HomeBlock

from .consent import pending_children


def home_block(request, overview) -> HomeBlock | None:
    if not roles_of(request.user).is_guardian:
        return None
    children = pending_children(request.user)
    if not children:
        return None
    names = get_text_list([child.first_name for child in children], _("and"))
    return HomeBlock(template="albums/_consent_reminder.html", context={"children": children, "names": names},
                     order=5)
