"""The database side of the rushes (bench/rushes.py): build a fresh state for one run and print the
load generator's spec, or count what the run left in the database. Against the board world of
bench/generate.py, with the product's own models and domain functions.

    python bench/scenarios.py prepare p6|p7|p8|upload HOST VAR_DIR   -> the spec (JSON)
    python bench/scenarios.py count   p6|p7|p8|upload STATE.json     -> the counts (JSON)
    python bench/scenarios.py clear_tasks                             -> empties the task queue

Each scenario uses a school of its own (P6 school 2, P7 school 3, the upload school 4; P8 the
whole board), so the rushes do not disturb each other or the page benchmarks' parent (school 1).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

P6_PARENTS, P6_PAIRS, P6_SLOTS = 300, 20, 250
P7_PARENTS, P7_OPTIONS = 200, [4, 4, 6, 6, 8, 8, 10, 10, 12, 12]  # 80 places for about 270 ticks
P8_REPORTS, P8_SECONDS, P8_WATCHED_GROUPS, P8_POLL = 800, 60.0, 6, 0.5
UPLOAD_FILES, UPLOAD_PIXELS, UPLOAD_PARALLEL = 20, (4000, 3000), 2  # upload.js sends two at a time


def setup() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench.common import leave_school_scopes

    leave_school_scopes()


def school(index: int):
    from schoolpoort.core.models import School

    return School.objects.filter(name__startswith="Basisschool Bench").order_by("pk")[index]


def families(school_obj) -> list[tuple[int, list[int]]]:
    """(booking guardian, [children in the school]) per family: one guardian per family, the
    family being the set of guardians of a child (the generator gives every family two)."""
    from schoolpoort.core.models import Guardianship

    by_student: dict[int, list[int]] = defaultdict(list)
    for student_id, user_id in (
        Guardianship.objects.filter(student__school=school_obj, user__isnull=False, student__archived_at__isnull=True)
        .order_by("student_id", "user_id")
        .values_list("student_id", "user_id")
    ):
        by_student[student_id].append(user_id)
    by_family: dict[tuple, list[int]] = defaultdict(list)
    for student_id, users in by_student.items():
        by_family[tuple(users)].append(student_id)
    return sorted((users[0], sorted(children)) for users, children in by_family.items())


def sessions_for(user_ids) -> dict[int, str]:
    from bench.sessions import make_sessions

    return make_sessions(user_ids)


def _director(school_obj):
    from schoolpoort.core.models import StaffMembership

    return StaffMembership.objects.filter(school=school_obj, role="director").first().user


# --- P6 ------------------------------------------------------------------------------------------


def _spread_over_groups(fams: list[tuple[int, list[int]]], count: int, group_of: dict) -> list[tuple[int, list[int]]]:
    """``count`` one-child families taken from the groups in turn (the first 280 by id crowded
    some groups and left others with fewer families than times)."""
    queues: dict[int, list] = defaultdict(list)
    for fam in fams:
        queues[group_of.get(fam[1][0], 0)].append(fam)
    chosen: list[tuple[int, list[int]]] = []
    while len(chosen) < count and any(queues.values()):
        for group_id in sorted(queues):
            if queues[group_id] and len(chosen) < count:
                chosen.append(queues[group_id].pop(0))
    return chosen


def _times_per_group(children_per_group: dict[int, int], total: int) -> dict[int, int]:
    """``total`` times shared out over the groups in proportion to their children in the round
    (largest remainder), as a school plans its evenings by class size: every group then has more
    families than times, so every time can be booked."""
    children = sum(children_per_group.values())
    exact = {g: total * n / children for g, n in children_per_group.items()}
    counts = {g: int(x) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: (counts[g] - exact[g], g))[: total - sum(counts.values())]:
        counts[g] += 1
    return counts


def prepare_p6(host: str, var: str) -> dict:
    """A round for all 16 groups of the school, opened a minute ago, 250 ten-minute slots (a
    session per teacher, its length by the group's families in the round), and 300 families:
    280 with one child (from the groups in turn) and 20 with two, who ask for back-to-back times."""
    from django.urls import reverse
    from django.utils import timezone

    from schoolpoort.conferences.actions import add_session
    from schoolpoort.conferences.models import Round
    from schoolpoort.core.models import Enrollment, Group

    s = school(1)
    Round.objects.filter(school=s).delete()  # the previous run's round, its slots and bookings
    director = _director(s)
    now = timezone.now()
    groups = list(Group.objects.filter(school=s).order_by("pk").prefetch_related("teachers"))
    round = Round.objects.create(
        school=s,
        title="Bench: ten-minute conferences",
        created_by=director,
        location="the classroom",
        booking_opens_at=now - datetime.timedelta(minutes=1),
        booking_closes_at=now + datetime.timedelta(days=7),
        slot_minutes=10,
        notified_at=now,
    )
    round.groups.set(groups)
    fams = families(s)
    group_of = dict(Enrollment.objects.filter(group__in=groups).values_list("student_id", "group_id"))
    pairs = [(u, c) for u, c in fams if len(c) == 2][:P6_PAIRS]
    singles = _spread_over_groups([(u, c) for u, c in fams if len(c) == 1], P6_PARENTS - P6_PAIRS, group_of)
    chosen = singles + pairs
    if len(chosen) < P6_PARENTS:
        raise SystemExit(f"P6 needs {P6_PARENTS} families, the school has {len(chosen)}")
    in_round = Counter(group_of[child] for _u, children in chosen for child in children)
    times = _times_per_group({group.pk: in_round[group.pk] for group in groups}, P6_SLOTS)
    day = timezone.localdate() + datetime.timedelta(days=7)
    for group in groups:
        count = times[group.pk]
        end = (datetime.datetime.combine(day, datetime.time(18, 0)) + datetime.timedelta(minutes=10 * count)).time()
        add_session(
            round,
            director,
            teacher=group.teachers.all()[0],
            group=group,
            date=day,
            starts_at=datetime.time(18, 0),
            ends_at=end,
        )
    keys = sessions_for([u for u, _c in chosen])
    clients = [{"session": keys[u], "students": c} for u, c in chosen]
    random.Random(6).shuffle(clients)
    return {
        "scenario": "conference",
        "host": host,
        "round_path": reverse("conferences:detail", args=[round.pk]),
        "book_path": reverse("conferences:book", args=[round.pk]),
        "attempts": 5,
        "clients": clients,
        "state": {"round": round.pk, "pairs": [c for _u, c in pairs]},
    }


def count_p6(state: dict) -> dict:
    from django.db.models import Count

    from schoolpoort.conferences.models import Booking, Slot

    round_id = state["round"]
    active = Booking.objects.active().filter(round_id=round_id)
    per_pair = [active.filter(student_id__in=pair).count() for pair in state["pairs"]]
    return {
        "slots": Slot.objects.filter(round_id=round_id).count(),
        "bookings": active.count(),
        "families_booked": active.values("appointment__booked_by").distinct().count(),
        "double_bookings": active.values("slot").annotate(n=Count("pk")).filter(n__gt=1).count(),
        "children_twice": active.values("student").annotate(n=Count("pk")).filter(n__gt=1).count(),
        "pairs_both": sum(1 for n in per_pair if n == 2),
        "half_pairs": sum(1 for n in per_pair if n == 1),
        "pairs_none": sum(1 for n in per_pair if n == 0),
    }


# --- P7 ------------------------------------------------------------------------------------------


def prepare_p7(host: str, var: str) -> dict:
    """A published school-wide form, one answer per family, one question of ten volunteer slots
    with 4 to 12 places (80 in all), and 200 families at the same instant."""
    from django.urls import reverse
    from django.utils import timezone

    from schoolpoort.signups.models import Audience, Form, Option, Question

    s = school(2)
    Form.objects.filter(school=s).delete()
    now = timezone.now()
    form = Form.objects.create(
        school=s,
        audience=Audience.SCHOOL,
        title="Bench: help at the sports day",
        deadline=now + datetime.timedelta(days=7),
        per=Form.Per.FAMILY,
        created_by=_director(s),
        published_at=now,
    )
    question = Question.objects.create(form=form, kind=Question.Kind.SLOTS, text="When can you help?", required=True)
    Option.objects.bulk_create(
        Option(question=question, label=f"Post {i + 1}", capacity=capacity, position=i)
        for i, capacity in enumerate(P7_OPTIONS)
    )
    chosen = [u for u, _c in families(s)][:P7_PARENTS]
    keys = sessions_for(chosen)
    return {
        "scenario": "signup",
        "host": host,
        "form_path": reverse("signups:form", args=[form.pk]),
        "respond_path": reverse("signups:respond", args=[form.pk]),
        "field": f"family-q{question.pk}",  # the answer's form is prefixed with its section ("family")
        "attempts": 4,
        "clients": [{"session": keys[u]} for u in chosen],
        "state": {"form": form.pk},
    }


def count_p7(state: dict) -> dict:
    from django.db.models import Count

    from schoolpoort.signups.models import Option, Response

    options = list(Option.objects.filter(question__form_id=state["form"]).annotate(answered=Count("answers")))
    return {
        "places": sum(o.capacity for o in options),
        "places_taken": sum(o.taken for o in options),
        "responses": Response.objects.filter(form_id=state["form"]).count(),
        "capacity_exceeded": sum(1 for o in options if o.taken > o.capacity or o.answered > o.capacity),
        "taken_not_answers": sum(1 for o in options if o.taken != o.answered),
    }


# --- P8 ------------------------------------------------------------------------------------------


def prepare_p8(host: str, var: str) -> dict:
    """800 sick reports for today from 800 families all over the board, arriving evenly within 60
    seconds; the teachers of the six groups with the most of them watch their "today" list."""
    from django.urls import reverse
    from django.utils import timezone

    from schoolpoort.absences.models import Absence
    from schoolpoort.core.models import Enrollment, Group, Guardianship

    today = timezone.localdate()
    Absence.objects.filter(starts_on=today).delete()  # the previous run's reports
    rng = random.Random(8)
    rows = list(
        Guardianship.objects.filter(user__email__startswith="ouder", student__archived_at__isnull=True)
        .order_by("student_id", "user_id")
        .values_list("student_id", "user_id")
    )
    first_guardian: dict[int, int] = {}
    for student_id, user_id in rows:
        first_guardian.setdefault(student_id, user_id)
    by_user: dict[int, int] = {}
    for student_id, user_id in first_guardian.items():
        by_user.setdefault(user_id, student_id)  # one report per family
    picked = rng.sample(sorted(by_user.items()), P8_REPORTS)
    group_of = dict(
        Enrollment.objects.filter(student_id__in=[s for _u, s in picked]).values_list("student_id", "group_id")
    )
    per_group: dict[int, list[int]] = defaultdict(list)
    for _u, student_id in picked:
        per_group[group_of[student_id]].append(student_id)
    watched = sorted(per_group, key=lambda g: (-len(per_group[g]), g))[:P8_WATCHED_GROUPS]
    teachers = {g.pk: g.teachers.all()[0].pk for g in Group.objects.filter(pk__in=watched).prefetch_related("teachers")}
    keys = sessions_for([u for u, _s in picked] + list(teachers.values()))
    step = P8_SECONDS / P8_REPORTS
    clients = [{"session": keys[u], "student": s, "offset": round(i * step, 3)} for i, (u, s) in enumerate(picked)]
    clients += [
        {
            "teacher": True,
            "session": keys[teachers[g]],
            "path": reverse("absences:group_today", args=[g]),
            "students": per_group[g],
        }
        for g in watched
    ]
    return {
        "scenario": "absence",
        "host": host,
        "report_path": reverse("absences:report"),
        "today": today.isoformat(),
        "duration": P8_SECONDS,
        "poll": P8_POLL,
        "clients": clients,
        "state": {"today": today.isoformat(), "reports": P8_REPORTS},
    }


def count_p8(state: dict) -> dict:
    from schoolpoort.absences.models import Absence

    today = datetime.date.fromisoformat(state["today"])
    return {"absences": Absence.objects.filter(starts_on=today, source=Absence.Source.GUARDIAN).count()}


# --- The photo upload ----------------------------------------------------------------------------


def photo_files(var: str) -> list[str]:
    """Twenty different JPEGs of 12 megapixels (4000 × 3000) that compress like photos do: a
    smooth picture with fine noise, about 3 MB each. Made once per benchmark run."""
    from PIL import Image, ImageDraw

    folder = Path(var, "bench-upload")
    paths = [folder / f"photo{i:02d}.jpg" for i in range(UPLOAD_FILES)]
    if all(p.exists() for p in paths):
        return [str(p) for p in paths]
    folder.mkdir(parents=True, exist_ok=True)
    width, height = UPLOAD_PIXELS
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    for i, path in enumerate(paths):
        rng = random.Random(i)
        base = Image.new("RGB", (40, 30))
        base.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(40 * 30)])
        picture = base.resize((width, height), Image.BICUBIC)  # 100 times up: already smooth, no blur
        draw = ImageDraw.Draw(picture)
        for _ in range(12):
            x, y = rng.randrange(width), rng.randrange(height)
            draw.ellipse(
                (x, y, x + rng.randrange(200, 900), y + rng.randrange(200, 900)),
                fill=tuple(rng.randrange(256) for _ in range(3)),
            )
        Image.blend(picture, noise, 0.12).save(path, "JPEG", quality=92)
    return [str(p) for p in paths]


def prepare_upload(host: str, var: str) -> dict:
    """A new album of one group, and its teacher uploading 20 photos of 12 megapixels."""
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from schoolpoort.albums.models import Album
    from schoolpoort.core.models import Group

    s = school(3)
    Album.objects.filter(school=s, title__startswith="Bench upload").delete()
    # The previous run's (finished) photo tasks; the backlog of other steps went in clear_tasks.
    DBTaskResult.objects.filter(task_path__endswith="process_photo").delete()
    group = Group.objects.filter(school=s).order_by("pk").prefetch_related("teachers").first()
    teacher = group.teachers.all()[0]
    album = Album.objects.create(school=s, audience=Album.Audience.GROUPS, title="Bench upload", created_by=teacher)
    album.groups.set([group])
    key = sessions_for([teacher.pk])[teacher.pk]
    files = photo_files(var)
    return {
        "scenario": "upload",
        "host": host,
        "upload_path": reverse("albums:upload", args=[album.pk]),
        "files": files,
        "clients": [{"session": key}] * UPLOAD_PARALLEL,
        "state": {"album": album.pk, "files": len(files), "bytes": sum(os.path.getsize(p) for p in files)},
    }


def count_upload(state: dict, timeout: float = 600) -> dict:
    """Waits until no photo of the album is being processed; then when the last one got ready
    (the task's finished_at, wall clock)."""
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    from schoolpoort.albums.models import Photo

    photos = Photo.objects.filter(album_id=state["album"])
    deadline = time.monotonic() + timeout
    while photos.filter(status=Photo.Status.PROCESSING).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    tasks = DBTaskResult.objects.filter(task_path__endswith="process_photo").aggregate(
        first_started=Min("started_at"), last_finished=Max("finished_at")
    )
    return {
        "photos": photos.count(),
        "ready": photos.filter(status=Photo.Status.READY).count(),
        "failed": photos.filter(status=Photo.Status.FAILED).count(),
        "with_thumb": photos.exclude(thumb="").count(),
        "first_task_started": tasks["first_started"].timestamp() if tasks["first_started"] else None,
        "last_task_finished": tasks["last_finished"].timestamp() if tasks["last_finished"] else None,
    }


def clear_tasks() -> dict:
    """Before the upload's workers start: the tasks other steps left (their notifications, with
    no mail server to go to) would compete with the thumbnails. Never while a worker runs."""
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.all().delete()
    return {"deleted": deleted}


PREPARE = {"p6": prepare_p6, "p7": prepare_p7, "p8": prepare_p8, "upload": prepare_upload}
COUNT = {"p6": count_p6, "p7": count_p7, "p8": count_p8, "upload": count_upload}


def main() -> None:
    setup()
    action, name = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    if action == "clear_tasks":
        print(json.dumps(clear_tasks()))
    elif action == "prepare":
        print(json.dumps(PREPARE[name](sys.argv[3], sys.argv[4])))
    else:
        print(json.dumps(COUNT[name](json.loads(Path(sys.argv[3]).read_text()))))


if __name__ == "__main__":
    main()
