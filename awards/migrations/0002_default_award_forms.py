"""The award forms in use (editable in the admin): levels, authorities, whom they go to, the minimum rating."""

import datetime

from django.db import migrations

# (name, level: 0 central, 1 province, 2 district, 3 commune, issuing authority, awarded to, minimum rating,
#  valid until)
FORMS = [
    ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", 1, "Chủ tịch Ủy ban nhân dân tỉnh", "both", "Tiêu biểu", None),
    ("Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy", 1, "Ban Tuyên giáo và Dân vận Tỉnh ủy", "both",
     "Hiệu quả", None),
    ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", 3, "Chủ tịch Ủy ban nhân dân xã, phường, đặc khu", "both",
     "Hiệu quả", None),
    ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện", 2, "Chủ tịch Ủy ban nhân dân huyện, thị xã, thành phố",
     "both", "Hiệu quả", datetime.date(2025, 6, 30)),
    ("Bằng khen của Ban Tuyên giáo và Dân vận Trung ương", 0, "Ban Tuyên giáo và Dân vận Trung ương",
     "collectives", "Tiêu biểu", None),
]


def create_forms(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    Rating = apps.get_model("evaluations", "Rating")
    if AwardForm.objects.exists():
        return
    ratings = {rating.name: rating for rating in Rating.objects.all()}
    AwardForm.objects.bulk_create([
        AwardForm(name=name, level=level, issuing_authority=authority, recipients=recipients,
                  min_rating=ratings.get(minimum), valid_until=until, order=order)
        for order, (name, level, authority, recipients, minimum, until) in enumerate(FORMS, start=1)
    ])


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial"), ("evaluations", "0002_default_criteria_and_ratings")]

    operations = [migrations.RunPython(create_forms, migrations.RunPython.noop)]
