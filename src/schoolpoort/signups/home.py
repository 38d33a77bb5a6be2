"""The sign-up block on the home page (see lib/home.py): the open forms a guardian's children or
family have not answered yet. One query; no block when there is nothing to answer."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schoolpoort.core.access import guardian_student_ids
from schoolpoort.core.blocks import cached_block
from schoolpoort.core.models import Guardianship
from schoolpoort.lib.home import HomeBlock

from .access import MODULE, visible_guardian_form_q
from .models import Form, Response

COUNT = 3


def home_block(request, overview) -> HomeBlock | None:
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    # Kept per user under the reach's versions and the sign-ups' versions, everyone's (the forms)
    # and the family's own (its answers; signups/signals.py), until the first deadline shown passes.
    return cached_block(request, "signups", lambda: _block(request), topics=("signups",), own=("signups",))


def _block(request) -> tuple[HomeBlock | None, object]:
    user = request.user
    children = guardian_student_ids(user)
    family_users = Guardianship.objects.filter(student_id__in=children, user__isnull=False).values("user_id")
    answered = Response.objects.filter(form=OuterRef("pk")).filter(
        Q(student_id__in=children) | Q(family_user_id__in=family_users)
    )
    forms = list(
        Form.objects.filter(visible_guardian_form_q(user), deadline__gt=timezone.now())
        .filter(~Exists(answered))
        .order_by("deadline", "pk")[:COUNT]
    )
    if not forms:
        return None, None
    return HomeBlock("signups/_home_block.html", {"forms": forms}, order=25, section="action"), forms[0].deadline
