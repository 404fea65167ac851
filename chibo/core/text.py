"""Vietnamese text keys for searching and sorting people by name, in pure Python.

Two stored, indexed columns are derived from a person's full name:

* ``search_key`` - the name without diacritics, lowercased, so that ``LIKE '%term%'`` with
  ``search_key(term)`` finds "Nguyễn Văn A" from "nguyen van a" and "Đ" from "d".
* ``title_sort_key`` - the same kind of key for a name read as written, word after word: the
  names of organizations and villages ("Chi bộ thôn Bạch Xa" before "Chi bộ thôn Bình Xa"),
  with numbers compared by value ("Tổ dân phố 2" before "Tổ dân phố 10").
* ``name_sort_key`` - an ASCII string whose *bytewise* order (SQLite ``BINARY``, PostgreSQL
  ``COLLATE "C"``) equals ICU's Vietnamese collation applied to (given name, middle name,
  family name).  Bytewise order is the only one that SQLite and PostgreSQL agree on without
  ICU, and PyICU cannot be installed from wheels, so we build the key ourselves.

The sort key mimics an ICU sort key (see UTS #10 and CLDR's ``vi`` tailoring): each name part
contributes all its primary weights (letters of the Vietnamese alphabet), then all its
secondary weights (tone marks), then all its tertiary weights (case).  Comparing the full
primary level before any tone is how ICU compares, e.g. "Anh" < "Ánh" < "Ăn".
"""

import unicodedata

__all__ = [
    "MAX_SORT_KEY_LENGTH",
    "MAX_TITLE_KEY_LENGTH",
    "name_sort_key",
    "search_key",
    "split_name",
    "title_sort_key",
]

MAX_SORT_KEY_LENGTH = 400
"""Length of the database column that stores :func:`name_sort_key` (``varchar(400)``)."""

MAX_TITLE_KEY_LENGTH = 800
"""Length of the database columns that store :func:`title_sort_key` (``varchar(800)``)."""

# --- search key ---------------------------------------------------------------------------

# Letters that Unicode does not decompose into "d" + mark.  U+00D0/U+00F0 (Icelandic eth) looks
# exactly like "Đ" and is what some keyboards and old data files produce instead of it.
_SEARCH_FOLD = str.maketrans({"đ": "d", "ð": "d"})


def _strip_marks(text: str) -> str:
    """Drop combining marks; NFKD first so precomposed letters and look-alikes split off."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """Return ``text`` folded for diacritics-insensitive substring search.

    Diacritics are stripped, đ/Đ become d, letters are lowercased and runs of whitespace become
    single spaces: ``search_key("  Nguyễn   Văn A ") == "nguyen van a"``.  The stored column and
    the query term must both go through this function; the term is then used as
    ``LIKE '%' || term || '%'`` (escape ``%``/``_`` in the term as for any LIKE pattern).
    The result is idempotent: ``search_key(search_key(x)) == search_key(x)``.
    """
    # Lowercase before and after decomposing: both steps can expose the other's input
    # (e.g. "İ".lower() adds a combining dot; NFKD("㎁") yields an uppercase "A").
    folded = _strip_marks(text.lower()).lower().translate(_SEARCH_FOLD)
    return " ".join(_strip_marks(folded).split())


# --- name parts ---------------------------------------------------------------------------


def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name into ``(family, middle, given)``.

    Vietnamese names are written family name first and given name last ("Nguyễn Văn An":
    family "Nguyễn", middle "Văn", given "An"); everything in between is the middle name,
    possibly several words or empty.  A one-word name is taken as the given name only.
    Whitespace is normalized, so the parts never have leading, trailing or double spaces.
    """
    words = unicodedata.normalize("NFC", full_name).split()
    if not words:
        return ("", "", "")
    if len(words) == 1:
        return ("", "", words[0])
    return (words[0], " ".join(words[1:-1]), words[-1])


