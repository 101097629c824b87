import pytest

from ketnoi.core.text import fold, normalise, normalise_phone


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đào tạo", "dao tao"),
        ("ĐÀO TẠO", "dao tao"),
        ("tổ chức xã hội", "to chuc xa hoi"),
        ("Vận động chính sách", "van dong chinh sach"),
        ("Nguyễn  Thị\tLan", "nguyen thi lan"),
        ("Hội Liên hiệp Phụ nữ", "hoi lien hiep phu nu"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_removes_diacritics_and_maps_d(text, folded):
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_input_alike():
    composed = "Việt"  # NFC: ệ as one code point
    decomposed = "Vie\u0323\u0302t"  # NFD: e + dot below + circumflex
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "viet"


def test_normalise_keeps_diacritics_but_unifies_form_and_spaces():
    assert normalise("  Vie\u0323\u0302t   Nam ") == "Việt Nam"


@pytest.mark.parametrize(
    ("phone", "digits"),
    [("+84 912 345 678", "0912345678"), ("0912.345.678", "0912345678"), ("(028) 3822 1234", "02838221234"), ("", "")],
)
def test_normalise_phone(phone, digits):
    assert normalise_phone(phone) == digits
