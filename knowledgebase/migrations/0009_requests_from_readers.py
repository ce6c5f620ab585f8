"""Requests from readers (knowledgebase/enquiries.py), providers' contributor accounts, and
who may see the requests in the admin.

Moderators see, answer (change the status of) and delete every request. Contributors see
and answer the requests of the providers they are a contributor of (Provider.contributors,
set by moderators); the admin filters them to those. Curators see none.
"""

import django.core.validators
from django.contrib.auth.management import create_permissions
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def ensure_permissions(apps):
    # As in 0004: permissions are normally created after all migrations; the groups need
    # this migration's now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    def perms(*actions):
        return Permission.objects.filter(
            content_type__app_label="knowledgebase",
            codename__in=[f"{action}_practiceenquiry" for action in actions],
        )

    for name, actions in (
        ("Moderators", ("view", "change", "delete", "view_all")),
        ("Contributors", ("view", "change")),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms(*actions))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    enquiry_perms = Permission.objects.filter(
        content_type__app_label="knowledgebase", codename__endswith="_practiceenquiry"
    )
    for group in Group.objects.filter(name__in=["Moderators", "Contributors"]):
        group.permissions.remove(*enquiry_perms)


class Migration(migrations.Migration):

    dependencies = [
        ('knowledgebase', '0008_other_cqc_locations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='provider',
            name='contributors',
            field=models.ManyToManyField(blank=True, help_text='Contributor accounts that write for this provider and receive its requests; set by moderators', related_name='providers', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='PracticeEnquiry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, validators=[django.core.validators.RegexValidator('[\\x00-\\x1f\\x7f]', inverse_match=True, message='Write this on one line.')], verbose_name='name')),
                ('role', models.CharField(max_length=200, validators=[django.core.validators.RegexValidator('[\\x00-\\x1f\\x7f]', inverse_match=True, message='Write this on one line.')], verbose_name='role')),
                ('organisation', models.CharField(max_length=200, validators=[django.core.validators.RegexValidator('[\\x00-\\x1f\\x7f]', inverse_match=True, message='Write this on one line.')], verbose_name='organisation')),
                ('cqc_location_id', models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^1-[0-9]{6,11}$', "A CQC location id looks like 1-1234567890: '1-' then 6 to 11 digits.")], verbose_name='CQC location id')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('message', models.TextField(validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('consent', models.BooleanField(default=False, verbose_name='agreed that these details are passed to the provider')),
                ('status', models.CharField(choices=[('new', 'New'), ('answered', 'Answered'), ('closed', 'Closed')], default='new', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='received')),
                ('client_hash', models.CharField(editable=False, max_length=64, verbose_name='client address (keyed hash)')),
                ('case_study', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enquiries', to='knowledgebase.casestudypage')),
                ('offer', models.ForeignKey(blank=True, help_text='Empty when the reader asks a question.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='enquiries', to='knowledgebase.offer', verbose_name='asks for')),
            ],
            options={
                'verbose_name': 'request',
                'verbose_name_plural': 'requests from readers',
                'ordering': ['-created_at'],
                'permissions': [('view_all_practiceenquiry', 'Can see requests for every provider')],
                'indexes': [models.Index(fields=['created_at'], name='enquiry_created_at'), models.Index(fields=['client_hash', 'created_at'], name='enquiry_client_recent')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
