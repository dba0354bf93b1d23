from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    from models_registry.roles import create_extra_permissions
    from models_registry.roles import sync_roles as sync

    create_extra_permissions(apps.get_model("contenttypes", "ContentType"), apps.get_model("auth", "Permission"))
    sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("models_registry", "0004_standard_fields"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
