"""The default criteria set (out of 100 points) and rating scale: data, editable in the admin."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("Tính sáng tạo, cách làm hay, phù hợp thực tiễn địa phương",
     "Mô hình có cách làm mới, phù hợp với đặc điểm của địa bàn và đối tượng.", 20),
    ("Sự tham gia của Nhân dân và các lực lượng",
     "Số người dân, hộ gia đình, tổ chức tham gia; sự phối hợp của cấp ủy, chính quyền, MTTQ và các đoàn thể.",
     20),
    ("Hiệu quả kinh tế – xã hội, giá trị huy động được",
     "Kết quả đạt được so với mục tiêu; tiền, ngày công, đất đai và tài sản huy động được.", 30),
    ("Tính bền vững, duy trì qua các năm",
     "Mô hình được duy trì, có nguồn lực và người phụ trách ổn định.", 15),
    ("Khả năng nhân rộng",
     "Có thể áp dụng ở địa phương, đơn vị khác; đã được nhân rộng.", 15),
]

RATINGS = [
    ("Tiêu biểu", 90, True, True),
    ("Hiệu quả", 75, True, False),
    ("Đạt", 50, False, False),
    ("Không đạt", 0, False, False),
]


def create_defaults(apps, schema_editor):
    CriteriaSet = apps.get_model("evaluations", "CriteriaSet")
    Criterion = apps.get_model("evaluations", "Criterion")
    Rating = apps.get_model("evaluations", "Rating")
    if not CriteriaSet.objects.exists():
        criteria_set = CriteriaSet.objects.create(
            name="Bộ tiêu chí đánh giá mô hình “Dân vận khéo” (thang 100 điểm)",
            description="Bộ tiêu chí mặc định; có thể sửa trước khi hội nghị bắt đầu chấm điểm.",
        )
        Criterion.objects.bulk_create([
            Criterion(criteria_set=criteria_set, name=name, guidance=guidance, max_points=Decimal(points),
                      order=order)
            for order, (name, guidance, points) in enumerate(CRITERIA, start=1)
        ])
    if not Rating.objects.exists():
        Rating.objects.bulk_create([
            Rating(name=name, min_percent=Decimal(threshold), counts_as_effective=effective,
                   counts_as_highly_effective=highly)
            for name, threshold, effective, highly in RATINGS
        ])


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
