# Files attached to messages encrypted at rest (lib.encryption); the data migration encrypts the
# files stored in the clear (reversible).

import schoolpoort.lib.encryption
import schoolpoort.messaging.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='messageattachment',
            name='file',
            field=models.FileField(max_length=200, storage=schoolpoort.lib.encryption.encrypted_storage, upload_to=schoolpoort.messaging.models.attachment_path),
        ),
        schoolpoort.lib.encryption.encrypt_existing("messaging.MessageAttachment", files=("file",)),
    ]
