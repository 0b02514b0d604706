import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Login and token views are throttled per client address; start each test afresh."""
    cache.clear()
    yield
    cache.clear()
