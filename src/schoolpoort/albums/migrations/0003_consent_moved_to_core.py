"""The image consent model now belongs to core (core 0003 took it over with its table,
``albums_consent``): the albums forget the model; the table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('albums', '0002_hide_unstripped_videos'),
        ('core', '0005_image_consent_and_image_tags'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Consent')],
            database_operations=[],
        ),
    ]
