"""The keys of DRF's never-expiring tokens become named API tokens that expire in 30 days,
so scripts keep working while their owners issue new tokens; the old rows are deleted."""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone


def convert(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires = timezone.now() + datetime.timedelta(days=30)
    for old in Token.objects.all():
        ApiToken.objects.create(
            user_id=old.user_id,
            name="legacy token",
            key_hash=hashlib.sha256(old.key.encode()).hexdigest(),
            prefix=old.key[:8],
            expires_at=expires,
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_token"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
