"""Tests for chibo.core.text: Vietnamese search and sort keys (pure Python, no database)."""

import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibo.core.text import (
    MAX_SORT_KEY_LENGTH,
    MAX_TITLE_KEY_LENGTH,
    name_sort_key,
    search_key,
    split_name,
    title_sort_key,
)
from tests.hypothesis_profiles import examples

GOLDEN = Path(__file__).parent / "data" / "vietnamese_names_icu_order.txt"

# Pure functions, fast: more examples than the profile's default (tests/hypothesis_profiles.py).
TEXT = settings(max_examples=examples(300))


def golden_names() -> list[str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


# --- golden list (ICU 72.1, locale vi) ----------------------------------------------------


def test_golden_list_is_big_unique_and_nfc():
    names = golden_names()
    assert len(names) >= 300
    assert len({split_name(name) for name in names}) == len(names)
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 2024])
def test_sorting_shuffled_golden_list_reproduces_icu_order(seed):
    names = golden_names()
    shuffled = names[:]
    random.Random(seed).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == names


def test_golden_adjacent_pairs_are_strictly_ordered():
    names = golden_names()
    wrong = [
        f"ICU puts {a!r} before {b!r} but keys are {name_sort_key(a)!r} >= {name_sort_key(b)!r}"
        for a, b in zip(names, names[1:], strict=False)
        if not name_sort_key(a) < name_sort_key(b)
    ]
    assert not wrong, "\n".join(wrong)


# --- search key ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("Đặng Văn Dương", "dang van duong"),
        ("ĐỖ", "do"),
        ("  Hầu \t A\n  Lềnh  ", "hau a lenh"),
        ("Sùng Mí Páo", "sung mi pao"),
        ("Ðạt", "dat"),  # eth, the look-alike of Đ that some keyboards produce
        (unicodedata.normalize("NFD", "Phạm Thị Ước"), "pham thi uoc"),
        ("", ""),
    ],
)
def test_search_key_examples(text, expected):
    assert search_key(text) == expected


def test_search_key_d_finds_dj():
    assert search_key("d") in search_key("Đào Đức Đạt")
    assert search_key("nguyen van a") in search_key("Ông Nguyễn Văn An")
    assert search_key("Nguyễn văn") in search_key("NGUYEN VAN A")


@TEXT
@given(st.text())
def test_search_key_is_idempotent(text):
    assert search_key(search_key(text)) == search_key(text)


# --- name parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Nguyễn Thị Bảo Ngọc", ("Nguyễn", "Thị Bảo", "Ngọc")),
        ("Trần Hưng", ("Trần", "", "Hưng")),
        ("Páo", ("", "", "Páo")),
        ("  Hầu   A  Lềnh ", ("Hầu", "A", "Lềnh")),
        ("", ("", "", "")),
    ],
)
def test_split_name(name, parts):
    assert split_name(name) == parts


# --- sort key -----------------------------------------------------------------------------


def test_sort_key_is_printable_ascii_and_short():
    for name in [*golden_names(), "", "Ðạt", "H'Hen Niê", "Nguyễn Văn 2", "Łukasz Ø 中文"]:
        key = name_sort_key(name)
        assert key.isascii() and key.isprintable(), (name, key)
        assert len(key) <= 4 * len(name) + 9


def test_sort_key_fits_column_and_truncates_long_names():
    hundred = ("Nguyễn Thị Thanh Hương " * 5)[:100]
    assert len(name_sort_key(hundred)) < MAX_SORT_KEY_LENGTH
    assert len(name_sort_key("Nguyễn " * 100)) == MAX_SORT_KEY_LENGTH


def assert_strictly_increasing(names):
    keys = [name_sort_key(name) for name in names]
    assert keys == sorted(keys), [name for _, name in sorted(zip(keys, names, strict=True))]
    assert len(set(keys)) == len(keys)


def test_tone_order_ngang_huyen_hoi_nga_sac_nang():
    assert_strictly_increasing(["a", "à", "ả", "ã", "á", "ạ"])
    assert_strictly_increasing(["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"])
    assert_strictly_increasing(["Thuy", "Thùy", "Thủy", "Thũy", "Thúy", "Thụy"])


def test_alphabet_order_compares_all_letters_before_tones():
    # ICU's vi order: An, Anh, Ánh, Ăn, Ân, Bình, Dương, Đào, On, Ôn, Ơn.
    assert_strictly_increasing(
        ["An", "Anh", "Ánh", "Ăn", "Ân", "Bình", "Dương", "Đào", "On", "Ôn", "Ơn"]
    )
    assert_strictly_increasing(["Tâm", "Tân", "Tấn"])  # m < n decides before the tone
    assert_strictly_increasing(["Hoà", "Hòa"])  # the tone on the earlier letter weighs more
    assert_strictly_increasing(["Thi", "Thị", "Thy"])  # i and y are different letters
    assert_strictly_increasing(["9", "A", "Đ", "Ư", "Z"])


