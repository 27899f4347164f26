import pytest

from coop.core import clock


@pytest.fixture
def frozen():
    """The clock stopped at now (whole seconds); the test moves it with clock.freeze."""
    start = clock.now().replace(microsecond=0)
    clock.freeze(start)
    yield start
    clock.freeze(None)
