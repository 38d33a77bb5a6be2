"""The child's records for guardians and staff: the list of children, then one page per part.
Every page goes through ``student_for_part_or_404`` (404 for what the user may not open) and is
sent with ``Cache-Control: no-store``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .access import child_nav, no_store, record_students_visible_to, student_for_part_or_404
from .models import Part


@login_required
@no_store
def index(request):
    """The children whose records the user opens: a guardian's own, a teacher's groups, the school."""
    students = (
        record_students_visible_to(request.user)
        .select_related("school")
        .order_by("school__name", "first_name", "last_name", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        for word in query.split()[:4]:
            students = students.filter(first_name__icontains=word) | students.filter(last_name__icontains=word)
    page = Paginator(students, 50).get_page(request.GET.get("pagina"))
    return render(request, "records/index.html", {"page": page, "query": query})


@login_required
@no_store
def card(request, student_id: int):
    student = student_for_part_or_404(request.user, student_id, Part.CARD)
    context = child_nav(request.user, student, Part.CARD)
    return render(request, "records/card.html", context)
