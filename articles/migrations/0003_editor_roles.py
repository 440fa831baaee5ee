"""The newsroom's two roles, as groups an administrator assigns to staff.

Editors may publish, schedule and withdraw (the custom publish_article
permission); contributors may create and edit drafts but never release them.
The server enforces the difference in the admin's form and actions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "المحررون"
CONTRIBUTORS = "المساهمون"

CONTRIBUTOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_paragraph"),
    ("articles", "change_paragraph"),
    ("articles", "delete_paragraph"),
    ("articles", "view_paragraph"),
    ("articles", "view_source"),
]
EDITOR_PERMISSIONS = [
    *CONTRIBUTOR_PERMISSIONS,
    ("articles", "publish_article"),
    ("articles", "delete_article"),
    ("articles", "add_source"),
    ("articles", "change_source"),
    ("articles", "view_importrecord"),
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in [(EDITORS, EDITOR_PERMISSIONS), (CONTRIBUTORS, CONTRIBUTOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, CONTRIBUTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_newsroom"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
