"""Import files move into core staging: each run's plaintext file is encrypted into a StagedUpload
(kept, as the history offers it) and the plaintext is deleted. Runs keep the preview they showed."""

import datetime
import hashlib
import uuid

import django.db.models.deletion
from django.core.files.base import ContentFile
from django.db import migrations, models


def park_existing_files(apps, schema_editor):
    from schoolpoort.lib.encryption import fernet

    ImportRun = apps.get_model("imports", "ImportRun")
    StagedUpload = apps.get_model("core", "StagedUpload")
    for run in ImportRun.objects.exclude(file="").iterator():
        try:
            with run.file.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            continue
        upload = StagedUpload(
            school_id=run.school_id,
            owner_id=run.created_by_id,
            kind="imports.sis",
            filename=run.filename,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            status="applied" if run.status == "applied" else "parked",
            keep=True,
            expires_at=run.created_at + datetime.timedelta(days=1),
            applied_at=run.applied_at,
        )
        upload.file.save(f"staging/{uuid.uuid4().hex}", ContentFile(fernet().encrypt(data)), save=False)
        upload.save()
        run.upload_id = upload.pk
        run.save(update_fields=["upload"])
        run.file.delete(save=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_staged_upload"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="upload",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.stagedupload",
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="preview",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(park_existing_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importrun", name="file"),
        migrations.AlterField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("reading", "being read"),
                    ("previewed", "previewed"),
                    ("applied", "applied"),
                    ("failed", "failed"),
                ],
                default="previewed",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
