"""Search text for Vietnamese: fold diacritics and case so that "dan van kheo" finds "Dân vận khéo"."""

import re
import unicodedata

# Unicode decomposition leaves "đ" alone (it is a letter of its own, not "d" with a mark).
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
# Anything but a letter or a digit separates words: spaces, “quotes”, dashes (– -), slashes, dots, commas.
_NOT_WORD = re.compile(r"[\W_]+")

# Between the fields of a stored search text; folding never produces it, so it never matches a word.
FIELD_END = " |"


def fold_for_search(*parts: object) -> str:
    """The lower-case ASCII words of the given parts, one space between them ("Đà Nẵng – 2025" → "da nang 2025")."""
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    text = text.translate(_EXTRA_FOLDS)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", text.lower()).strip()


def search_document(*fields: object) -> str:
    """What a `search_text` column stores: " heading words | other field | … |".

    Every word follows a space, so that `LIKE '% word%'` finds a word by its start (a pattern the trigram
    index serves); each field ends with " |", so that a search can tell a match in the heading (a title, a
    name) from one elsewhere, and a whole field from part of one (models_registry.search).
    """
    folded = [fold_for_search(field) for field in fields]
    # Empty fields are left out, except the heading: whatever comes first is the heading.
    return "".join(f" {text}{FIELD_END}" for index, text in enumerate(folded) if text or index == 0)
