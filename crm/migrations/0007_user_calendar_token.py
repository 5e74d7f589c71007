import secrets

from django.db import migrations, models

import crm.models


def give_every_user_a_token(apps, schema_editor):
    User = apps.get_model("crm", "User")
    users = list(User.objects.filter(calendar_token__isnull=True).only("pk"))
    for user in users:
        user.calendar_token = secrets.token_urlsafe(32)
    User.objects.bulk_update(users, ["calendar_token"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0006_advisor_models_move_to_advisors"),
    ]

    operations = [
        # Nullable first, so existing users can each get their own random token.
        migrations.AddField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_every_user_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(
                default=crm.models.new_calendar_token, editable=False, max_length=64, unique=True
            ),
        ),
    ]
