"""The page at / and `speechtag report`, in Debian's headless Chromium driven by Selenium.

Nothing is downloaded: the browser and its driver are the system's, and Chromium is told
not to reach the network, which the machine may not have.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from tests.conftest import running_server
from tests.test_report import GBK_SPEECH, SAMPLE, speechtag
from toolkit.bulk import COLUMNS
from toolkit.labels import LABELS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs Debian's headless browser: apt-get install chromium chromium-driver",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver",
                                reason="needs selenium: pip install -e '.[dev]'")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1400,1600"]
TOKEN = "browser-token-789"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server():
    with running_server(TOKEN) as url:
        yield url


def wait(driver, condition, seconds: float = 30):
    return WebDriverWait(driver, seconds).until(condition)


def shown_units(driver) -> list[dict]:
    return driver.execute_script("""
        return [...document.querySelectorAll('#speeches .unit')].map((node) => ({
            text: node.textContent, classes: [...node.classList], title: node.title}));""")


def summary(driver, article: str = "#speech-1") -> dict:
    rows = driver.find_elements(By.CSS_SELECTOR, f"{article} .summary-table tbody tr")
    return {row.get_attribute("data-label"): (
        int(row.find_element(By.CSS_SELECTOR, ".n-units").text),
        int(row.find_element(By.CSS_SELECTOR, ".n-chars").text)) for row in rows}


def check_view(driver, expected) -> None:
    """The units, legend and summary shown are those of the Python API's ``expected`` units."""
    units = shown_units(driver)
    assert [u["text"] for u in units] == [u.text for u in expected]
    for shown, unit in zip(units, expected, strict=True):
        assert f"lab-{unit.label}" in shown["classes"]
        assert ("low" in shown["classes"]) == (unit.confidence < 0.6)
        assert unit.label in shown["title"]
    legend = driver.find_elements(By.CSS_SELECTOR, "#legend .legend-item")
    assert [item.get_attribute("data-label") for item in legend] == list(LABELS)
    counts = {label: (sum(u.label == label for u in expected),
                      sum(len(u.text) for u in expected if u.label == label)) for label in LABELS}
    assert summary(driver) == counts


def test_page_asks_for_the_token_then_tags_pasted_text(browser, server, default_tagger,
                                                       tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    browser.get(f"{server}/")
    token = wait(browser, lambda d: d.find_element(By.ID, "token").is_displayed()
                 and d.find_element(By.ID, "token"))
    token.send_keys(TOKEN)
    browser.find_element(By.ID, "token-submit").click()
    wait(browser, lambda d: "@" in d.find_element(By.ID, "model-name").text)
    assert not browser.find_element(By.ID, "token-form").is_displayed()
    assert browser.execute_script("return sessionStorage.getItem('speechtag-token')") == TOKEN

    browser.find_element(By.ID, "speech-text").send_keys(text)
    browser.find_element(By.ID, "tag-text").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#speeches .unit"))
    check_view(browser, default_tagger.tag_speech(text, "speech"))
    assert browser.find_elements(By.CSS_SELECTOR, "#speech-1 .section-list li")

    first = browser.find_element(By.CSS_SELECTOR, "#speeches .unit")
    first.click()
    details = browser.find_element(By.ID, "details")
    assert details.is_displayed() and first.text in details.text and "Cues:" in details.text

    screenshot = tmp_path / "page.png"
    assert browser.save_screenshot(str(screenshot))
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_page_uploads_a_gbk_file_and_downloads_jsonl_and_csv(browser, server, default_tagger,
                                                            tmp_path, downloads):
    path = tmp_path / "会议讲话.txt"
    path.write_bytes(GBK_SPEECH.encode("gbk"))
    browser.get(f"{server}/")  # the token is still in this tab's sessionStorage
    wait(browser, lambda d: "@" in d.find_element(By.ID, "model-name").text)
    browser.find_element(By.ID, "speech-file").send_keys(str(path))
    browser.find_element(By.ID, "tag-file").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#speeches .unit"))
    expected = default_tagger.tag_speech(GBK_SPEECH, "会议讲话")
    check_view(browser, expected)

    browser.find_element(By.ID, "download-jsonl").click()
    browser.find_element(By.ID, "download-csv").click()
    jsonl, table = downloads / "speechtag.jsonl", downloads / "speechtag.csv"
    deadline = time.monotonic() + 20
    while not (jsonl.exists() and table.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["text"], r["label"]) for r in rows] == \
        [(path.name, u.text, u.label) for u in expected]
    with open(table, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        assert [(r["text"], r["label"]) for r in reader] == [(u.text, u.label) for u in expected]


def test_a_wrong_token_is_asked_for_again(browser, server):
    browser.get(f"{server}/")
    browser.execute_script("sessionStorage.setItem('speechtag-token', 'wrong')")
    browser.get(f"{server}/")
    prompt = wait(browser, lambda d: d.find_element(By.ID, "token").is_displayed()
                  and d.find_element(By.ID, "token-prompt"))
    assert "not accepted" in prompt.text


def test_report_opens_from_disk(browser, default_tagger, tmp_path):
    out = tmp_path / "report.html"
    result = speechtag("report", str(SAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    browser.get(out.as_uri())
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#speeches .unit"))
    expected = default_tagger.tag_speech(SAMPLE.read_text(encoding="utf-8"), "sample_speech")
    check_view(browser, expected)
    assert not browser.find_element(By.ID, "input").is_displayed()
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 20_000


def test_a_report_of_several_speeches_has_an_index(browser, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gbk.txt").write_bytes(GBK_SPEECH.encode("gbk"))
    out = tmp_path / "report.html"
    result = speechtag("report", str(SAMPLE), str(tmp_path / "in"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    browser.get(out.as_uri())
    links = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#index a"))
    assert [a.text for a in links] == ["sample_speech", "gbk"]
    assert [a.get_attribute("hash") for a in links] == ["#speech-1", "#speech-2"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#speech-2 .unit")) == 5
