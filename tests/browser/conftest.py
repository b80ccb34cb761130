"""Browser fixtures: one headless Chromium for the session, a fresh context per test.

Debian's Chromium drives the tests (Playwright's own browser download is not used), and
axe-core comes from npm like every other front-end package.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    WebError,
    sync_playwright,
)

from tests.browser.helpers import AXE_JS

# Playwright's sync API keeps an event loop running in the test thread; Django would
# otherwise refuse every ORM call made from a test (fixtures, factories, assertions).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Every test signs people in; the default hasher would spend seconds on the cast alone.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Any]:
    """Opens browser contexts (separate cookie jars: one per person) against the live server.

    Whatever the Content-Security-Policy blocks, and any script error, fails the test: the
    pages must work under the policy production sends.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def on_error(error: WebError) -> None:
        problems.append(f"{error.page.url if error.page else '?'}: script error: {error.error}")

    def open_context(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="en-US", **options)
        context.set_default_timeout(10_000)
        # An init script runs outside the page's CSP, so axe-core is there for the checks
        # without weakening the policy under test.
        context.add_init_script(path=AXE_JS)
        context.on("console", on_console)
        context.on("weberror", on_error)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert not problems, "The pages broke in the browser:\n" + "\n".join(problems)


@pytest.fixture
def page(new_context: Any) -> Page:
    return new_context().new_page()
