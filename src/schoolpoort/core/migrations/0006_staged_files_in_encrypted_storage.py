# State only: staged files were Fernet tokens already; the kernel storage now writes and reads them.

import schoolpoort.core.staging
import schoolpoort.lib.encryption
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_image_consent_and_image_tags'),
    ]

    operations = [
        migrations.AlterField(
            model_name='stagedupload',
            name='file',
            field=models.FileField(blank=True, max_length=200, storage=schoolpoort.lib.encryption.encrypted_storage, upload_to=schoolpoort.core.staging._upload_to),
        ),
    ]