def test_people_sort_by_given_then_middle_then_family():
    assert_strictly_increasing(
        ["Trần An", "Nguyễn Văn An", "Lê Thị Anh", "Anh Ba", "Nguyễn Thị Bình", "Phạm Thị Bình"]
    )
    assert_strictly_increasing(["An", "Lê An", "Lê Văn An"])  # empty parts sort first


def test_sort_key_ignores_normalization_form_and_extra_spaces():
    name = "Đặng Thị Ngọc Ánh"
    assert name_sort_key(unicodedata.normalize("NFD", name)) == name_sort_key(name)
    assert name_sort_key(f"  {name.replace(' ', '   ')} ") == name_sort_key(name)


# --- property test against a reference comparator written from the rules -----------------

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Each row: a vowel letter with ngang, huyền, hỏi, ngã, sắc, nặng - the tone order.
TONE_ROWS = [
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị",
    "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
]  # fmt: skip
LETTER_TONE = {ch: (row[0], tone) for row in TONE_ROWS for tone, ch in enumerate(row)}


def reference_part_key(part: str) -> tuple[tuple[int, ...], ...]:
    """Letters (digits first), then tones, then case - ICU's levels for one name part."""
    primaries, tones, cases = [], [], []
    for ch in part:
        letter, tone = LETTER_TONE.get(ch.lower(), (ch.lower(), 0))
        if letter == " ":  # inside a middle name; spaces sort before everything
            primaries.append(-100)
        elif letter.isdigit():
            primaries.append(int(letter) - 10)
        else:
            primaries.append(ALPHABET.index(letter))
        tones.append(tone)
        cases.append(int(ch.isupper()))
    return tuple(primaries), tuple(tones), tuple(cases)


def reference_key(name: str):
    family, middle, given_name = split_name(name)
    return tuple(reference_part_key(part) for part in (given_name, middle, family))


ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph"]
ONSETS += ["qu", "r", "s", "t", "th", "tr", "v", "x", "f", "j", "w", "z", "2", "0"]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uy", "ươ", "iê"]
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u", "y"]


@st.composite
def syllables(draw):
    nucleus = draw(st.sampled_from(NUCLEI))
    at = draw(st.integers(0, len(nucleus) - 1))
    row = next(row for row in TONE_ROWS if row[0] == nucleus[at])
    nucleus = nucleus[:at] + draw(st.sampled_from(row)) + nucleus[at + 1 :]
    text = draw(st.sampled_from(ONSETS)) + nucleus + draw(st.sampled_from(CODAS))
    case = draw(st.sampled_from([str.capitalize, str.capitalize, str.lower, str.upper]))
    return case(text)


names = st.lists(syllables(), min_size=1, max_size=5).map(" ".join)


def sign(a, b) -> int:
    return (a > b) - (a < b)


@TEXT
@given(names, names)
def test_sort_key_agrees_with_reference_comparator(a, b):
    assert sign(name_sort_key(a), name_sort_key(b)) == sign(reference_key(a), reference_key(b))


@TEXT
@given(st.lists(syllables(), min_size=1, max_size=3), st.lists(syllables(), min_size=1))
def test_given_name_decides_before_middle_and_family(first, rest):
    # Same family and middle name, given names differ only after the shared prefix.
    shorter = " ".join([*rest, "".join(first)])
    longer = shorter + "a"
    assert name_sort_key(shorter) < name_sort_key(longer)


@TEXT
@given(st.text(max_size=200))
def test_sort_key_of_any_text_is_printable_ascii_within_column(text):
    key = name_sort_key(text)
    assert key.isascii() and key.isprintable()
    assert len(key) <= MAX_SORT_KEY_LENGTH


# --- title key (organization and village names, read as written) -------------------------


@TEXT
@given(st.text(max_size=300))
def test_title_key_is_printable_ascii_and_fits_its_column(text):
    key = title_sort_key(text)
    assert key.isascii() and key.isprintable()
    assert len(key) <= MAX_TITLE_KEY_LENGTH


def test_title_key_never_truncates_a_name_that_fits_the_name_column():
    longest = ("Đảng bộ Trường Trung học phổ thông Chuyên Tuyên Quang 12 " * 5)[:255]
    assert len(title_sort_key(longest)) < MAX_TITLE_KEY_LENGTH


def test_title_key_reads_words_in_order_then_numbers_by_value():
    names = ["Chi bộ 2", "Chi bộ 10", "Chi bộ An", "Chi bộ Bạch Xa", "Chi bộ Bình Xa",
             "Chi bộ Đồng", "Chi bộ Hùng Đức", "Chi bộ Hùng Lợi", "Đảng bộ xã"]
    keys = [title_sort_key(name) for name in names]
    assert keys == sorted(keys)
