"""Videos uploaded before they were remuxed without metadata were served as uploaded (with their
location). They go back to "processing" (hidden from parents, their original never served) until
``manage.py process_videos`` has made their clean version."""

from django.db import migrations


def hide_unstripped_videos(apps, schema_editor):
    Photo = apps.get_model("albums", "Photo")
    Photo.objects.filter(kind="video", web="").exclude(status="processing").update(status="processing", error="")


class Migration(migrations.Migration):
    dependencies = [("albums", "0001_initial")]

    operations = [migrations.RunPython(hide_unstripped_videos, migrations.RunPython.noop)]
