import pytest

from storeledger.inventory.models import ReasonCode
from storeledger.inventory.reasons import STANDARD_REASONS, ensure_standard_reasons

pytestmark = pytest.mark.django_db


def test_the_migrations_seed_every_standard_reason():
    seeded = set(ReasonCode.objects.values_list("kind", "code", "name"))
    assert set(STANDARD_REASONS) <= seeded


def test_missing_standard_reasons_come_back_and_edited_ones_stay():
    ReasonCode.objects.filter(code="OPENING").delete()
    ReasonCode.objects.filter(code="EXPIRED").update(name="临期报损", active=False)

    ensure_standard_reasons()

    assert ReasonCode.objects.get(kind="stock_in", code="OPENING").name == "期初入库"
    expired = ReasonCode.objects.get(kind="scrap", code="EXPIRED")
    assert (expired.name, expired.active) == ("临期报损", False)
    assert ReasonCode.objects.count() == len(STANDARD_REASONS)
