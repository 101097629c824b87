import pytest

from ketnoi.core import registry


def test_metrics_registered_by_apps_are_listed():
    keys = {m.key for m in registry.all_metrics()}
    assert "programmes.agreements_signed" in keys


def test_registering_a_different_function_under_a_taken_key_is_refused():
    def first(**kwargs):
        return 1

    def second(**kwargs):
        return 2

    registry.register_metric("test.once", label="x", unit="y", compute=first)
    registry.register_metric("test.once", label="x", unit="y", compute=first)  # same function: fine
    with pytest.raises(ValueError, match="registered twice"):
        registry.register_metric("test.once", label="x", unit="y", compute=second)
    assert registry.get_metric("test.once").value(programme=None, start=None, end=None) == 1


def test_directory_registers_its_personal_data_handler():
    assert "directory" in {h.name for h in registry.personal_data_handlers()}


def test_a_metric_with_params_receives_them_and_one_without_does_not():
    seen = {}

    def narrow(*, programme, start, end, disaggregate_by=None, params):
        seen.update(params)
        return len(params)

    def plain(*, programme, start, end, disaggregate_by=None):
        return 7

    registry.register_metric("test.narrow", label="x", unit="y", compute=narrow, params=("form",))
    registry.register_metric("test.plain", label="x", unit="y", compute=plain)
    assert registry.get_metric("test.narrow").value(programme=None, start=None, end=None, params={"form": "f"}) == 1
    assert seen == {"form": "f"}
    assert registry.get_metric("test.narrow").value(programme=None, start=None, end=None) == 0
    assert registry.get_metric("test.plain").value(programme=None, start=None, end=None, params={"form": "f"}) == 7
