"""Vietnamese alphabetical order, the same on PostgreSQL and SQLite.

Names and titles sort by the Vietnamese alphabet — a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v
x y — with the tones as a secondary difference (a word without a tone, then huyền, hỏi, ngã, sắc, nặng:
Ba, Bà, Bả, Bã, Bá, Bạ), lower case before upper case, spaces and punctuation before digits and letters,
and numbers by their value ("Phường 2" before "Phường 10").

On PostgreSQL the collation COLLATION is ICU's Vietnamese with numeric ordering (created by migration 0012);
on SQLite the same name is registered on every connection with `compare`, which follows the same rules
(a test compares the two over every unit name). Ties are broken by code point, so that different strings
never compare equal (SQLite uses the collation for `=` and UNIQUE too).
"""

from __future__ import annotations

import functools
import unicodedata

COLLATION = "vietnamese"
# The locale PostgreSQL's ICU collation is created with: Vietnamese, numbers by their value.
ICU_LOCALE = "vi-u-kn-true"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTERS = {letter: index for index, letter in enumerate(_ALPHABET)}
# Marks that make another letter (a → ă, â; o → ô, ơ; u → ư; e → ê) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
# Spaces and punctuation in ICU's order (the rest of them after these, by code point).
_PUNCTUATION = " _-‐‑‒–—,;:!?.…'‘’\"“”«»()[]{}@*/\\&#%`^+<=>|~$"
_PUNCTUATION_ORDER = {char: index for index, char in enumerate(_PUNCTUATION)}

_SPACE_OR_PUNCTUATION, _SYMBOL, _NUMBER, _LETTER, _OTHER_LETTER = range(5)


def _groups(text: str):
    """(base character, combining marks) pairs of the decomposed text."""
    base, marks = None, []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and base is not None:
            marks.append(char)
            continue
        if base is not None:
            yield base, marks
        base, marks = char, []
    if base is not None:
        yield base, marks


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """The key that orders strings the Vietnamese way: primary (letters, numbers), then tones, then case."""
    primary, secondary, tertiary = [], [], []
    digits = ""
    for base, marks in [*_groups(text), ("", [])]:
        if base.isdigit() and base.isascii():
            digits += base
            continue
        if digits:
            primary.append((_NUMBER, int(digits)))
            digits = ""
        if not base:
            break
        lower = base.lower()
        letter = unicodedata.normalize("NFC", lower + "".join(m for m in marks if m in _LETTER_MARKS))
        if letter in _LETTERS:
            primary.append((_LETTER, _LETTERS[letter]))
            secondary.append(max((_TONES.get(m, 0) for m in marks), default=0))
            tertiary.append(int(base != lower))
        elif base.isalpha():
            primary.append((_OTHER_LETTER, ord(letter[0])))
            tertiary.append(int(base != lower))
        elif base.isspace() or unicodedata.category(base).startswith("P"):
            primary.append((_SPACE_OR_PUNCTUATION, _PUNCTUATION_ORDER.get(base, len(_PUNCTUATION) + ord(base))))
        else:
            primary.append((_SYMBOL, _PUNCTUATION_ORDER.get(base, ord(base))))
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def compare(left: str, right: str) -> int:
    """A SQLite collation: negative, zero or positive as `left` sorts before, with or after `right`."""
    if left == right:
        return 0
    return -1 if sort_key(left) < sort_key(right) else 1


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: teach every SQLite connection the Vietnamese order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
