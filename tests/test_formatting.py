import pytest

from models_registry.formatting import thousands, vnd


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0 ₫"), (1234567, "1.234.567 ₫"), (125_000_000, "125.000.000 ₫"), (None, ""), ("", ""), (-5000, "-5.000 ₫")],
)
def test_money_is_written_the_vietnamese_way(value, text):
    assert vnd(value).replace("\u00a0", " ") == text


def test_thousands_leave_non_numbers_alone():
    assert thousands(2025) == "2.025"
    assert thousands("n/a") == "n/a"
