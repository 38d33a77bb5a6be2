"""A link to the staff directory on the home page (see lib/home.py); no queries of its own: the
schools come from the home overview."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import HomeBlock, Link


def home_block(request, overview) -> HomeBlock | None:
    schools = [modules.school for modules in overview.modules]
    if not schools:
        return None
    return HomeBlock(template="staff/_home_block.html", context={"schools": schools}, order=90)


def more_links(request, modules) -> list[Link]:
    """The staff directory on the "More" page of everyone with a school."""
    return [Link(_("Who works at school"), reverse("staff:index"), order=50)] if modules else []
