"""What a person does in the browser, in the words of the tests: sign in, switch language,
check a page with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import Page, expect

from powershare.testing import PASSWORD

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def login(page: Page, user: Any) -> None:
    """Signs ``user`` in through the sign-in form and waits for the home page."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def switch_language(page: Page, label: str, code: str) -> None:
    """Presses the header's language button and waits for the page to come back in it."""
    page.get_by_role("button", name=label).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core on the current page; returns its serious and critical violations."""
    assert page.evaluate("() => typeof window.axe !== 'undefined'"), "axe-core is not loaded"
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    violations = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    return violations + unlabelled_controls(page)


# axe (since 4.7) no longer checks duplicate ids, and it finds a <label for> by id without
# asking whether that id is unique; the browser gives the label to the first element only.
# So ask the browser itself which form controls end up with no accessible label.
UNLABELLED_CONTROLS_JS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), '
    + 'select, textarea')]
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => {
    const sameId = el.id ? document.querySelectorAll('[id="' + CSS.escape(el.id) + '"]').length : 0;
    return {
      html: el.outerHTML,
      target: [el.id ? '#' + el.id : el.name ? '[name=' + el.name + ']' : el.tagName],
      failureSummary: sameId > 1
        ? 'Its id is used by ' + sameId + ' elements; the label goes to the first one only.'
        : 'No <label> points at it and it has no aria-label.',
    };
  })"""


def unlabelled_controls(page: Page) -> list[dict[str, Any]]:
    """Form controls the browser gives no label, in the shape of an axe violation."""
    nodes = page.evaluate(UNLABELLED_CONTROLS_JS)
    if not nodes:
        return []
    return [
        {
            "id": "control-without-label",
            "impact": "critical",
            "help": "Form controls must have a label the browser can find (unique ids)",
            "helpUrl": "https://html.spec.whatwg.org/multipage/forms.html#labeled-control",
            "nodes": nodes,
        }
    ]


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """One readable paragraph per violation: rule, impact, help, and the elements at fault."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node['html'][:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)
