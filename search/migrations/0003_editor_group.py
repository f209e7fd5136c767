"""The "editor" group: exactly the permissions curation in the admin needs.

Editors fix article metadata, hide and re-clean articles (view/change article), keep the
gazetteer and topic rules (view/add/change minister and topic; merging two ministers is a
change of the survivor) and look after saved searches (view/change/delete). They cannot delete
articles (hiding is reversible, deleting is not), upload new ones (add article) or touch users
and groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "editor"
EDITOR_PERMISSIONS = {
    "article": ["view", "change"],
    "minister": ["view", "add", "change"],
    "topic": ["view", "add", "change"],
    "savedsearch": ["view", "change", "delete"],
}


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); on a fresh
    # database they do not exist yet, so create them now.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="search", codename__in=codenames
    )
    if permissions.count() != len(codenames):
        raise RuntimeError(f"missing permissions for the editor group: expected {codenames}")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("search", "0002_former_minister_slug"),
    ]

    operations = [migrations.RunPython(create_editor_group, delete_editor_group)]
