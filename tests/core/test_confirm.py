import pytest

from honours.core.confirm import ConfirmationNeeded, ensure_confirmed


def test_unconfirmed_step_is_refused_with_its_consequence(app):
    with app.test_request_context(), pytest.raises(ConfirmationNeeded) as raised:
        ensure_confirmed(False, "Mở phiên họp")
    assert raised.value.consequence == "Mở phiên họp"
    assert not raised.value.needs_reason


def test_confirmed_step_passes_without_reason_when_on_time(app):
    with app.test_request_context():
        assert ensure_confirmed(True, "x", override_reason="ignored") == ""


def test_too_early_needs_a_reason_even_when_confirmed(app):
    with app.test_request_context():
        with pytest.raises(ConfirmationNeeded) as raised:
            ensure_confirmed(True, "x", warnings=["Chưa hết hạn chấm"], override_reason="   ")
        assert raised.value.needs_reason and raised.value.reason_error
        with pytest.raises(ConfirmationNeeded):
            ensure_confirmed(True, "x", warnings=["w"], override_reason="a" * 1001)
        assert ensure_confirmed(True, "x", warnings=["w"], override_reason=" Họp đột xuất ") == "Họp đột xuất"
