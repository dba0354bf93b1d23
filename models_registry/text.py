"""Search text for Vietnamese: fold diacritics and case so that "dan van kheo" finds "Dân vận khéo"."""

import re
import unicodedata

# Unicode decomposition leaves "đ" alone (it is a letter of its own, not "d" with a mark).
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_SPACES = re.compile(r"\s+")


def fold_for_search(*parts: object) -> str:
    """Lower-case ASCII text of the given parts, joined by single spaces ("Đà Nẵng" → "da nang")."""
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    text = text.translate(_EXTRA_FOLDS)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.lower()).strip()
