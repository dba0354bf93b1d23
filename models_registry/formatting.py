"""Numbers as Vietnamese readers write them: 1.234.567 (and 1.234.567 ₫ for money), whatever the locale.

Django's thousand separator is a global switch that would also print years as "2.025", so amounts are
formatted explicitly where they are shown.
"""


def thousands(value) -> str:
    """1234567 → "1.234.567"; empty for None, the text itself for what is not a number."""
    if value in (None, ""):
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".")


def vnd(value) -> str:
    """1234567 → "1.234.567 ₫"."""
    text = thousands(value)
    return f"{text}\u00a0₫" if text and text[-1].isdigit() else text


def person_name(user) -> str:
    """A person's name as Vietnamese write it, family name first ("Đinh Thị Lan"); the user name otherwise.

    Django's `get_full_name()` puts the given name first ("Lan Đinh Thị"), which reads wrong in Vietnamese.
    """
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def decimal_text(value, empty: str = "") -> str:
    """8.50 → "8,5", 92.67 → "92,67", 80.00 → "80": a decimal as Vietnamese write it, without trailing zeros."""
    if value is None or value == "":
        return empty
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
