import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A private copy of a small valid content tree, safe to break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", target)
    return target


@pytest.fixture
def loaded(db, content_dir: Path) -> Path:
    from questions.catalog.sync import content_sync

    report = content_sync(content_dir)
    assert report.ok, report.problems
    return content_dir


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers are slow on purpose; tests check behaviour, not key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters and cached figures must not leak from one test into the next."""
    from django.core.cache import cache

    from questions.web import owner_cache
    from questions.web.page_cache import forget_local

    cache.clear()
    forget_local()
    owner_cache.forget_local()
    yield
    cache.clear()
    forget_local()
    owner_cache.forget_local()
