# The models that began in crm (crm/migrations/0002_advisor_sharing.py), adopted as they are:
# state only, with the same tables (db_table), indexes and constraints, so no data moves.
# The content types are renamed too, so admin permissions and history follow the models.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ['advisoraccess', 'invitation', 'recommendation']


def content_types_to(app_label, other):
    """Relabel the moved models' content types from `other` to `app_label` (where the target
    does not exist yet: a fresh database has neither, post_migrate creates them afterwards)."""

    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MOVED:
            if not content_types.filter(app_label=app_label, model=model).exists():
                content_types.filter(app_label=other, model=model).update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('crm', '0006_advisor_models_move_to_advisors'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AdvisorAccess',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('share_notes', models.BooleanField(default=False, help_text='Contact notes and letter notes. Everything else on your map is shared.', verbose_name='share my private notes')),
                        ('granted_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('advisor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='student_accesses', to=settings.AUTH_USER_MODEL)),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='advisor_accesses', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name_plural': 'advisor accesses',
                        'db_table': 'crm_advisoraccess',
                        'ordering': ['-granted_at'],
                        'indexes': [models.Index(fields=['advisor', 'revoked_at'], name='advisor_access_live')],
                        'constraints': [models.UniqueConstraint(fields=('student', 'advisor'), name='advisor_access_once'), models.CheckConstraint(condition=models.Q(('student', models.F('advisor')), _negated=True), name='advisor_access_not_self')],
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name="advisor's email")),
                        ('share_notes', models.BooleanField(default=False, verbose_name='share my private notes')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='advisor_invitations', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'crm_invitation',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['student', '-created_at'], name='invitation_student')],
                    },
                ),
                migrations.CreateModel(
                    name='Recommendation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=1000)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('done_at', models.DateTimeField(blank=True, null=True)),
                        ('advisor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendations_given', to=settings.AUTH_USER_MODEL)),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'crm_recommendation',
                        'ordering': [models.OrderBy(models.F('done_at'), descending=True, nulls_first=True), '-created_at', '-pk'],
                        'indexes': [models.Index(fields=['student', 'done_at'], name='recommendation_student')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_to('advisors', 'crm'), content_types_to('crm', 'advisors'), elidable=True
        ),
    ]
