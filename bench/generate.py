"""The board-scale world: one board with 20 schools, 8,000 pupils, 14,000 guardians, 50,000 news
posts, 200,000 messages, 20,000 events and 400,000 photo rows (small real JPEG files for a
sample of albums), written into the product's own tables with PostgreSQL COPY.

    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py [--scale 0.05]

It expects a migrated database (empty of bench data) and takes ids above what the tables already
hold, then moves the id sequences past them. ``--scale`` multiplies every count except the
schools (the smoke test in tests/bench runs it at 0.002). Deterministic: a fixed seed.

Why COPY and not the ORM: bulk_create builds a model instance and SQL text per row, about 20 µs a
row; COPY streams tuples and keeps the 700,000 rows within the issue's 60 s.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SEED = 1010
BOARD_NAME = "Stichting Bench"
DOMAIN = "bench.example"
SCHOOLS = 20
GROUPS_PER_SCHOOL = 16  # groep 1-8, two parallel groups each (A and B)
PUPILS = 8000
FAMILIES = 7000  # 14,000 guardians: two per family
NEWS = 50_000
MESSAGES = 200_000
MESSAGES_PER_CONVERSATION = 10
EVENTS = 20_000
PHOTOS = 400_000
PHOTOS_PER_ALBUM = 200
SAMPLE_ALBUMS = 6  # albums whose photos get real files (the benchmark guardian's first ones)

FIRST_NAMES = (
    "Noor Emma Julia Mila Tess Sophie Zoë Sara Nora Yara Liv Anna Evi Saar Lotte Fenna Lieke Roos "
    "Daan Sem Lucas Levi Finn Noah Milan Luuk Bram Jesse Thijs Adam Mees Sven Ruben Max Teun Ties "
    "Yasmina Mohammed Ayoub Fatima Ilias Amira Youssef Ines"
).split()
LAST_NAMES = [
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "Janssen",
    "Willems",
    "Koster",
    "Prins",
    "Huisman",
    "Kok",
    "Bulut",
    "Nguyen",
    "Öztürk",
    "Hoekstra",
]
TOWNS = ["Utrecht", "Amersfoort", "Zeist", "Houten", "Nieuwegein", "Veenendaal", "Woerden", "Soest"]
SUBJECTS = [
    "Sportdag",
    "Luizencontrole",
    "Schoolreis",
    "Rapportgesprekken",
    "Studiedag",
    "Kerstviering",
    "Koningsspelen",
    "Juf is ziek",
    "Gymrooster",
    "Excursie naar het museum",
    "Schoolfotograaf",
    "Ouderavond",
    "Voorleeswedstrijd",
    "Nieuwe methode rekenen",
    "Zwemles",
    "Avondvierdaagse",
]
BODY = (
    "Beste ouders en verzorgers,\n\nVolgende week staat er weer veel op het programma. Denk aan "
    "gymkleding, een gevulde beker en een jas: we gaan ook naar buiten. Vragen? Stuur gerust een bericht.\n\n"
    "Met vriendelijke groet,\nhet team"
)


@dataclass
class World:
    """What the benchmarks need to find again: ids and the notable personas."""

    board_id: int = 0
    school_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)  # index: school * GROUPS_PER_SCHOOL + slot
    teacher_ids: list[int] = field(default_factory=list)  # one per group, same index
    guardian_ids: list[int] = field(default_factory=list)
    student_ids: list[int] = field(default_factory=list)
    board_admin_id: int = 0
    director_ids: list[int] = field(default_factory=list)
    # The benchmark guardian: three children in three groups of school 0.
    three_children_guardian_id: int = 0
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


class Copier:
    """COPY rows into a model's table. ``columns`` are the attnames given per row; every other
    concrete field gets its default (computed once; uuid4 defaults per row), NULL, or now."""

    def __init__(self, cursor, model, columns: list[str], now: datetime.datetime):
        from django.db import connection
        from django.db.models.fields import NOT_PROVIDED

        self.cursor, self.model, self.count = cursor, model, 0
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = list(columns)
        tail, self.uuid_slots = [], []
        for attname, f in fields.items():
            if attname in self.columns:
                continue
            if not f.has_default() and f.db_default is not NOT_PROVIDED:
                continue  # the database's own default (db_default) fills it
            if f.has_default():
                if f.default is uuid.uuid4:
                    self.uuid_slots.append(len(self.columns))
                    self.columns.append(attname)
                    tail.append(None)
                    continue
                value = f.get_db_prep_save(f.get_default(), connection)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()  # "" for text fields, None for the others
                if value is None and not f.null:
                    raise ValueError(f"{model.__name__}.{attname} needs a value")
            self.columns.append(attname)
            tail.append(value)
        self.tail = tuple(tail)
        self.columns = [fields[name].column for name in self.columns]

    def __enter__(self):
        cols = ", ".join(f'"{c}"' for c in self.columns)
        self.sql = f'COPY "{self.model._meta.db_table}" ({cols}) FROM STDIN'
        self.buffer: list[tuple] = []
        return self

    def row(self, *values) -> None:
        row = values + self.tail
        if self.uuid_slots:
            row = list(row)
            for slot in self.uuid_slots:
                row[slot] = uuid.uuid4()
        self.buffer.append(row)
        self.count += 1
        if len(self.buffer) >= 20_000:
            self.flush()

    def flush(self) -> None:
        # One COPY per chunk: a connection runs one COPY at a time, and several copiers are open.
        if self.buffer:
            with self.cursor.copy(self.sql) as copy:
                for row in self.buffer:
                    copy.write_row(row)
            self.buffer = []

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.flush()
        return False


def next_id(cursor, model) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
    return cursor.fetchone()[0]


def reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))'
        )


def jpeg_bytes(width: int, height: int, seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (60 + seed * 37 % 180, 120, 200 - seed * 13 % 150))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = (seed * 53 + i * 97) % width
        draw.ellipse((x, height // 4, x + width // 5, height // 4 + width // 5), fill=(250, 200 - i * 20, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def generate(scale: float = 1.0, media_root: Path | None = None, out=sys.stdout) -> World:  # noqa: C901, PLR0915
    """Write the board into the database Django is configured for. Needs PostgreSQL (COPY)."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from schoolpoort.accounts.models import User
    from schoolpoort.albums.models import Album, Photo, PhotoTag
    from schoolpoort.calendar.models import Event
    from schoolpoort.core.models import (
        Board,
        BoardMembership,
        Consent,
        Enrollment,
        Group,
        Guardianship,
        ModuleSwitch,
        School,
        SchoolYear,
        StaffMembership,
        Student,
    )
    from schoolpoort.core.modules import MODULES
    from schoolpoort.messaging.models import Conversation, Message, Participant
    from schoolpoort.news.models import Post

    if connection.vendor != "postgresql":
        raise SystemExit("the generator writes with COPY: it needs PostgreSQL (DATABASE_URL)")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    rng = random.Random(SEED)
    world = World()
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    year = SchoolYear.for_date(today)

    def n(count: int, minimum: int = 1) -> int:
        return max(minimum, round(count * scale))

    def lap(name: str, t0: float) -> None:
        world.seconds[name] = round(time.monotonic() - t0, 2)
        print(f"  {name:<28} {world.seconds[name]:6.2f} s", file=out)

    GroupTeachers = Group.teachers.through
    PostGroups, EventGroups, AlbumGroups = Post.groups.through, Event.groups.through, Album.groups.through
    models = [
        User,
        Board,
        School,
        Group,
        GroupTeachers,
        Student,
        Enrollment,
        Guardianship,
        StaffMembership,
        BoardMembership,
        ModuleSwitch,
        Post,
        PostGroups,
        Conversation,
        Participant,
        Message,
        Event,
        EventGroups,
        Album,
        AlbumGroups,
        Photo,
        PhotoTag,
        Consent,
    ]

    with transaction.atomic(), connection.cursor() as wrapper:
        cur = wrapper.cursor  # the psycopg cursor, for COPY
        ids = {model: next_id(cur, model) for model in models}

        def take(model, count: int) -> range:
            first = ids[model]
            ids[model] += count
            return range(first, first + count)

        # --- People and schools --------------------------------------------------------------
        t0 = time.monotonic()
        n_families, n_pupils = n(FAMILIES, SCHOOLS), n(PUPILS, SCHOOLS)
        n_groups = SCHOOLS * GROUPS_PER_SCHOOL
        board_id = take(Board, 1)[0]
        school_ids = list(take(School, SCHOOLS))
        group_ids = list(take(Group, n_groups))
        staff_count = n_groups + 2 * SCHOOLS + 1
        staff_ids = list(take(User, staff_count))
        teacher_ids = staff_ids[:n_groups]
        director_ids = staff_ids[n_groups : n_groups + SCHOOLS]
        office_ids = staff_ids[n_groups + SCHOOLS : n_groups + 2 * SCHOOLS]
        board_admin_id = staff_ids[-1]
        guardian_ids = list(take(User, 2 * n_families))
        world.board_id, world.school_ids, world.group_ids = board_id, school_ids, group_ids
        world.teacher_ids, world.guardian_ids = teacher_ids, guardian_ids
        world.board_admin_id, world.director_ids = board_admin_id, director_ids

        with Copier(cur, Board, ["id", "name"], now) as c:
            c.row(board_id, BOARD_NAME)
        with Copier(cur, School, ["id", "board_id", "name", "brin", "city", "region"], now) as c:
            for i, pk in enumerate(school_ids):
                c.row(pk, board_id, f"Basisschool Bench {i + 1:02d}", f"B{i:03d}", TOWNS[i % len(TOWNS)], "midden")
        with Copier(cur, ModuleSwitch, ["id", "school_id", "module", "enabled"], now) as c:
            for pk in school_ids:
                for code in MODULES:
                    c.row(take(ModuleSwitch, 1)[0], pk, code, True)
        with Copier(cur, Group, ["id", "school_id", "school_year_id", "name", "grades"], now) as c:
            for s, school_id in enumerate(school_ids):
                for slot in range(GROUPS_PER_SCHOOL):
                    grade, parallel = slot // 2 + 1, "AB"[slot % 2]
                    c.row(
                        group_ids[s * GROUPS_PER_SCHOOL + slot],
                        school_id,
                        year.pk,
                        f"Groep {grade}{parallel}",
                        str(grade),
                    )

        user_cols = [
            "id",
            "email",
            "password",
            "first_name",
            "last_name",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "date_joined",
        ]
        with Copier(cur, User, user_cols, now) as c:
            for i, pk in enumerate(teacher_ids):
                c.row(
                    pk,
                    f"leerkracht{i}@{DOMAIN}",
                    "!",
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    "nl",
                    True,
                    False,
                    False,
                    now,
                )
            for i, pk in enumerate(director_ids):
                c.row(pk, f"directie{i}@{DOMAIN}", "!", "Directeur", str(i), "nl", True, False, False, now)
            for i, pk in enumerate(office_ids):
                c.row(pk, f"administratie{i}@{DOMAIN}", "!", "Administratie", str(i), "nl", True, False, False, now)
            c.row(board_admin_id, f"bestuur@{DOMAIN}", "!", "Bestuur", "Bench", "nl", True, False, False, now)
            for i, pk in enumerate(guardian_ids):
                # One guardian in ten reads the portal in English.
                c.row(
                    pk,
                    f"ouder{i}@{DOMAIN}",
                    "!",
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    "en" if i % 10 == 0 else "nl",
                    True,
                    False,
                    False,
                    now,
                )
        with Copier(cur, GroupTeachers, ["id", "group_id", "user_id"], now) as c:
            for group_id, teacher_id in zip(group_ids, teacher_ids, strict=True):
                c.row(take(GroupTeachers, 1)[0], group_id, teacher_id)
        with Copier(cur, StaffMembership, ["id", "user_id", "school_id", "role"], now) as c:
            for s, school_id in enumerate(school_ids):
                for slot in range(GROUPS_PER_SCHOOL):
                    c.row(take(StaffMembership, 1)[0], teacher_ids[s * GROUPS_PER_SCHOOL + slot], school_id, "teacher")
                c.row(take(StaffMembership, 1)[0], director_ids[s], school_id, "director")
                c.row(take(StaffMembership, 1)[0], office_ids[s], school_id, "administration")
        with Copier(cur, BoardMembership, ["id", "user_id", "board_id"], now) as c:
            c.row(take(BoardMembership, 1)[0], board_admin_id, board_id)

        # Families: most have one child, some two, a few three; siblings go to the same school.
        # Family 0 is the benchmark guardian's: three children in groep 3A, 5A and 7A of school 0.
        sizes = [1] * n_families
        extra = n_pupils - n_families
        for f in range(min(extra, n_families)):
            sizes[f * 7 % n_families] += 1
        extra -= min(extra, n_families)
        for f in range(extra):
            sizes[(f * 11 + 3) % n_families] += 1
        sizes[0] = 3
        surplus = sum(sizes) - n_pupils
        for f in range(n_families - 1, 0, -1):
            if surplus <= 0:
                break
            if sizes[f] > 1:
                sizes[f] -= 1
                surplus -= 1
        student_ids = list(take(Student, sum(sizes)))
        world.student_ids = student_ids
        world.three_children_guardian_id = guardian_ids[0]
        stu_cols = ["id", "school_id", "sis_id", "first_name", "last_name", "date_of_birth"]
        enrollments, guardianships = [], []
        with Copier(cur, Student, stu_cols, now) as c:
            k = 0
            for f, size in enumerate(sizes):
                s = f % SCHOOLS
                last = rng.choice(LAST_NAMES)
                grades = [3, 5, 7] if f == 0 else rng.sample(range(1, 9), size)
                for grade in grades[:size]:
                    pk = student_ids[k]
                    k += 1
                    slot = (grade - 1) * 2 + (0 if f == 0 else rng.randrange(2))
                    born = datetime.date(today.year - 4 - grade, 1 + rng.randrange(12), 1 + rng.randrange(28))
                    c.row(pk, school_ids[s], str(pk), rng.choice(FIRST_NAMES), last, born)
                    enrollments.append((pk, group_ids[s * GROUPS_PER_SCHOOL + slot]))
                    for parent in (0, 1):
                        guardianships.append((pk, guardian_ids[2 * f + parent], "mother" if parent else "father"))
        with Copier(cur, Enrollment, ["id", "student_id", "group_id"], now) as c:
            for student_id, group_id in enrollments:
                c.row(take(Enrollment, 1)[0], student_id, group_id)
        with Copier(cur, Guardianship, ["id", "student_id", "user_id", "relation", "created_at"], now) as c:
            for student_id, user_id, relation in guardianships:
                c.row(take(Guardianship, 1)[0], student_id, user_id, relation, now)
        # Image consent for the portal: nine pupils in ten.
        with Copier(cur, Consent, ["id", "student_id", "school_year_id", "use", "given", "answered_at"], now) as c:
            for pk in student_ids:
                c.row(take(Consent, 1)[0], pk, year.pk, "portal", pk % 10 != 0, now)
        lap("people and schools", t0)

        # --- News: three in four to a group, one in five to a school, the rest to the board --
        t0 = time.monotonic()
        post_cols = [
            "id",
            "audience",
            "board_id",
            "school_id",
            "author_id",
            "title",
            "body",
            "body_html",
            "publish_at",
            "pinned",
            "urgent",
            "notified_at",
            "created_at",
            "updated_at",
        ]
        body_html = "".join(f"<p>{part}</p>" for part in BODY.split("\n\n"))
        span = 3 * 365 * 24 * 3600
        with Copier(cur, Post, post_cols, now) as c, Copier(cur, PostGroups, ["id", "post_id", "group_id"], now) as g:
            for pk in take(Post, n(NEWS)):
                r = rng.random()
                at = now - datetime.timedelta(seconds=rng.randrange(span))
                s = rng.randrange(SCHOOLS)
                title = f"{rng.choice(SUBJECTS)} {pk}"
                if r < 0.05:
                    c.row(
                        pk,
                        "board",
                        board_id,
                        None,
                        board_admin_id,
                        title,
                        BODY,
                        body_html,
                        at,
                        False,
                        False,
                        at,
                        at,
                        at,
                    )
                elif r < 0.25:
                    c.row(
                        pk,
                        "school",
                        board_id,
                        school_ids[s],
                        director_ids[s],
                        title,
                        BODY,
                        body_html,
                        at,
                        False,
                        False,
                        at,
                        at,
                        at,
                    )
                else:
                    slot = rng.randrange(GROUPS_PER_SCHOOL)
                    index = s * GROUPS_PER_SCHOOL + slot
                    c.row(
                        pk,
                        "groups",
                        board_id,
                        school_ids[s],
                        teacher_ids[index],
                        title,
                        BODY,
                        body_html,
                        at,
                        False,
                        False,
                        at,
                        at,
                        at,
                    )
                    g.row(take(PostGroups, 1)[0], pk, group_ids[index])
        if any(f.attname == "excerpt_text" for f in Post._meta.concrete_fields):
            # What Post.save() stores beside body_html; every generated post has the same body.
            from schoolpoort.news.rendering import plain_excerpt, searchable_text

            cur.execute('UPDATE "news_post" SET "excerpt_text" = %s, "search_text" = %s',
                        [plain_excerpt(body_html), searchable_text(body_html)])
        lap("news posts", t0)

        # --- Messages: conversations of ten messages between a guardian and the teacher ------
        t0 = time.monotonic()
        n_conv = max(1, n(MESSAGES) // MESSAGES_PER_CONVERSATION)
        conv_ids = list(take(Conversation, n_conv))
        conv_cols = [
            "id",
            "school_id",
            "subject",
            "kind",
            "between_parents",
            "group_id",
            "about_student_id",
            "created_by_id",
            "created_at",
            "last_message_at",
        ]
        part_cols = ["id", "conversation_id", "user_id", "role", "student_id", "joined_at", "last_read_at", "muted"]
        msg_cols = ["id", "conversation_id", "sender_id", "body", "auto_reply", "created_at"]
        student_school = {}
        for student_id, group_id in enrollments:
            student_school[student_id] = group_id
        group_index = {gid: i for i, gid in enumerate(group_ids)}
        with (
            Copier(cur, Conversation, conv_cols, now) as c,
            Copier(cur, Participant, part_cols, now) as p,
            Copier(cur, Message, msg_cols, now) as m,
        ):
            for conv_id in conv_ids:
                student_id, guardian_id, _relation = guardianships[rng.randrange(len(guardianships))]
                group_id = student_school[student_id]
                gi = group_index[group_id]
                school_id, teacher_id = school_ids[gi // GROUPS_PER_SCHOOL], teacher_ids[gi]
                started_at = now - datetime.timedelta(seconds=rng.randrange(span))
                times = [started_at + datetime.timedelta(minutes=37 * i) for i in range(MESSAGES_PER_CONVERSATION)]
                c.row(
                    conv_id,
                    school_id,
                    rng.choice(SUBJECTS),
                    "direct",
                    False,
                    group_id,
                    student_id,
                    guardian_id,
                    started_at,
                    times[-1],
                )
                p.row(
                    take(Participant, 1)[0], conv_id, guardian_id, "guardian", student_id, started_at, times[-1], False
                )
                p.row(take(Participant, 1)[0], conv_id, teacher_id, "teacher", None, started_at, times[-1], False)
                for i, at in enumerate(times):
                    m.row(
                        take(Message, 1)[0],
                        conv_id,
                        guardian_id if i % 2 == 0 else teacher_id,
                        "Dank u wel, dat is goed. Tot morgen!",
                        False,
                        at,
                    )
        lap("messages", t0)

        # --- Calendar: events over last year and next year ------------------------------------
        t0 = time.monotonic()
        ev_cols = [
            "id",
            "audience",
            "board_id",
            "school_id",
            "title",
            "location",
            "category",
            "all_day",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "last_day",
            "created_at",
            "updated_at",
        ]
        categories = ["excursion", "sports", "celebration", "parents_evening", "other", "study_day"]
        with Copier(cur, Event, ev_cols, now) as c, Copier(cur, EventGroups, ["id", "event_id", "group_id"], now) as g:
            for pk in take(Event, n(EVENTS)):
                day = today + datetime.timedelta(days=rng.randrange(-365, 365))
                r = rng.random()
                timed = r > 0.5
                times = (datetime.time(8 + rng.randrange(10), 0), datetime.time(19, 30)) if timed else (None, None)
                s = rng.randrange(SCHOOLS)
                title = f"{rng.choice(SUBJECTS)}"
                common = (title, "Aula", rng.choice(categories), not timed, day, day, *times, day, now, now)
                if r < 0.02:
                    c.row(pk, "board", board_id, None, *common)
                elif r < 0.3:
                    c.row(pk, "school", None, school_ids[s], *common)
                else:
                    c.row(pk, "groups", None, school_ids[s], *common)
                    g.row(take(EventGroups, 1)[0], pk, group_ids[s * GROUPS_PER_SCHOOL + rng.randrange(16)])
        lap("calendar events", t0)

        # --- Albums of 200 photos; one photo in ten shows a tagged child -----------------------
        t0 = time.monotonic()
        n_albums = max(1, n(PHOTOS) // PHOTOS_PER_ALBUM)
        album_ids = list(take(Album, n_albums))
        world.counts["sample_album_ids"] = []
        album_cols = [
            "id",
            "school_id",
            "audience",
            "title",
            "description",
            "date",
            "created_by_id",
            "published_at",
            "created_at",
        ]
        photo_cols = [
            "id",
            "album_id",
            "kind",
            "status",
            "original",
            "original_name",
            "content_type",
            "size",
            "web",
            "thumb",
            "width",
            "height",
            "taken_at",
            "error",
            "uploaded_by_id",
            "created_at",
        ]
        pupils_of_group: dict[int, list[int]] = {}
        for student_id, group_id in enrollments:
            pupils_of_group.setdefault(group_id, []).append(student_id)
        sample_files: list[tuple[str, str, str]] = []
        with (
            Copier(cur, Album, album_cols, now) as a,
            Copier(cur, AlbumGroups, ["id", "album_id", "group_id"], now) as ag,
            Copier(cur, Photo, photo_cols, now) as p,
            Copier(cur, PhotoTag, ["id", "photo_id", "student_id", "created_at"], now) as t,
        ):
            for i, album_id in enumerate(album_ids):
                # The first albums are for the groups of the benchmark family (groep 3A/5A/7A of school 0).
                if i < SAMPLE_ALBUMS:
                    s, slot = 0, (4, 8, 12)[i % 3]
                else:
                    s, slot = rng.randrange(SCHOOLS), rng.randrange(GROUPS_PER_SCHOOL)
                index = s * GROUPS_PER_SCHOOL + slot
                day = today - datetime.timedelta(days=i if i < SAMPLE_ALBUMS else rng.randrange(700))
                published = datetime.datetime.combine(day, datetime.time(16), tzinfo=datetime.UTC)
                a.row(
                    album_id,
                    school_ids[s],
                    "groups",
                    f"{rng.choice(SUBJECTS)} ({album_id})",
                    "",
                    day,
                    teacher_ids[index],
                    published,
                    published,
                )
                ag.row(take(AlbumGroups, 1)[0], album_id, group_ids[index])
                pupils = pupils_of_group.get(group_ids[index]) or [student_ids[0]]
                sample = i < SAMPLE_ALBUMS
                if sample:
                    world.counts["sample_album_ids"].append(album_id)
                for j, photo_id in enumerate(take(Photo, PHOTOS_PER_ALBUM)):
                    stem = f"bench/{album_id}/{photo_id}"
                    original, web, thumb = f"{stem}-o.jpg", f"{stem}-w.jpg", f"{stem}-t.jpg"
                    if sample:
                        sample_files.append((original, web, thumb))
                    p.row(
                        photo_id,
                        album_id,
                        "image",
                        "ready",
                        original,
                        f"IMG_{j:04d}.jpg",
                        "image/jpeg",
                        2_400_000,
                        web,
                        thumb,
                        1600,
                        1200,
                        published + datetime.timedelta(seconds=j),
                        "",
                        teacher_ids[index],
                        published,
                    )
                    if j % 10 == 0:
                        t.row(take(PhotoTag, 1)[0], photo_id, pupils[j // 10 % len(pupils)], published)
        lap("albums and photos (rows)", t0)
        reset_sequences(cur, models)

    # Small real files for the sample albums: one web and one thumbnail picture, written per photo.
    t0 = time.monotonic()
    # Two pictures written once, hard-linked under every name (3,600 files in well under a second).
    sources = {}
    for kind, size in (("w", (1600, 1200)), ("t", (400, 300))):
        sources[kind] = media_root / "bench" / f"source-{kind}.jpg"
        sources[kind].parent.mkdir(parents=True, exist_ok=True)
        sources[kind].write_bytes(jpeg_bytes(*size, seed=len(kind)))
    made = set()
    for original, web, thumb in sample_files:
        for name, kind in ((original, "w"), (web, "w"), (thumb, "t")):
            path = media_root / name
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            try:
                os.link(sources[kind], path)
            except FileExistsError:
                pass
    lap(f"photo files ({len(sample_files)} photos)", t0)

    t0 = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    lap("analyze", t0)
    world.counts.update(
        schools=SCHOOLS,
        groups=len(group_ids),
        pupils=len(student_ids),
        guardians=len(guardian_ids),
        news=Post.objects.count(),
        messages=Message.objects.count(),
        conversations=Conversation.objects.count(),
        events=Event.objects.count(),
        photos=Photo.objects.count(),
        photo_files=3 * len(sample_files),
    )
    world.seconds["total"] = round(time.monotonic() - started, 2)
    print(f"  {'total':<28} {world.seconds['total']:6.2f} s", file=out)
    return world


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Generate the board-scale benchmark data.")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--json", help="write the world's ids and timings to this file")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench.common import leave_school_scopes

    leave_school_scopes()
    world = generate(args.scale)
    if args.json:
        Path(args.json).write_text(json.dumps(world.__dict__))


if __name__ == "__main__":
    main()
