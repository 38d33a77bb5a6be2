"""Photo albums of the demo school (DEMO.md): a school-wide album of De Regenboog and albums for
groep 3 and groep 6, with generated images (colourful shapes and a caption, drawn here), some of
them showing Daan Smit. The images are processed at once, not by the worker, so that the demo
shows thumbnails straight away.

Image consent for this school year: Daan Smit's parents gave none (smit@: no to every use), so
his photos are only shown to them and to staff; most other families said yes (some not to every
use), some said no to the portal, and some have not answered yet (among them Lotte de Vries's
parents, devries@ and bakker@, who see the reminder on their home page). The demo sends no
notifications."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from schoolpoort.core.models import Consent, Guardianship, Student, Use
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .actions import publish_album
from .models import Album, Photo, PhotoTag
from .processing import make_versions

DIRECTOR = "directie@regenboog.example"
TEACHER_3 = "leerkracht.groep3@regenboog.example"
TEACHER_6 = "leerkracht.groep6@regenboog.example"
DAAN, NOOR, SEM, LOTTE, YASMINA = "Daan Smit", "Noor Jansen", "Sem Jansen", "Lotte de Vries", "Yasmina El Moussaoui"
PALETTES = [
    ("#9ccbe8", ["#f2a541", "#e4572e", "#ffffff", "#0f5c58", "#f7d774"]),
    ("#cfe9c4", ["#e6b8d8", "#f2a541", "#3f88c5", "#ffffff", "#d1495b"]),
    ("#fde4cf", ["#0f5c58", "#90be6d", "#f94144", "#577590", "#f9c74f"]),
    ("#e0d7f5", ["#f8961e", "#43aa8b", "#f3722c", "#277da1", "#ffffff"]),
]


@dataclass(frozen=True)
class DemoPhoto:
    caption: str
    tags: tuple[str, ...] = ()  # fixed pupils by full name
    classmates: int = 0  # generated pupils of the album's group(s) to tag too


@dataclass(frozen=True)
class DemoAlbum:
    title: str
    author: str
    days_ago: int
    description: str
    photos: tuple[DemoPhoto, ...]
    grade: str | None = None  # None: the whole school


ALBUMS = [
    DemoAlbum(
        "Koningsspelen", DIRECTOR, 26,
        "Een sportieve ochtend op het plein, met ontbijt en spelletjes voor alle groepen.",
        (DemoPhoto("Ontbijt op het plein", classmates=3), DemoPhoto("Touwtrekken", (DAAN,), classmates=2),
         DemoPhoto("Zaklopen", (SEM,), classmates=1), DemoPhoto("Estafette", classmates=2),
         DemoPhoto("Dansen op het plein", (LOTTE, YASMINA))),
    ),
    DemoAlbum(
        "Schoolreisje naar Artis", TEACHER_3, 4,
        "Wat hebben we veel dieren gezien! Een paar foto's van onze dag in de dierentuin.",
        (DemoPhoto("Bij de olifanten", (NOOR,), classmates=2), DemoPhoto("In het aquarium", (DAAN,)),
         DemoPhoto("Picknick in het gras", (NOOR, DAAN), classmates=1), DemoPhoto("De vlinders", classmates=2),
         DemoPhoto("De leeuwen", (NOOR,)), DemoPhoto("Terug in de bus", classmates=3)),
        grade="3",
    ),
    DemoAlbum(
        "Project ruimtevaart", TEACHER_6, 9,
        "Groep 6 bouwde raketten en een heel zonnestelsel in de klas.",
        (DemoPhoto("Onze raketten", (SEM,), classmates=2), DemoPhoto("Het zonnestelsel", (LOTTE,)),
         DemoPhoto("Lancering op het plein", (YASMINA, SEM), classmates=1), DemoPhoto("De presentatie", classmates=2)),
        grade="6",
    ),
]


def _font(size: int):
    return ImageFont.load_default(size=size)


def demo_image(caption: str, seed: int, rng, when: datetime.datetime) -> bytes:
    """A 1200 × 800 JPEG of colourful shapes with a caption, with a date taken in its EXIF."""
    background, colours = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (1200, 800), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 800), fill="#7fb069")
    draw.ellipse((960, 60, 1120, 220), fill="#f9c74f")
    for _n in range(7):
        colour = rng.choice(colours)
        x, y, size = rng.randrange(40, 1000), rng.randrange(180, 560), rng.randrange(70, 200)
        shape = rng.choice(["ellipse", "rectangle", "triangle"])
        if shape == "ellipse":
            draw.ellipse((x, y, x + size, y + size), fill=colour, outline="#1d2327", width=4)
        elif shape == "rectangle":
            draw.rounded_rectangle((x, y, x + size, y + size * 0.8), 18, fill=colour, outline="#1d2327", width=4)
        else:
            draw.polygon([(x, y + size), (x + size // 2, y), (x + size, y + size)], fill=colour, outline="#1d2327")
    draw.rounded_rectangle((40, 650, 1160, 760), 24, fill="#ffffff")
    draw.text((70, 670), caption, font=_font(60), fill="#1d2327")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = timezone.localtime(when).strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return buffer.getvalue()


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("albums")
    school = world.schools[REGENBOOG]
    today = timezone.localdate()
    pupils_by_grade: dict[str, list[int]] = {}
    groups = [group for (brin, _grade), group in world.groups.items() if brin == REGENBOOG]
    for student_id, grade in Student.objects.filter(enrollments__group__in=groups).values_list(
        "pk", "enrollments__group__grades"
    ):
        pupils_by_grade.setdefault(grade, []).append(student_id)
    fixed = {name: student.pk for name, student in world.students.items()}
    consenting = _load_consents(world, rng)
    tags = []
    number = 0
    for spec in ALBUMS:
        day = today - datetime.timedelta(days=spec.days_ago)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        album = Album.objects.create(
            school=school, audience=Album.Audience.GROUPS if spec.grade else Album.Audience.SCHOOL,
            title=spec.title, description=spec.description, date=day, created_by=world.users[spec.author],
        )
        if spec.grade:
            album.groups.set([world.groups[REGENBOOG, spec.grade]])
        # Classmates tagged beside the fixed pupils are ones with portal consent: only Daan's
        # photos are flagged, so that the demo shows the rule plainly.
        grades = [spec.grade] if spec.grade else sorted(pupils_by_grade)
        pool = [pk for grade in grades for pk in pupils_by_grade.get(grade, [])
                if pk in consenting and pk not in fixed.values()]
        for index, item in enumerate(spec.photos):
            number += 1
            taken = moment + datetime.timedelta(minutes=25 * index)
            data = demo_image(item.caption, number, rng, taken)
            photo = Photo(album=album, kind=Photo.Kind.IMAGE, original_name=f"IMG_{4000 + number}.jpg",
                          content_type="image/jpeg", size=len(data), uploaded_by=world.users[spec.author])
            photo.original.save("demo.jpg", ContentFile(data), save=False)
            photo.save()
            make_versions(photo)
            tagged = {fixed[name] for name in item.tags} | set(rng.sample(pool, min(item.classmates, len(pool))))
            tags += [PhotoTag(photo=photo, student_id=pk, tagged_by=world.users[spec.author]) for pk in sorted(tagged)]
        publish_album(album, world.users[spec.author])  # tells its families, as the page's action does
        Album.objects.filter(pk=album.pk).update(published_at=moment + datetime.timedelta(hours=7))
    PhotoTag.objects.bulk_create(tags)


def _load_consents(world: DemoWorld, rng) -> set[int]:
    """Answers for this school year for the pupils of De Regenboog (the albums are off at De Ark).
    Returns the pupils with portal consent."""
    fixed_answers = {
        "Daan Smit": dict.fromkeys(Use, False),
        "Noor Jansen": dict.fromkeys(Use, True),
        "Sem Jansen": dict.fromkeys(Use, True),
        "Yasmina El Moussaoui": {Use.PORTAL: True, Use.WEBSITE: True, Use.SOCIAL: False, Use.GUIDE: True},
        "Lotte de Vries": None,  # not answered yet
    }
    answerers: dict[int, int] = {}
    for student_id, user_id in (
        Guardianship.objects.filter(
            student__school=world.schools[REGENBOOG], user__isnull=False, has_parental_authority=True
        )
        .order_by("relation", "pk")
        .values_list("student_id", "user_id")
    ):
        answerers.setdefault(student_id, user_id)
    fixed_ids = {student.pk: name for name, student in world.students.items()}
    now = timezone.now()
    rows = []
    students = Student.objects.filter(school=world.schools[REGENBOOG], archived_at__isnull=True).order_by("pk")
    for student_id in students.values_list("pk", flat=True):
        user_id = answerers.get(student_id)
        if student_id in fixed_ids and fixed_ids[student_id] in fixed_answers:
            answers = fixed_answers[fixed_ids[student_id]]
        else:
            roll = rng.random()
            if user_id is None or roll < 0.12:
                answers = None
            elif roll < 0.18:
                answers = {Use.PORTAL: False, Use.WEBSITE: False, Use.SOCIAL: False, Use.GUIDE: rng.random() < 0.5}
            else:
                answers = {use: use == Use.PORTAL or rng.random() < 0.8 for use in Use}
        if answers is None or user_id is None:
            continue
        answered_at = now - datetime.timedelta(days=rng.randrange(2, 40), minutes=rng.randrange(600))
        rows += [Consent(student_id=student_id, school_year=world.school_year, use=use, given=given,
                         answered_by_id=user_id, answered_at=answered_at) for use, given in answers.items()]
    Consent.objects.bulk_create(rows)
    return {row.student_id for row in rows if row.use == Use.PORTAL and row.given}


@scopes_disabled()  # what an earlier run left, in every demo school
def clear_demo() -> None:
    """The demo albums go with their schools; their files are removed here."""
    photos = Photo.objects.filter(album__school__brin__in=[REGENBOOG])
    for photo in photos:
        for field_file in (photo.original, photo.web, photo.thumb):
            if field_file:
                field_file.storage.delete(field_file.name)
