"""Images and attachments of a post: the policy (checked by the kernel, ``lib.uploads``) and the
store function. Photos (JPG, PNG, WebP, HEIC) are saved again upright, at most 2560 pixels and
without metadata (HEIC as JPEG); documents are PDF, Word, Excel, PowerPoint or OpenDocument text;
each at most 10 MB, 20 per post. On disk a file has a random name."""

from __future__ import annotations

from schoolpoort.core import staging
from schoolpoort.lib import uploads
from schoolpoort.lib.uploads import CheckedFile

from .models import PostAttachment

POLICY = uploads.attachment_policy(max_files=20)
IMAGE_DRAFT_KIND = "news.image"  # a photo placed in the text, parked until the post is saved
accepted_types_text = POLICY.describe


def accepted_extensions() -> list[str]:
    return POLICY.extensions()


def prepare_upload(upload) -> CheckedFile:
    """Check one uploaded file (ValidationError with a message that names the file otherwise)."""
    return uploads.check(upload, POLICY)


def check_all(files) -> tuple[list[CheckedFile], list]:
    """The accepted files and the refusals (ValidationErrors) of one field."""
    return uploads.check_all(files, POLICY)


def unpark_draft(upload) -> CheckedFile:
    """A photo parked for the text (core.staging) as a checked file again."""
    return staging.draft_file(upload, IMAGE_POLICY)


IMAGE_POLICY = uploads.Policy(kinds=uploads.PHOTOS, max_size=POLICY.max_size, image_side=POLICY.image_side,
                              describe=POLICY.describe)


def check_image(upload) -> CheckedFile:
    """A photo to put in a post's text."""
    return uploads.check(upload, IMAGE_POLICY)


def store_upload(post, checked: CheckedFile, *, inline: bool = False) -> PostAttachment:
    attachment = PostAttachment(
        post=post,
        kind=PostAttachment.Kind.IMAGE if checked.is_image else PostAttachment.Kind.FILE,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        width=checked.width,
        height=checked.height,
        inline=inline,
    )
    checked.content.seek(0)
    attachment.file.save(checked.name, checked.content, save=False)
    attachment.save()
    return attachment
