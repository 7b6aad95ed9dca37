"""What most Pilot tests start from: services on the fixed clock with only ``ward-check`` in the
library. A module that needs the bundled templates (or another clock) defines its own ``svc``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa_tui.config import Paths
from qa_tui.services import Services
from tests.test_ui_support import fixed_services


@pytest.fixture
def svc(paths: Paths) -> Iterator[Services]:
    services = fixed_services(paths)
    yield services
    services.close()
