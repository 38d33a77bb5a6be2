"""Image consent moves from the albums to core, where every module asks it: the model only (its
table ``albums_consent`` stays as it is, with every answer); ``albums`` 0003 forgets it. And the
tags of images in news, messages and documents (``ImageTag``)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_staged_upload'),
        # The table is made by albums 0001: it exists before core takes the model over.
        ('albums', '0002_hide_unstripped_videos'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Consent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('use', models.CharField(choices=[('portal', 'In the portal, for the parents of the group'), ('website', 'On the school website'), ('social', "On the school's social media"), ('guide', 'In the school guide')], max_length=10, verbose_name='use')),
                        ('given', models.BooleanField(verbose_name='consent given')),
                        ('answered_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('answered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('school_year', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.schoolyear')),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='image_consents', to='core.student')),
                    ],
                    options={
                        'verbose_name': 'image consent',
                        'verbose_name_plural': 'image consents',
                        'db_table': 'albums_consent',
                        'indexes': [models.Index(fields=['school_year', 'use', 'given'], name='albums_consent_year_use')],
                        'constraints': [models.UniqueConstraint(fields=('student', 'school_year', 'use'), name='albums_consent_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name='ImageTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('student', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='image_tags', to='core.student')),
                ('tagged_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'child in an image',
                'verbose_name_plural': 'children in images',
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='image_tag_image')],
                'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id', 'student'), name='image_tag_unique'), models.UniqueConstraint(condition=models.Q(('student__isnull', True)), fields=('content_type', 'object_id'), name='image_tag_one_none')],
            },
        ),
    ]
