"""core.bulk: the ticked ids of a POST are read strictly (a crafted list refuses the whole batch
with a message), and a bulk result is reported with its counts and each refused row's reason."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from ketnoi.core.bulk import BULK_MAX, REASONS_SHOWN, BulkResult, bulk_messages, read_ids


def test_ids_are_read_once_each_in_order():
    assert read_ids(["3", " 1", "3", 2]) == [3, 1, 2]


@pytest.mark.parametrize("bad", [["abc"], ["³"], ["-1"], ["0"], ["1.5"], ["9" * 30], [""], [None], [True]])
def test_anything_but_an_id_refuses_the_batch(bad):
    with pytest.raises(ValidationError, match="không hợp lệ"):
        read_ids(["1", *bad], field_name="value")


def test_an_empty_or_too_long_list_is_refused():
    with pytest.raises(ValidationError, match="ít nhất một"):
        read_ids([])
    with pytest.raises(ValidationError, match="tối đa"):
        read_ids([str(n) for n in range(1, BULK_MAX + 2)])
    with pytest.raises(ValidationError, match="tối đa"):
        read_ids(["x"] * (BULK_MAX * 4 + 1))  # refused before reading each entry


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_the_messages_say_the_counts_and_each_reason():
    result = BulkResult(changed=[1, 2])
    for n in range(REASONS_SHOWN + 3):
        result.refuse(f"Dòng {n}", "đã xử lý")
    request = _request()
    bulk_messages(request, result, done="Đã làm %(n)s ở %(where)s.", refused="%(n)s dòng bỏ qua:", where="đây")
    texts = [str(m) for m in get_messages(request)]
    assert texts[0] == "Đã làm 2 ở đây."
    assert texts[1] == f"{REASONS_SHOWN + 3} dòng bỏ qua:"
    assert texts[2] == "Dòng 0: đã xử lý"
    assert len(texts) == 2 + REASONS_SHOWN + 1 and texts[-1] == "… và 3 dòng khác."


def test_nothing_changed_is_said_as_information():
    request = _request()
    bulk_messages(request, BulkResult(), done="Đã làm %(n)s.", refused="%(n)s bỏ qua")
    (message,) = get_messages(request)
    assert message.tags == "info" and str(message) == "Đã làm 0."
