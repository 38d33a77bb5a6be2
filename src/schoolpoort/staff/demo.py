"""Staff profiles of the demo school (DEMO.md): the fixed staff members with a generated avatar
(their initials on a colour), most showing their photo and groups, some their days at school; the
administration keeps her photo to herself. The generated staff have no profile: name and role only."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import ARK, REGENBOOG, DemoWorld

from .models import StaffProfile
from .photos import SIDE, encode


@dataclass(frozen=True)
class DemoProfile:
    email: str
    brin: str
    display_name: str
    role_text: str
    colour: str
    days: tuple[int, ...] = ()
    show_photo: bool = True
    show_days: bool = False
    show_groups: bool = True


PROFILES = [
    DemoProfile("directie@regenboog.example", REGENBOOG, "Marieke Dekker", "Directeur", "#0f5c58",
                days=(0, 1, 2, 3), show_days=True, show_groups=False),
    DemoProfile("administratie@regenboog.example", REGENBOOG, "Ingrid Mulder", "Administratie", "#8a4f7d",
                days=(1, 3), show_photo=False, show_days=True, show_groups=False),
    DemoProfile("leerkracht.groep3@regenboog.example", REGENBOOG, "juf Judith", "Leerkracht groep 3", "#d9822b",
                days=(0, 1, 2), show_days=True),
    DemoProfile("leerkracht.groep6@regenboog.example", REGENBOOG, "meester Mark", "Leerkracht groep 6", "#2f6db3"),
    DemoProfile("leerkracht.groep5@deark.example", ARK, "juf Fatima", "Leerkracht groep 5", "#3c8d4f",
                days=(0, 1, 3, 4), show_days=True),
]


def avatar(initials: str, colour: str) -> Image.Image:
    image = Image.new("RGB", (SIDE, SIDE), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=SIDE // 3)
    except TypeError:  # pragma: no cover - Pillow before 10.1
        font = ImageFont.load_default()
    draw.text((SIDE / 2, SIDE / 2), initials, fill="white", font=font, anchor="mm")
    return image


def _initials(user) -> str:
    return f"{user.first_name[:1]}{user.last_name.split()[-1][:1]}".upper()


@scopes_disabled()  # what an earlier run left, in every demo school
def clear_demo() -> None:
    """Remove the photo files of the demo profiles (the rows go with the demo schools)."""
    for profile in StaffProfile.objects.filter(school__brin__in=[REGENBOOG, ARK]).exclude(photo=""):
        profile.photo.delete(save=False)


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    for spec in PROFILES:
        user = world.users[spec.email]
        profile = StaffProfile(
            user=user, school=world.schools[spec.brin], display_name=spec.display_name, role_text=spec.role_text,
            days=list(spec.days), show_photo=spec.show_photo, show_days=spec.show_days, show_groups=spec.show_groups,
        )
        photo = encode(avatar(_initials(user), spec.colour))
        profile.photo.save(photo.name, photo, save=False)
        profile.save()


