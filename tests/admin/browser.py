"""Headless Chromium for the admin's browser tests: log in, and save documentation screenshots.

Set ADMIN_SCREENSHOT_DIR=docs/img to refresh the documentation screenshots.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import REPO


def chromium() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1440,1000",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    return driver


def login(driver: webdriver.Chrome, live_server_url: str, username: str) -> None:
    """Log in on the admin's form (the factories' password)."""
    driver.get(f"{live_server_url}/admin/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys("pass-word-123")
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # The click returns before the next page arrives; on a loaded machine the login page is still shown.
    WebDriverWait(driver, 30).until(lambda d: "/admin/login/" not in d.current_url)


def screenshot(driver: webdriver.Chrome, name: str, tmp_path: Path, height: int) -> None:
    target = Path(os.environ.get("ADMIN_SCREENSHOT_DIR") or tmp_path)
    if not target.is_absolute():
        target = REPO / target
    driver.set_window_size(1440, height)
    driver.save_screenshot(str(target / name))
