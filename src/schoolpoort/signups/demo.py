"""Sign-ups and the school square of the demo school (DEMO.md), at De Regenboog only (De Ark has
the module off):

- a volunteer sign-up for groep 3, "Rijden naar de kinderboerderij", one answer per family: drivers
  there and back, four places each, some taken by generated families — not by the fixed families
  (Jansen and Smit can still sign up in the demo and the browser tests);
- a poll for the whole school, "Welke dag past voor de ouderavond?", answered by about half of the
  families, among them De Vries / Bakker and El Moussaoui;
- on the school square: a help request for groep 6 with reactions (one removed by the teacher) and a
  quick poll for groep 3 with votes.

The forms count as published; their families are told as ``publish_form`` tells them."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone, translation

from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib import dates
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .actions import _send
from .audience import families, recipients
from .models import Answer, Audience, Form, Option, Question, Reaction, Response, SquarePollOption, SquarePost

TEACHER_3 = "leerkracht.groep3@regenboog.example"
TEACHER_6 = "leerkracht.groep6@regenboog.example"
DIRECTOR = "directie@regenboog.example"
FIXED_PARENTS = {
    "jansen@ouders.example", "devries@ouders.example", "bakker@ouders.example", "elmoussaoui@ouders.example",
    "smit@ouders.example",
}
VOLUNTEERS = {"heen": 3, "terug": 2}  # places taken of four
POLL_SHARE = 0.5


def trip_day(today: datetime.date) -> datetime.date:
    """A Wednesday at least eight days ahead."""
    day = today + datetime.timedelta(days=8)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _form(world: DemoWorld, *, author: str, title: str, description: str, deadline, per, grades=()) -> Form:
    school = world.schools[REGENBOOG]
    form = Form.objects.create(
        school=school, audience=Audience.GROUPS if grades else Audience.SCHOOL, title=title,
        description=description, deadline=deadline, per=per, created_by=world.users[author],
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    form.groups.set([world.groups[REGENBOOG, grade] for grade in grades])
    return form


def _question(form: Form, position: int, kind: str, text: str, options=(), required=False) -> Question:
    question = Question.objects.create(form=form, kind=kind, text=text, required=required, position=position)
    Option.objects.bulk_create(
        Option(question=question, label=label, capacity=capacity, position=n)
        for n, (label, capacity) in enumerate(options, start=1)
    )
    return question


def _answer(form: Form, answers: list[tuple[object, list[Option], str]], text_question: Question | None = None):
    """Per-family answers (guardian, options, open text) in bulk, with each option's ``taken``."""
    responses = Response.objects.bulk_create(
        Response(form=form, family_user=guardian, responded_by=guardian) for guardian, _options, _text in answers
    )
    rows = []
    for response, (_guardian, options, text) in zip(responses, answers, strict=True):
        rows += [Answer(response=response, question_id=option.question_id, option=option) for option in options]
        if text and text_question is not None:
            rows.append(Answer(response=response, question=text_question, text=text))
    Answer.objects.bulk_create(rows)
    taken = Counter(option.pk for _guardian, options, _text in answers for option in options)
    for pk, count in taken.items():
        Option.objects.filter(pk=pk).update(taken=count)