# --- sort key -----------------------------------------------------------------------------
#
# Bytes of the key (all printable ASCII, compared bytewise):
#   " "  between name parts - lower than every weight, so a prefix sorts first ("An" < "Anh")
#   "!"  end of a level (primary -> secondary -> tertiary) inside a name part
#   '"'  + 2 hex digits: primary of common punctuation, in ICU's order (_PUNCTUATION)
#   "#"  + 6 hex digits (code point): primary of any other symbol or punctuation
#   "0".."9"  primaries of digits, which ICU sorts before letters
#   "A".."Z", "a".."g"  primaries of the 33 letters in Vietnamese alphabet order
#   "~"  + 6 hex digits: primary of a letter from another script (after Latin, as in ICU)
# Secondary weights ("0" no mark < "1" huyền < ... < "5" nặng < "6" other mark) and tertiary
# weights ("0" lowercase or uncased < "1" uppercase) use one byte per character.

# Punctuation in the order ICU's root collation gives it (non-ignorable), space first.  Names
# carry hyphens and apostrophes (Ê Đê and Jrai names such as "H'Hen Niê"); a middle name
# carries spaces.
_PUNCTUATION = (
    " _-\u2013\u2014,;:!?.\u2026\u00b7'\u2018\u2019\"\u201c\u201d\u00ab\u00bb"
    "()[]{}@*/\\&#%`\u00b4^+<=>|~$"
)

