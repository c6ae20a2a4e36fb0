from __future__ import annotations

import datetime as dt

import pytest

from assistant.pii import PiiMasker
from assistant.slots import SlotExtractor

# A Wednesday, so "this week" and "last week" are distinguishable.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture(scope="session")
def extractor() -> SlotExtractor:
    return SlotExtractor()


@pytest.fixture(scope="session")
def masker() -> PiiMasker:
    return PiiMasker()
