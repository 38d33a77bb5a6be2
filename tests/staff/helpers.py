"""Helpers of the staff directory tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from schoolpoort.staff.models import StaffProfile
from schoolpoort.staff.photos import encode

GPS_IFD = 0x8825


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def jpeg_with_gps(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, "#3f88c5")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (5.0, 7.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def profile_with_photo(user, school, **fields) -> StaffProfile:
    profile = StaffProfile(user=user, school=school, **fields)
    photo = encode(Image.new("RGB", (600, 600), "#d9822b"))
    profile.photo.save(photo.name, photo, save=False)
    profile.save()
    return profile