def _is_fixed(family) -> bool:
    return any(guardian.email in FIXED_PARENTS for guardian in family.guardians)


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("signups")
    today = timezone.localdate()
    day = trip_day(today)
    with translation.override("nl"):
        when = dates.style(day, "weekday")

    # The volunteer sign-up for groep 3.
    trip = _form(
        world, author=TEACHER_3, title="Rijden naar de kinderboerderij", grades=("3",), per=Form.Per.FAMILY,
        deadline=_at(day - datetime.timedelta(days=3), 18),
        description=(
            f"Op {when} gaat groep 3 naar kinderboerderij De Koppelsteeg. We zoeken ouders die willen rijden: "
            "vier auto's heen en vier auto's terug. Zorgt u voor een zitverhoger voor elk kind? Dank u wel!\n\n"
            "Juf Judith"
        ),
    )
    slots = _question(trip, 1, Question.Kind.SLOTS, "Wanneer kunt u rijden?", required=True, options=[
        (f"Heen: {when}, vertrek 8:45 uur van school", 4),
        (f"Terug: {when}, vertrek 11:30 uur van de kinderboerderij", 4),
    ])
    seats = _question(trip, 2, Question.Kind.OPEN, "Hoeveel kinderen kunnen er bij u mee (met zitverhoger)?")
    there, back = list(slots.options.all())
    drivers = [family for family in families(trip) if not _is_fixed(family)]
    rng.shuffle(drivers)
    chosen = drivers[: VOLUNTEERS["heen"] + VOLUNTEERS["terug"] - 1]
    answers = []
    for n, family in enumerate(chosen):
        options = [there] if n < VOLUNTEERS["heen"] else [back]
        if n == 0:
            options = [there, back]  # one family drives both ways
        answers.append((rng.choice(family.guardians), options, str(rng.choice([2, 3, 3, 4]))))
    _answer(trip, answers, seats)

    # The poll for the whole school.
    poll = _form(
        world, author=DIRECTOR, title="Welke dag past voor de ouderavond?", per=Form.Per.FAMILY,
        deadline=_at(today + datetime.timedelta(days=5), 20),
        description=(
            "In het voorjaar houden we een ouderavond over lezen met uw kind. Welke avond past u het best? "
            "De dag met de meeste stemmen wordt het."
        ),
    )
    days = _question(poll, 1, Question.Kind.SINGLE, "Welke avond past u het best?", required=True, options=[
        ("Maandagavond", None), ("Dinsdagavond", None), ("Woensdagavond", None), ("Donderdagavond", None),
    ])
    remarks = _question(poll, 2, Question.Kind.OPEN, "Heeft u nog een opmerking of een onderwerp voor de avond?")
    day_options = list(days.options.all())
    weights = [2, 5, 3, 4]
    answers = []
    for family in families(poll):
        emails = {guardian.email for guardian in family.guardians}
        if emails & {"devries@ouders.example", "elmoussaoui@ouders.example"}:
            guardian = next(g for g in family.guardians if g.email in {"devries@ouders.example",
                                                                       "elmoussaoui@ouders.example"})
            answers.append((guardian, [day_options[1]], "Graag iets over voorlezen in twee talen."))
        elif not _is_fixed(family) and rng.random() < POLL_SHARE:
            remark = rng.choice(["", "", "", "Fijn dat dit georganiseerd wordt!", "Graag na 19:30 uur."])
            answers.append((rng.choice(family.guardians), rng.choices(day_options, weights), remark))
    _answer(poll, answers, remarks)

    # The families hear of both forms as publish_form tells them (issue 15: the centre).
    for form in (trip, poll):
        _send(recipients(form), item=form, event="signups.published", key=form.notification_key,
              title=lambda form=form: form.title)

    _square(world, rng)


def _square(world: DemoWorld, rng) -> None:
    school = world.schools[REGENBOOG]
    now = timezone.now()
    help_post = SquarePost.objects.create(
        school=school, audience=Audience.GROUPS, kind=SquarePost.Kind.HELP, author=world.users[TEACHER_6],
        title="Wie helpt mee in de schoolmoestuin?",
        body=(
            "Dit voorjaar krijgt groep 6 een eigen moestuin. Wie helpt op een woensdagmiddag mee met spitten en "
            "zaaien? Ook met tuingereedschap dat u kunt missen zijn we blij."
        ),
        created_at=now - datetime.timedelta(days=3, hours=2),
    )
    help_post.groups.set([world.groups[REGENBOOG, "6"]])
    parents = [family.guardians[0] for family in families(help_post) if not _is_fixed(family)]
    rng.shuffle(parents)
    texts = [
        "Ik kan de eerste twee woensdagen helpen!",
        "Wij hebben nog een schep en een hark over, die breng ik maandag mee.",
        "Mijn vader is hovenier, ik vraag of hij een middag kan komen.",
        "Helaas werk ik op woensdag, maar succes!",
    ]
    reactions = [
        Reaction(post=help_post, user=user, text=text, created_at=now - datetime.timedelta(days=2, hours=n * 3))
        for n, (user, text) in enumerate(zip(parents, texts, strict=False))
    ]
    reactions.append(Reaction(post=help_post, user=world.users["devries@ouders.example"],
                              text="Lotte vindt het geweldig! Ik kan woensdag de 2e helpen.",
                              created_at=now - datetime.timedelta(days=1)))
    if len(parents) > len(texts):
        reactions.append(Reaction(
            post=help_post, user=parents[len(texts)], text="Koop je tuinspullen bij mijn webwinkel, 10% korting!",
            created_at=now - datetime.timedelta(hours=20), removed_at=now - datetime.timedelta(hours=18),
            removed_by=world.users[TEACHER_6],
        ))
    Reaction.objects.bulk_create(reactions)

    poll = SquarePost.objects.create(
        school=school, audience=Audience.GROUPS, kind=SquarePost.Kind.POLL, author=world.users[TEACHER_3],
        title="Welk boek lezen we voor in de klas?",
        body="Na de herfstvakantie beginnen we aan een nieuw voorleesboek. Helpt u kiezen?",
        created_at=now - datetime.timedelta(days=1, hours=5),
    )
    poll.groups.set([world.groups[REGENBOOG, "3"]])
    options = SquarePollOption.objects.bulk_create(
        SquarePollOption(post=poll, label=label, position=n)
        for n, label in enumerate(["Dikkie Dik", "Jip en Janneke", "Pluk van de Petteflet"], start=1)
    )
    voters = [family.guardians[0] for family in families(poll) if not _is_fixed(family)]
    Reaction.objects.bulk_create(
        Reaction(post=poll, user=user, option=rng.choices(options, [2, 3, 5])[0],
                 created_at=now - datetime.timedelta(hours=rng.randrange(1, 28)))
        for user in voters[: max(len(voters) * 2 // 3, 1)]
    )
