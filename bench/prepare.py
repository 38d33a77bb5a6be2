"""Signed-in parents and the addresses the page benchmarks visit, for a database with the board
world (bench/generate.py) or the demo world. Prints JSON for bench/run.py.

    python bench/prepare.py board|demo
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench.common import leave_school_scopes

    leave_school_scopes()


def personas(kind: str) -> dict:
    """The main parent (three children on the board, two in the demo) and the pages to visit."""
    from django.db.models import Count
    from django.urls import reverse

    from schoolpoort.accounts.models import User
    from schoolpoort.albums.models import Album, Photo
    from schoolpoort.calendar.actions import issue_feed_token
    from schoolpoort.core.models import Enrollment, Guardianship

    email = "ouder0@bench.example" if kind == "board" else "jansen@ouders.example"
    parent = User.objects.get(email=email)
    children = Guardianship.objects.filter(user=parent).values("student_id")
    group_id = (
        Enrollment.objects.filter(student_id__in=children)
        .order_by("group_id")
        .values_list("group_id", flat=True)
        .first()
    )
    album = Album.objects.visible_to(parent).annotate(n=Count("photos")).order_by("-n", "-pk").first()
    token = issue_feed_token(parent)
    # Twenty parents of the main parent's school, the main one first, for the load.
    school_id = Guardianship.objects.filter(user=parent).values_list("student__school_id", flat=True).first()
    others = list(
        Guardianship.objects.filter(student__school_id=school_id, user__isnull=False)
        .exclude(user=parent)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:60]
    )
    return {
        "parent_id": parent.pk,
        "parent_ids": [parent.pk, *others[::3]][:20],
        "children": Guardianship.objects.filter(user=parent).count(),
        "paths": {
            "home": reverse("web:home"),
            "feed": reverse("news:feed"),
            "classlist": reverse("classlist:group", args=[group_id]),
            "album": reverse("albums:detail", args=[album.pk]) if album else None,
            "calendar": reverse("calendar:list"),
            "ical": reverse("calendar:feed", kwargs={"token": token}),
        },
        "album_photos": Photo.objects.filter(album=album).count() if album else 0,
        # A photo whose files the generator wrote (the sample albums), for the cluster's S3 check.
        "sample_thumb": next(
            (p.thumb_url for p in Photo.objects.visible_to(parent).filter(thumb__startswith="bench/")[:1]), None
        ),
        "album_thumb": Photo.objects.filter(album=album).order_by("pk").first().thumb_url if album else None,
    }


def main() -> None:
    setup()
    from bench.sessions import make_sessions

    info = personas(sys.argv[1])
    sessions = make_sessions(info["parent_ids"])
    info["sessions"] = [sessions[pk] for pk in info["parent_ids"]]
    print(json.dumps(info))


if __name__ == "__main__":
    main()
