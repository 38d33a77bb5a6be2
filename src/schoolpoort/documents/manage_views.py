"""Making and changing shelves and folders: administration, director and board admin for every
shelf of their school, teachers for the shelves of the groups they teach (``editing.py``). The
shelf is fetched through ``visible_to`` first; a shelf the user may see but not change is a 404
here too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import actions
from .editing import rights_of
from .forms import FolderForm, ShelfForm
from .models import Folder, Shelf
from .scope import usable_school_or_404
from .views import editable_shelf_or_404


def _shelf_form_page(request, form: ShelfForm, shelf: Shelf | None):
    return render(request, "documents/shelf_form.html", {"form": form, "shelf": shelf, "school": form.school})


@login_required
@require_http_methods(["GET", "POST"])
def shelf_create(request, school_id: int):
    user = request.user
    school = usable_school_or_404(user, school_id)
    rights = rights_of(user)
    if not rights.can_create_shelf(school.pk):
        raise Http404
    initial = {"student": request.GET.get("student")} if request.GET.get("student") else {}
    if request.GET.get("audience"):
        initial["audience"] = request.GET["audience"]
    form = ShelfForm(request.POST or None, school=school, rights=rights, instance=Shelf(school=school),
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        shelf = actions.save_shelf(form.save(commit=False), user, groups=form.cleaned_data.get("groups") or [],
                                   guardianships=form.cleaned_data.get("guardianships") or [])
        messages.success(request, _("The shelf has been made."))
        return redirect(shelf)
    return _shelf_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def shelf_edit(request, shelf_id: int):
    user = request.user
    shelf = editable_shelf_or_404(user, shelf_id)
    initial = {"student": request.GET.get("student")} if request.GET.get("student") else {}
    form = ShelfForm(request.POST or None, school=shelf.school, rights=rights_of(user), instance=shelf,
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_shelf(form.save(commit=False), user, groups=form.cleaned_data.get("groups") or [],
                           guardianships=form.cleaned_data.get("guardianships") or [])
        messages.success(request, _("The shelf has been saved."))
        return redirect(shelf)
    return _shelf_form_page(request, form, shelf)


@login_required
@require_http_methods(["GET", "POST"])
def shelf_delete(request, shelf_id: int):
    shelf = editable_shelf_or_404(request.user, shelf_id)
    if request.method == "POST":
        actions.delete_shelf(shelf, request.user)
        messages.success(request, _("The shelf has been deleted."))
        return redirect("documents:list")
    count = shelf.documents.count()
    return render(request, "documents/confirm_delete.html", {
        "kind": "shelf", "object": shelf, "back": shelf.get_absolute_url(), "count": count,
    })


def _folder_or_404(shelf: Shelf, folder_id: int) -> Folder:
    folder = Folder.objects.filter(shelf=shelf, pk=folder_id).first()
    if folder is None:
        raise Http404
    return folder


@login_required
@require_http_methods(["GET", "POST"])
def folder_create(request, shelf_id: int):
    shelf = editable_shelf_or_404(request.user, shelf_id)
    initial = {"parent": request.GET.get("map")} if request.GET.get("map") else {}
    form = FolderForm(request.POST or None, shelf=shelf, instance=Folder(shelf=shelf), initial=initial)
    if request.method == "POST" and form.is_valid():
        folder = form.save(commit=False)
        folder.parent = form.cleaned_data.get("parent")
        actions.save_folder(folder, request.user)
        messages.success(request, _("The folder has been made."))
        return redirect(folder)
    return render(request, "documents/folder_form.html", {"form": form, "shelf": shelf, "folder": None})


@login_required
@require_http_methods(["GET", "POST"])
def folder_edit(request, shelf_id: int, folder_id: int):
    shelf = editable_shelf_or_404(request.user, shelf_id)
    folder = _folder_or_404(shelf, folder_id)
    form = FolderForm(request.POST or None, shelf=shelf, instance=folder)
    if request.method == "POST" and form.is_valid():
        folder = form.save(commit=False)
        folder.parent = form.cleaned_data.get("parent")
        actions.save_folder(folder, request.user)
        messages.success(request, _("The folder has been saved."))
        return redirect(folder)
    return render(request, "documents/folder_form.html", {"form": form, "shelf": shelf, "folder": folder})


@login_required
@require_POST
def folder_delete(request, shelf_id: int, folder_id: int):
    shelf = editable_shelf_or_404(request.user, shelf_id)
    folder = _folder_or_404(shelf, folder_id)
    try:
        actions.delete_folder(folder, request.user)
    except actions.FolderNotEmpty:
        messages.error(request, _("Only an empty folder can be deleted. Move or delete what is in “%(folder)s” first.")
                       % {"folder": folder.title})
        return redirect(folder)
    messages.success(request, _("The folder has been deleted."))
    return redirect(folder.parent if folder.parent_id else shelf)