_PART_END = " "
_LEVEL_END = "!"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = dict(zip(_ALPHABET, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg", strict=True))
_PRIMARY.update({digit: digit for digit in "0123456789"})

# Combining marks that make a letter of its own in Vietnamese (a + breve = ă, ...).
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

# Tone marks in CLDR's Vietnamese order: huyền, hỏi, ngã, sắc, nặng (ngang = no mark = "0").
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_OTHER_MARK = "6"
_NO_MARK = "0"

# ICU weighs đ as a letter of its own (see _ALPHABET), but eth (ð), ł and ø as d, l, o plus a
# secondary difference, although Unicode does not decompose them.
_SPECIAL_BASES = {
    "ð": ("d", _OTHER_MARK),
    "ł": ("l", _OTHER_MARK),
    "ø": ("o", _OTHER_MARK),
}


def _clusters(text: str) -> list[tuple[str, list[str]]]:
    """Split text into (base character, combining marks) pairs in NFD."""
    clusters: list[tuple[str, list[str]]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and clusters:
            clusters[-1][1].append(ch)
        else:
            clusters.append((ch, []))
    return clusters


def _weights(base: str, marks: list[str]) -> tuple[str, str, str]:
    """Return the (primary, secondary, tertiary) weights of one character with its marks."""
    lower = base.lower()
    tertiary = "1" if base != lower else "0"
    letter, secondary = _SPECIAL_BASES.get(lower, (lower, None))
    rest = []
    blocking = 0  # highest combining class seen: ICU only joins a letter with unblocked marks
    for mark in marks:
        ccc = unicodedata.combining(mark)
        if (letter, mark) in _LETTER_MARKS and blocking < ccc:
            letter = _LETTER_MARKS[letter, mark]
        elif mark in _TONES and secondary is None:
            secondary = _TONES[mark]
        else:
            rest.append(mark)
        blocking = max(blocking, ccc)
    if rest:
        secondary = _OTHER_MARK
    primary = _PRIMARY.get(letter) or _unknown_primary(base)
    return primary, secondary or _NO_MARK, tertiary


def _unknown_primary(ch: str) -> str:
    """Order characters outside the Vietnamese alphabet roughly as ICU does: punctuation and
    symbols before digits, letters of other scripts after Latin, by code point within each."""
    index = _PUNCTUATION.find(ch)
    if index >= 0:
        return f'"{index:02X}'
    lead = "~" if unicodedata.category(ch).startswith("L") else "#"
    return f"{lead}{ord(ch):06X}"


def _part_key(part: str) -> str:
    """Return the ICU-like key of one name part: primaries, secondaries, tertiaries."""
    weights = [_weights(base, marks) for base, marks in _clusters(part)]
    levels = ("".join(level) for level in zip(*weights, strict=True)) if weights else ("",) * 3
    return _LEVEL_END.join(levels)


def name_sort_key(full_name: str) -> str:
    """Return an ASCII key that sorts people bytewise like ICU's Vietnamese collation.

    People are ordered by given name, then middle name, then family name, each compared as ICU
    (locale ``vi``) does: by letters first (a < ă < â < b < ... < d < đ < ... < ư < ... < z,
    digits before letters), then by tone (ngang < huyền < hỏi < ngã < sắc < nặng), then by case.
    Store it in an indexed column and ``ORDER BY`` it in SQL; compare it with ``COLLATE "C"``
    on PostgreSQL because a linguistic collation would reorder the punctuation it uses.  The key
    is at most :data:`MAX_SORT_KEY_LENGTH` characters; about 3 per character of the name, so
    names up to 100 characters are never truncated.  The order is exactly ICU's for Vietnamese
    letters, digits and common punctuation; other scripts and foreign diacritics are close.
    """
    family, middle, given = split_name(full_name)
    key = _PART_END.join(_part_key(part) for part in (given, middle, family))
    return key[:MAX_SORT_KEY_LENGTH]


# The title key is the three levels of the whole name, each ended by " " (lower than every
# weight, so that a shorter name sorts first: "An" < "An Phú"). A space between words weighs
# "!", the lowest primary (ICU's first non-ignorable one), in one byte: a 255-character name
# keeps its whole key. A run of digits is weighed as one number (ICU's numeric ordering,
# ``vi-u-kn``): a length byte, then the digits without leading zeros. Lengths 1..16 are the
# bytes "1".."@", which stay above the punctuation ('"', "#") and below the letters ("A"...),
# as digits do.
_TITLE_LEVEL_END = " "
_TITLE_SPACE = ("!", _NO_MARK, "0")
_DIGITS = frozenset("0123456789")


def _number_primary(digits: str) -> str:
    digits = digits.lstrip("0") or "0"
    return chr(ord("0") + min(len(digits), 16)) + digits


def title_sort_key(title: str) -> str:
    """Return an ASCII key that sorts names as written (organizations, villages) bytewise like
    ICU's Vietnamese collation with numeric ordering.

    The whole name is one string, compared as ICU (locale ``vi``, ``kn``) compares it: first
    by the letters of every word in order (a < ă < â < b < ... < d < đ < ... and space before
    any letter, so "Bạch Xa" < "Bình Xa" < "Bình Xá" and "Hùng Đức" < "Hùng Lợi"), numbers
    by value ("Tổ dân phố 2" < "Tổ dân phố 10"), then by tone, then by case. Whitespace is
    normalized. Store it in a :class:`~chibo.core.fields.BinaryCharField` and ``ORDER BY`` it;
    at most :data:`MAX_TITLE_KEY_LENGTH` characters (3 per letter, digit or space, so a name of
    255 such characters is never truncated).
    """
    clusters = _clusters(" ".join(title.split()))
    weights: list[tuple[str, str, str]] = []
    i = 0
    while i < len(clusters):
        base, marks = clusters[i]
        if base in _DIGITS and not marks:
            j = i
            while j < len(clusters) and clusters[j][0] in _DIGITS and not clusters[j][1]:
                j += 1
            run = j - i
            weights.append((_number_primary("".join(c for c, _ in clusters[i:j])),
                            _NO_MARK * run, "0" * run))
            i = j
            continue
        weights.append(_TITLE_SPACE if base == " " and not marks else _weights(base, marks))
        i += 1
    levels = ("".join(level) for level in zip(*weights, strict=True)) if weights else ("",) * 3
    return _TITLE_LEVEL_END.join(levels)[:MAX_TITLE_KEY_LENGTH]
