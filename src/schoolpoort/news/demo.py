"""News of the demo school (DEMO.md): school-wide news for both schools, board-wide news, group
news for groep 3 and groep 6 of De Regenboog and groep 5 of De Ark by their teachers, one urgent
message by the director of De Regenboog, one pinned post, two posts scheduled for next week, and
read receipts so that the read figures show real numbers.

The demo sends no notifications: published posts get ``notified_at`` directly, and no Broadcast
and no task is made (the scheduled posts simply appear when their time comes)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from schoolpoort.core.consent import set_image_tags
from schoolpoort.core.models import StaffMembership
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import ARK, BOARD_NAME, REGENBOOG, DemoWorld

from .actions import _send_published, publish_post
from .audience import families
from .models import Post, PostAttachment, PostReaction, PostRead, SchoolNewsSettings
from .uploads import prepare_upload, store_upload

BOARD_ADMIN = "bestuur@stichting.example"
DIRECTOR = "directie@regenboog.example"
TEACHER_3 = "leerkracht.groep3@regenboog.example"
TEACHER_6 = "leerkracht.groep6@regenboog.example"
TEACHER_ARK_5 = "leerkracht.groep5@deark.example"
ARK_DIRECTOR = "director of De Ark"  # a generated account: looked up by role


@dataclass(frozen=True)
class DemoPost:
    key: str
    author: str
    title: str
    body: str
    days: int  # negative: in the past; positive: scheduled
    at: tuple[int, int]  # local hour and minute
    school: str | None = None  # BRIN; None with no groups: the whole board
    grades: tuple[str, ...] = ()
    urgent: bool = False
    pinned: bool = False
    attachments: tuple[str, ...] = ()
    read_by: tuple[str, ...] = ()  # the fixed accounts that have read it (their families, no others)


POSTS = [
    DemoPost(
        "welkom", BOARD_ADMIN, "Welkom in Schoolpoort", days=-20, at=(9, 0),
        read_by=("jansen@ouders.example", "smit@ouders.example", "devries@ouders.example",
                 "elmoussaoui@ouders.example"),
        body="""Beste ouders en verzorgers,

Vanaf vandaag vindt u al het nieuws van school en van de klas op één plek: **Schoolpoort**. Geen briefjes meer
onder in de tas en geen losse appgroepen: wat de school u wil vertellen, staat hier.

## Wat u hier vindt
- nieuws van de school en van de groep van uw kind;
- spoedberichten, bijvoorbeeld als de school onverwacht eerder uitgaat;
- de kalender, en bij De Regenboog ook de oudergesprekken en de fotoalbums.

Staat er iets niet goed, of mist u een kind? Neem dan contact op met de administratie van de school.

Met vriendelijke groet,
Hans Vermeulen
*Stichting Primair Demo*""",
    ),
    DemoPost(
        "luizen", DIRECTOR, "Luizencontrole na de vakantie", days=-12, at=(8, 15), school=REGENBOOG,
        read_by=("jansen@ouders.example",),
        body="""Beste ouders,

Na elke vakantie controleren de luizenouders alle kinderen op hoofdluis. Dat doen we **woensdag** in alle
groepen, in de ochtend.

Wilt u die dag:
- geen gel of vlechten in het haar van uw kind doen;
- zelf ook even kijken, als uw kind veel jeuk heeft.

