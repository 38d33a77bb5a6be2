"""On the home page of the administration, director and board admin: the way to the registration
dashboard of each school they administer while parents are still missing (no queries: the
overview already counted them)."""

from schoolpoort.lib.home import HomeBlock


def home_block(request, overview) -> HomeBlock | None:
    schools = [staff for staff in overview.staff_schools if staff.administers and staff.unregistered]
    if not schools:
        return None
    return HomeBlock(template="onboarding/_home_block.html", context={"schools": schools}, order=20)
