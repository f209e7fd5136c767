"""Editors rename, merge and delete labels (and delete notes) in the admin: the "editor" group
gets view/change/delete on labels and view/delete on notes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_label", "change_label", "delete_label", "view_note", "delete_note"]


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
        ("search", "0021_triage_label_search"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