Vinden we luizen of neten, dan bellen we u dezelfde dag. Dat is niets om je voor te schamen: luizen houden
van schoon haar! Meer tips vindt u op [de site van het RIVM](https://www.rivm.nl/hoofdluis).

Wilt u ook luizenouder worden? Meld u aan bij juf Marieke.""",
    ),
    DemoPost(
        "stroom", DIRECTOR, "Spoed: school vandaag om 12:00 uit wegens stroomstoring", days=-5, at=(9, 40),
        school=REGENBOOG, urgent=True,
        read_by=("jansen@ouders.example", "smit@ouders.example", "bakker@ouders.example",
                 "elmoussaoui@ouders.example"),
        body="""Beste ouders,

Door een **stroomstoring** in de wijk hebben we geen licht, geen verwarming en geen internet. De
netbeheerder verwacht dat het de hele dag duurt. Daarom gaat de school vandaag om **12:00 uur** uit.

- Kunt u uw kind niet ophalen of opvangen? Dan blijft uw kind op school tot 15:15 uur. Laat het ons even
  weten door de school te bellen: 030 288 41 70.
- De kinderen eten hun lunch vóór 12:00 uur in de klas.
- De naschoolse opvang is op de hoogte en haalt de kinderen om 12:00 uur op.

Morgen is de school gewoon open. Dank voor uw begrip!""",
    ),
    DemoPost(
        "studiedag", DIRECTOR, "Studiedag vrijdag: kinderen vrij", days=-2, at=(16, 30), school=REGENBOOG,
        pinned=True,
        read_by=("devries@ouders.example",),
        body="""Beste ouders,

Een herinnering: aanstaande **vrijdag** hebben alle leerkrachten een studiedag over rekenonderwijs. **Alle
kinderen zijn die dag vrij.**

De naschoolse opvang is vrijdag de hele dag open voor kinderen die daar al staan ingeschreven. Wilt u een
extra dag afnemen, regel dat dan rechtstreeks met de opvang.

Fijn weekend alvast!""",
    ),
    DemoPost(
        "artis", TEACHER_3, "Schoolreisje naar Artis", days=-4, at=(14, 5), school=REGENBOOG, grades=("3",),
        attachments=("plattegrond", "toestemming"),
        read_by=("jansen@ouders.example",),  # not the Smits: their family shows as unread
        body="""Lieve ouders van groep 3,

Op **dinsdag** gaan we met de hele groep op schoolreisje naar **Artis** in Amsterdam! We vertrekken om
8:30 uur met de bus vanaf school en zijn rond 16:00 uur terug.

## Wat neemt uw kind mee?
- een lunchpakket en iets te drinken (geen glas, graag);
- een regenjas, want we zijn veel buiten;
- een klein beetje zakgeld mag, maximaal € 5.

We zoeken nog **drie ouders** die mee willen als begeleider. U kunt zich aanmelden bij juf Judith.

Wilt u het toestemmingsformulier (zie bijlage) uiterlijk vrijdag ingevuld meegeven? Hieronder ziet u alvast
de plattegrond van het park.

Groetjes, juf Judith""",
    ),
    DemoPost(
        "gym", TEACHER_3, "Gym voortaan op dinsdag en donderdag", days=-11, at=(15, 20), school=REGENBOOG,
        grades=("3",), attachments=("gymles",),
        body="""Lieve ouders,

Vanaf volgende week heeft groep 3 **gym op dinsdag en donderdag**, steeds het eerste uur na de pauze.

Wilt u de gymtas op maandag meegeven? Dan blijft hij de hele week op school. In de tas: een gymbroek, een
shirt en gymschoenen met lichte zolen. Graag alles voorzien van naam!

Groetjes, juf Judith""",
    ),
    DemoPost(
        "spoorweg", TEACHER_6, "Excursie naar het Spoorwegmuseum", days=-6, at=(12, 45), school=REGENBOOG,
        grades=("6",),
        read_by=("devries@ouders.example",),
        body="""Beste ouders van groep 6,

In het kader van ons project *Verkeer en vervoer* gaan we **donderdag** naar het Spoorwegmuseum in
Utrecht. We lopen er vanaf school naartoe (ongeveer 25 minuten) en zijn om 15:00 uur terug.

Wilt u uw kind goede schoenen aan laten trekken en een lunchpakket meegeven?

We zoeken nog twee ouders die mee willen lopen. Laat het me weten als u kunt!

Met vriendelijke groet,
meester Mark""",
    ),
    DemoPost(
        "kastelen", TEACHER_ARK_5, "Project Ridders en kastelen", days=-3, at=(13, 10), school=ARK, grades=("5",),
        read_by=("elmoussaoui@ouders.example",),
        body="""Beste ouders van groep 5,

De komende vier weken werken we aan het project **Ridders en kastelen**. We leren hoe mensen in de
middeleeuwen leefden, we bouwen in groepjes een kasteel en we sluiten af met een ridderfeest.

Heeft u thuis nog **lege dozen, wc-rolletjes of eierdozen**? Die kunnen we goed gebruiken. U kunt ze vanaf
maandag in de klas zetten.

Op vrijdag over vier weken bent u om 14:30 uur van harte welkom bij de presentaties!

Hartelijke groet,
juf Fatima""",
    ),
    DemoPost(
        "fietsen", ARK_DIRECTOR, "Nieuwe fietsenstalling en halen en brengen", days=-8, at=(10, 0), school=ARK,
        body="""Beste ouders,

Goed nieuws: de **nieuwe fietsenstalling** naast het schoolplein is klaar. Vanaf maandag zetten alle
kinderen hun fiets daar neer. De oude stalling aan de Noachstraat gaat dicht.

Een paar afspraken voor het halen en brengen:
- de schooldeuren gaan om 8:20 uur open;
- wilt u niet parkeren voor de ingang? Daar staan de fietsen nu;
- kleuters mogen tot in de klas worden gebracht, vanaf groep 3 nemen we afscheid op het plein.

Dank u wel voor uw medewerking!""",
    ),
    DemoPost(
        "kinderboerderij", DIRECTOR, "Groep 3 en 4 naar de kinderboerderij", days=-9, at=(11, 30),
        school=REGENBOOG, grades=("3", "4"),
        body="""Beste ouders,

Volgende week **woensdagochtend** gaan groep 3 en groep 4 samen naar kinderboerderij *De Koppelsteeg*. We
gaan lopend en zijn om 12:00 uur weer op school.

Laat uw kind laarzen of oude schoenen aantrekken: het kan er modderig zijn!""",
    ),
    # Scheduled for next week.
    DemoPost(
        "enquete", BOARD_ADMIN, "Vul de oudertevredenheidsenquête in", days=7, at=(8, 30),
        body="""Beste ouders en verzorgers,

Elke twee jaar vragen we u wat u van de school van uw kind vindt. De enquête staat vanaf vandaag twee weken
open en kost ongeveer tien minuten.

Uw antwoorden zijn anoniem. De uitkomsten delen we voor de zomervakantie met u en met de
medezeggenschapsraad. Alvast hartelijk dank!""",
    ),
    DemoPost(
        "ouderavond", DIRECTOR, "Ouderavond over mediawijsheid", days=6, at=(8, 0), school=REGENBOOG,
        body="""Beste ouders,

Hoeveel schermtijd is genoeg? Wat doet uw kind eigenlijk op TikTok en in games? Op de **ouderavond over
mediawijsheid** vertelt een medewerker van Bureau Jeugd & Media er alles over, en is er ruimte voor vragen.

- Aanvang 19:30 uur, koffie en thee vanaf 19:15 uur
- In de aula van De Regenboog

Graag tot dan!""",
    ),
]

FIXED_PARENTS = {
    "jansen@ouders.example", "devries@ouders.example", "bakker@ouders.example",
    "elmoussaoui@ouders.example", "smit@ouders.example",
}


def _moment(days: int, at: tuple[int, int]) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*at)))


def _demo_image() -> ContentFile:
    """A plan of the zoo, drawn here: the demo needs no image files of its own."""
    image = Image.new("RGB", (1200, 800), "#cfe9c4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 110), fill="#0f5c58")
    draw.text((40, 25), "Artis - plattegrond", font=ImageFont.load_default(size=56), fill="white")
    label = ImageFont.load_default(size=34)
    for (x, y, w, h, colour, name) in [
        (80, 170, 300, 220, "#f2a541", "Olifanten"), (450, 170, 300, 220, "#9ccbe8", "Aquarium"),
        (820, 170, 300, 220, "#e6b8d8", "Vlinderpaviljoen"), (80, 470, 300, 240, "#f7d774", "Leeuwen"),
        (450, 470, 300, 240, "#b5dba5", "Kinderboerderij"), (820, 470, 300, 240, "#d9c5a0", "Restaurant"),
    ]:
        draw.rounded_rectangle((x, y, x + w, y + h), radius=24, fill=colour, outline="#1d2327", width=3)
        draw.text((x + 20, y + 20), name, font=label, fill="#1d2327")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="plattegrond-artis.png")


def _demo_pdf() -> ContentFile:
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.text((100, 120), "Toestemmingsformulier schoolreisje", font=ImageFont.load_default(size=54), fill="black")
    text = ImageFont.load_default(size=32)
    lines = [
        "Naam van het kind: ..............................................",
        "",
        "Mijn kind mag mee op schoolreisje naar Artis.",
        "Telefoonnummer voor noodgevallen: ...............................",
        "Allergieën of medicijnen: .......................................",
        "",
        "Handtekening ouder/verzorger: ...................................",
    ]
    for n, line in enumerate(lines):
        draw.text((100, 300 + n * 60), line, font=text, fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return ContentFile(buffer.getvalue(), name="Toestemmingsformulier schoolreisje.pdf")


def _demo_class_photo() -> ContentFile:
    """A "photo" of the gym class, drawn here: children as figures, one of them Daan (tagged)."""
    image = Image.new("RGB", (1200, 800), "#f3e7c9")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 600, 1200, 800), fill="#c98f5a")
    for n, colour in enumerate(["#e4572e", "#17bebb", "#ffc914", "#76b041", "#2e282a"]):
        x = 140 + n * 220
        draw.ellipse((x - 45, 250, x + 45, 340), fill="#f1c27d", outline="#1d2327", width=3)
        draw.rounded_rectangle((x - 60, 345, x + 60, 560), radius=30, fill=colour)
    draw.text((40, 30), "Gymles groep 3", font=ImageFont.load_default(size=56), fill="#1d2327")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="gymles-groep-3.png")


ATTACHMENTS = {"plattegrond": _demo_image, "toestemming": _demo_pdf, "gymles": _demo_class_photo}
# Who is in each demo photo (image consent): nobody recognisable on the plan of the zoo; Daan Smit,
# whose parents gave no consent, in the gym photo: only his own parents and the staff see that one.
PHOTO_CHILDREN = {"plattegrond": (), "gymles": ("Daan Smit",)}


@scopes_disabled()  # what an earlier run left, in every demo school
def clear_demo() -> None:
    """The attachment files of the demo's posts (the rows go with the demo's board and schools)."""
    for attachment in PostAttachment.objects.filter(post__board__name=BOARD_NAME):
        attachment.file.delete(save=False)


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("news")
    users = dict(world.users)
    ark_director = StaffMembership.objects.filter(
        school=world.schools[ARK], role=StaffMembership.Role.DIRECTOR
    ).select_related("user").first()
    users[ARK_DIRECTOR] = ark_director.user
    now = timezone.now()

    for spec in POSTS:
        publish_at = _moment(spec.days, spec.at)
        school = world.schools[spec.school] if spec.school else None
        audience = Post.Audience.GROUPS if spec.grades else Post.Audience.SCHOOL if school else Post.Audience.BOARD
        post = Post.objects.create(
            audience=audience, board=world.board, school=school, author=users[spec.author], title=spec.title,
            body=spec.body, publish_at=publish_at, pinned=spec.pinned, urgent=spec.urgent,
        )
        if spec.grades:
            post.groups.set([world.groups[spec.school, grade] for grade in spec.grades])
        for name in spec.attachments:
            attachment = store_upload(post, prepare_upload(ATTACHMENTS[name]()))
            if name in PHOTO_CHILDREN:
                children = [world.students[child].pk for child in PHOTO_CHILDREN[name]]
                set_image_tags(attachment, children, not children, users[spec.author])
        # Told as the page's action tells (notify's fan-out; issue 15): a post whose time has
        # come now, a later one at its time (publish_post queues it).
        if publish_at <= now:
            _send_published(post)
            Post.objects.filter(pk=post.pk).update(notified_at=publish_at)
            _add_reads(post, spec, rng, now)
        else:
            publish_post(post)
    _add_reactions(world)


def _add_reactions(world: DemoWorld) -> None:
    """De Regenboog lets parents react to news; some generated families did (the fixed families
    of DEMO.md did not: their choices are theirs to make in the demo)."""
    rng = world.rng_for("news-reactions")  # its own sequence: the reads above stay as they were
    SchoolNewsSettings.objects.create(school=world.schools[REGENBOOG], reactions=True)
    kinds = PostReaction.Kind.values
    reactions = []
    posts = Post.objects.filter(school=world.schools[REGENBOOG], publish_at__lte=timezone.now()).order_by("pk")
    for post in posts:
        for read in post.reads.select_related("user").order_by("pk"):
            if read.user.email not in FIXED_PARENTS and rng.random() < 0.3:
                reactions.append(PostReaction(post=post, user=read.user, kind=rng.choice(kinds),
                                              created_at=read.read_at))
    PostReaction.objects.bulk_create(reactions, ignore_conflicts=True)



@scopes_disabled()  # the demo's rows of every demo school
def after_fan_out(world: DemoWorld) -> None:
    """The notifications of the demo's posts carry the time of the post, and what a family read
    (its read receipts) is read in the centre as well, as opening a post marks it."""
    from django.db.models import Exists, OuterRef

    from schoolpoort.notify.models import Notification

    for post in Post.objects.filter(board=world.board, notified_at__isnull=False).only("pk", "publish_at"):
        about = Notification.objects.filter(key=post.notification_key)
        about.update(created_at=post.publish_at)
        read = PostRead.objects.filter(post=post, user_id=OuterRef("recipient_id"))
        about.filter(Exists(read)).update(read_at=post.publish_at)


def _add_reads(post: Post, spec: DemoPost, rng, now: datetime.datetime) -> None:
    """Most families have read an older post, fewer a newer one; the fixed families as POSTS says."""
    age_days = max((now - post.publish_at).days, 0)
    share = min(0.92, 0.5 + 0.035 * age_days)
    span = max(int((now - post.publish_at).total_seconds()), 60)
    reads = []
    for family in families(post):
        emails = {guardian.email for guardian in family.guardians}
        if emails & FIXED_PARENTS:
            readers = [g for g in family.guardians if g.email in spec.read_by]
        else:
            readers = [rng.choice(family.guardians)] if rng.random() < share else []
        for reader in readers:
            seconds = min(int(rng.expovariate(1 / 7200)) + 60, span)
            read_at = post.publish_at + datetime.timedelta(seconds=seconds)
            reads.append(PostRead(user=reader, post=post, read_at=read_at))
    PostRead.objects.bulk_create(reads, ignore_conflicts=True)
