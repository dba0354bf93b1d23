"""What `make run` prints: one Vietnamese line per step, and the seeding summary in the home page's words and
figures, so that an operator reads the same numbers under the same names in both places."""

import re
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from models_registry.demo import seed_demo


def run(command, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, no_color=True)
    return out.getvalue()


def test_loading_units_again_says_in_one_vietnamese_line_that_nothing_changed(units):
    lines = run("load_units", "--province", "51").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Danh mục đơn vị hành chính đã đầy đủ")
    assert "không có gì thay đổi" in lines[0]


def test_seeding_summary_uses_the_home_page_words_and_figures(client, units):
    output = run("seed_demo", "--initiatives", "40", "--seed", "3")
    assert output.splitlines()[0].startswith("Dữ liệu mẫu cho Tỉnh Quảng Ngãi: ")
    assert "40 mô hình" in output and "bản nháp" in output

    home = client.get(reverse("portal:home")).content.decode()
    figures = dict(re.findall(r'<span class="num[^"]*">([^<]+)</span><span class="label">([^<]+)</span>', home))
    assert output.splitlines()[1].strip().startswith("Hội nghị đánh giá: ")  # what the evaluations app added
    summary = next(line for line in output.splitlines() if line.strip().startswith("Trang chủ hiển thị:"))
    for label in ("mô hình đã đăng ký", "mô hình được công nhận", "mô hình được công nhận đang duy trì"):
        number = next(number for number, name in figures.items() if name == label)
        assert f"{number} {label}" in summary
    money = next(number for number, name in figures.items() if name == "giá trị huy động")
    assert f"giá trị huy động {money}" in summary


def test_seeding_again_with_if_empty_says_it_kept_the_data_and_gives_the_figures(units):
    seed_demo(province_code="51", initiatives=20, seed=4)
    lines = run("seed_demo", "--if-empty").splitlines()
    assert lines[0] == "Dữ liệu mẫu: Tỉnh Quảng Ngãi đã có mô hình, giữ nguyên."
    assert "mô hình đã đăng ký" in lines[1]


def test_demo_accounts_are_listed_in_vietnamese(units):
    first = run("create_demo_accounts")
    assert first.startswith("Tài khoản dùng thử (tài khoản vừa tạo có mật khẩu DanVan@2026):")
    assert first.count("vừa tạo") == 7  # the heading, the registry's four accounts and the council's two
    assert "quản trị hệ thống" in first and "Thành viên hội đồng đánh giá" in first
    assert run("create_demo_accounts").count("đã có, giữ nguyên mật khẩu") == 6
