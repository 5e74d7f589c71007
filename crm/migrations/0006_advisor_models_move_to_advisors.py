# AdvisorAccess, Invitation and Recommendation moved to the `advisors` app. Only Django's
# record of the models moves: the tables stay as they are (advisors/migrations/0001_initial
# adopts them under their old names), so no data is copied and nothing is locked.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0005_user_cycle_dates'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='AdvisorAccess'),
                migrations.DeleteModel(name='Invitation'),
                migrations.DeleteModel(name='Recommendation'),
            ],
            database_operations=[],
        ),
    ]
