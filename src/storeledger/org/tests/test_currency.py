import pytest

from storeledger.org.currency import currency_sign


@pytest.mark.parametrize(
    ("code", "sign"),
    [("CNY", "¥"), ("cny", "¥"), ("USD", "$"), ("HKD", "HK$"), ("EUR", "€"), ("CHF", "CHF ")],
)
def test_currency_sign(code, sign):
    assert currency_sign(code) == sign
