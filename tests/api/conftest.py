"""Fixtures of the API's cross-cutting tests."""

import pytest
from django.core.cache import cache

from api.throttle_gate import known_blocks


@pytest.fixture
def rates(settings):
    """Set some throttle rates (the others stay out of the way) on an empty cache, with no
    block known to this process's throttle gate."""
    cache.clear()
    known_blocks.clear()

    def set_rates(**rates: str) -> None:
        settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, **rates}

    yield set_rates
    cache.clear()
    known_blocks.clear()
