"""Browser tests: Debian's Chromium, driven by Playwright, against the app on a live server.

The session `app` is served by Werkzeug on 127.0.0.1 and a free port, in a daemon thread.
CSRF protection is on here, so the real forms are exercised. Where Chromium is missing every
test in this folder is skipped (and fails with FUND_REQUIRE_ALL=1), before a launch is tried.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder carries the `browser` marker (`-m "not browser"` skips them)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium() -> None:
    """Skip (or fail in CI) before the plugin tries to launch a browser that is not there."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} not found (apt-get install chromium): browser tests skipped")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, _chromium) -> dict:
    """The plugin's launch options (--headed, --slowmo ...) plus Debian's Chromium, offline."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def _live_server_url(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def base_url(_live_server_url: str) -> str:
    """Relative URLs in page.goto() lead to the live server (never to a --base-url elsewhere)."""
    return _live_server_url


@pytest.fixture
def live_server(_live_server_url: str, app, monkeypatch) -> str:
    """The live server's base URL, with CSRF protection on for this test."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return _live_server_url


@pytest.fixture
def context(context: BrowserContext, live_server: str) -> BrowserContext:
    """Every page waits at most ~10 s for an element or a navigation."""
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context
