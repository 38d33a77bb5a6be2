"""A link to the staff directory on the home page (see lib/home.py); no queries of its own: the
schools come from the home overview."""

from schoolpoort.lib.home import HomeBlock


def home_block(request, overview) -> HomeBlock | None:
    schools = [modules.school for modules in overview.modules]
    if not schools:
        return None
    return HomeBlock(template="staff/_home_block.html", context={"schools": schools}, order=90)
