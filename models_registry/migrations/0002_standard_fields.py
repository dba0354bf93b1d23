"""The four standard fields of the movement and the common local sub-themes (editable in the admin)."""

from django.db import migrations

STANDARD_FIELDS = [
    ("kinh-te", "Kinh tế", 1),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội", 2),
    ("quoc-phong-an-ninh", "Quốc phòng – an ninh", 3),
    ("xay-dung-he-thong-chinh-tri", "Xây dựng hệ thống chính trị", 4),
]
SUB_THEMES = [
    ("bao-ve-moi-truong", "Bảo vệ môi trường", "van-hoa-xa-hoi", 10),
    ("nong-thon-moi", "Xây dựng nông thôn mới", "kinh-te", 11),
    ("giam-ngheo", "Giảm nghèo bền vững", "kinh-te", 12),
    ("dong-bao-co-dao", "Vùng đồng bào có đạo", "xay-dung-he-thong-chinh-tri", 13),
    ("dong-bao-dan-toc-thieu-so", "Vùng đồng bào dân tộc thiểu số", "xay-dung-he-thong-chinh-tri", 14),
    ("an-ninh-trat-tu", "An ninh, trật tự ở cơ sở", "quoc-phong-an-ninh", 15),
    ("chuyen-doi-so", "Chuyển đổi số", "kinh-te", 16),
]


def create_fields(apps, schema_editor):
    ActivityField = apps.get_model("models_registry", "ActivityField")
    parents = {}
    for code, name, order in STANDARD_FIELDS:
        parents[code], _ = ActivityField.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for code, name, parent, order in SUB_THEMES:
        ActivityField.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "parent": parents[parent]}
        )


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0001_initial")]

    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
