"""The albums on the home page of guardians (see lib/home.py): the image consent reminder while they
have not answered yet (one query, none while the reach cache holds it), and the albums published lately
with a few thumbnails, read with the albums' own rules (``visible_to``: the image consent rule
included) and served by the access-checked photo views (one query, none where albums are not
usable). The rule is read from what the request knows already (``core.access.request_reach`` and
the overview's module states) as plain ``IN`` lists, as the news and calendar blocks do."""

import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from schoolpoort.core.access import ReachIds, cached_for_user, request_reach, roles_of
from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.home import HomeBlock

from .access import MODULE, album_q, photo_q
from .consent import pending_children
from .models import Album, Photo

RECENT_DAYS = 30
ALBUMS = 1  # the newest album; the rest is a tap away
THUMBS = 4
SCAN = 60  # photos read per album shown at most: the first album may hold many
CANDIDATES = 5  # newest albums looked into: one may show none of its photos to this family (consent)


def home_block(request, overview) -> list[HomeBlock]:
    blocks = []
    if not roles_of(request.user).is_guardian:
        return blocks  # the parents' timeline; staff find their albums through "More"
    # Kept across requests in the reach cache: a consent answer bumps the child's guardians (core/signals.py).
    children = cached_for_user(request.user, "albums-consent-pending", lambda: pending_children(request.user))
    if children:
        names = get_text_list([child.first_name for child in children], _("and"))
        blocks.append(HomeBlock(template="albums/_consent_reminder.html",
                                context={"children": children, "names": names}, order=5, section="action"))
    user = request.user

    def read():
        albums = recent_albums(ReachIds(user, request_reach(request), overview.modules))
        # An album leaves the block RECENT_DAYS after it was published: no write says so.
        until = min((album.published_at + datetime.timedelta(days=RECENT_DAYS) for album in albums), default=None)
        block = HomeBlock("albums/_home_block.html", {"albums": albums}, order=15, section="news") if albums else None
        return block, until

    # Kept under the reach's versions and those of the albums (albums, photos, their tags) and of
    # image consent: see albums/signals.py.
    recent = cached_block(request, "albums", read, topics=("albums", "images"))
    if recent:
        blocks.append(recent)
    return blocks


def recent_albums(ids) -> list[Album]:
    """The newest published albums the user may see (``ids``: the request's ``ReachIds``) with a
    photo the user may see, each with ``thumbs``: its first few photos. One query: the photos, with
    their albums, of the few newest albums the user may see (without that narrowing PostgreSQL reads
    every photo of the board)."""
    if not any(state.info.code == MODULE for modules in ids.modules for state in modules.usable):
        return []
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    newest = (
        Album.objects.filter(album_q(ids), published_at__gte=since)
        .order_by("-published_at", "-pk")
        .values("pk")[:CANDIDATES]
    )
    photos = (
        Photo.objects.filter(photo_q(ids, albums=newest), status=Photo.Status.READY, album__in=newest)
        .exclude(thumb="")
        .select_related("album")
        .only("id", "album_id", "kind", "width", "height",
              "album__id", "album__title", "album__date", "album__published_at", "album__school_id")
        .order_by("-album__published_at", "-album_id", F("taken_at").asc(nulls_last=True), "pk")[: ALBUMS * SCAN]
    )
    albums: dict[int, Album] = {}
    for photo in photos:
        album = albums.get(photo.album_id)
        if album is None:
            if len(albums) == ALBUMS:
                break
            album = albums[photo.album_id] = photo.album
            album.thumbs = []
        if len(album.thumbs) < THUMBS:
            album.thumbs.append(photo)
    return list(albums.values())
