"""Adding, replacing, changing and deleting documents, for whoever may change the shelf
(``editing.py``). A refused file says which file and why, and keeps everything else that was typed;
only the file itself has to be chosen again (a browser cannot keep it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schoolpoort.core.image_tags import audience_groups, tag_page

from . import actions, images
from .forms import DocumentForm, ReplaceForm, UploadForm
from .views import editable_document_or_404, editable_shelf_or_404


def _place(document) -> str:
    return document.folder.get_absolute_url() if document.folder_id else document.shelf.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, shelf_id: int):
    shelf = editable_shelf_or_404(request.user, shelf_id)
    shelf.audience_text = shelf.audience_label(as_staff=True)
    initial = {"folder": request.GET.get("map")} if request.GET.get("map") else {}
    form = UploadForm(request.POST or None, request.FILES or None, shelf=shelf, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = actions.add_document(
            shelf, data["file"], request.user, title=data["title"], description=data["description"],
            folder=data["folder"], notify=data["notify"],
        )
        messages.success(request, _("“%(title)s” has been added.") % {"title": document.title})
        return redirect(document if _ask_to_tag(request, document) else _place(document))
    return render(request, "documents/upload.html", {"form": form, "shelf": shelf})


@login_required
@require_http_methods(["GET", "POST"])
def replace(request, document_id: int):
    document = editable_document_or_404(request.user, document_id)
    form = ReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.replace_document(document, data["file"], request.user, note=data["note"], notify=data["notify"])
        messages.success(request, _("A new version of “%(title)s” has been added; the old one is kept.")
                         % {"title": document.title})
        _ask_to_tag(request, document)
        return redirect(document)
    return render(request, "documents/replace.html", {"form": form, "document": document})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, document_id: int):
    document = editable_document_or_404(request.user, document_id)
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_document(document, request.user, title=data["title"], description=data["description"],
                                folder=data["folder"])
        messages.success(request, _("The document has been saved."))
        return redirect(document)
    return render(request, "documents/document_form.html", {"form": form, "document": document})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, document_id: int):
    document = editable_document_or_404(request.user, document_id)
    if request.method == "POST":
        place = _place(document)
        actions.delete_document(document, request.user)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": document.title})
        return redirect(place)
    return render(request, "documents/confirm_delete.html", {
        "kind": "document", "object": document, "back": document.get_absolute_url(),
        "count": document.versions.count(),
    })


def _ask_to_tag(request, document) -> bool:
    """After a photo was put on a shelf: say that other parents see it only once it is tagged."""
    if document.current_version is None or not images.is_image(document.current_version):
        return False
    messages.info(request, _("Other parents see this photo only after you say who is in it: use “Who is in this "
                             "photo?”."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def tag_image(request, document_id: int, version_id: int):
    """Whoever may change the shelf says who is in a photo document (image consent)."""
    document = editable_document_or_404(request.user, document_id)
    version = document.versions.filter(pk=version_id, content_type__startswith="image/").first()
    if version is None:
        raise Http404
    return tag_page(
        request, version, groups=audience_groups(request.user, images.audience_groups(document.shelf)),
        back_url=document.get_absolute_url(), image_url=version.get_absolute_url(), title=document.title,
    )
