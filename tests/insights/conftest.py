import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read page text and messages in English; the catalog is tested elsewhere."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
