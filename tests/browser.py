"""Headless Chromium for the HTML page's tests and benchmark: Debian's packages, via selenium.

The browser and its driver are the ones the system installed (``apt-get install chromium
chromium-driver``), named explicitly, so selenium never tries to download either (these
machines have no internet). ``DEEPPHEN_CHROMIUM`` and ``DEEPPHEN_CHROMEDRIVER`` point
elsewhere, e.g. on another distribution.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("DEEPPHEN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DEEPPHEN_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL_HINT = ("to run them: sudo apt-get install chromium chromium-driver "
                "(or set DEEPPHEN_CHROMIUM and DEEPPHEN_CHROMEDRIVER)")
# The skip reason every browser test carries; conftest.py turns it into one summary line.
SKIP_PREFIX = "browser tests skipped"
# Where the screenshot test writes its images (default: a pytest temporary folder); the
# files written are listed at the end of the run.
SCREENSHOT_DIR = os.environ.get("DEEPPHEN_SCREENSHOT_DIR")
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--hide-scrollbars", "--force-device-scale-factor=1",
)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    absent = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if absent:
        return f"{SKIP_PREFIX}: {' and '.join(absent)} not found; {INSTALL_HINT}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return f"{SKIP_PREFIX}: selenium is not installed; run: pip install -e '.[test]'"
    return None


class Browser:
    """One headless Chromium session with a fresh profile, removed on ``quit``."""

    def __init__(self, width: int = 1200, height: int = 900) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="deepphen-chromium-")
        self.opened = 0
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise

    def open(self, path: Path, fragment: str = "", *, javascript: bool = True) -> None:
        """Load a page file (with ``#fragment``); ``javascript=False`` loads it with scripts off."""
        from selenium.webdriver.support.ui import WebDriverWait

        self.cdp("Emulation.setScriptExecutionDisabled", {"value": not javascript})
        self.driver.get("about:blank")
        # A query of its own each time: every open is a new document at a new address, never
        # a reload of the last one. Under load the same address again made filters the
        # next test set vanish: once in a CI run on every CPU (pytest-xdist), in 4 of 8 runs
        # of the page modules beside four busy processes; with its own address, 0 of 8.
        self.opened += 1
        url = f"{path.resolve().as_uri()}?open={self.opened}"
        self.driver.get(url + (f"#{fragment}" if fragment else ""))
        # And act only on this page's document once complete (its script, at the end, run).
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script(
            "return document.readyState === 'complete' && location.href.split('#')[0]")
            == url)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def cdp(self, command: str, params: dict[str, Any]) -> Any:
        return self.driver.execute_cdp_cmd(command, params)

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
