"""An alert records an address the receiving mail server refused for good (SMTP 5xx for that
recipient), so its mail waits instead of being tried every hour; and the "editor" group may see
alerts in the admin and pause one (view/change alert)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CODENAMES = ["view_alert", "change_alert"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="editor").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="search", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="editor").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="search", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0024_entries_written_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="refused_address",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="alert",
            name="refusal",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="alert",
            name="refused_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(grant, revoke),
    ]
