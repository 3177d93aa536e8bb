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
from tests.test_overview import corpus
from tests.test_report import GBK_SPEECH, SAMPLE, embedded, speechtag
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
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors
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


def test_a_report_of_several_speeches_opens_with_a_table_of_them(browser, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gbk.txt").write_bytes(GBK_SPEECH.encode("gbk"))
    out = tmp_path / "report.html"
    result = speechtag("report", str(SAMPLE), str(tmp_path / "in"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    browser.get(out.as_uri())
    links = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#overview-table a"))
    assert [a.text for a in links] == ["sample_speech", "gbk"]
    assert [a.get_attribute("hash") for a in links] == ["#speech-1", "#speech-2"]
    assert not browser.find_element(By.ID, "index").is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#speech-2 .unit")) == 5


def overview_rows(driver) -> list[list[str]]:
    return driver.execute_script("""
        return [...document.querySelectorAll('#overview-table tbody tr')].map((tr) =>
            [...tr.cells].map((td) => td.textContent));""")


def test_the_corpus_page_sorts_speeches_and_searches_units(browser, tmp_path):
    files, meta = corpus(tmp_path)
    out = tmp_path / "corpus.html"
    result = speechtag("report", *map(str, files), "--meta", str(meta), "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    data = embedded(html)
    browser.get_log("browser")  # drop what the earlier pages logged (the server's 401s)
    browser.get(out.as_uri())
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#overview-table tbody tr"))

    # One row per speech, in input order; the chart has a bar per speech.
    table = data["overview"]["table"]
    assert [row[1] for row in overview_rows(browser)] == [s["title"] for s in data["speeches"]]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".profile-chart li .stack")) == len(files)
    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#overview-table th")]
    assert headings[:4] == ["#", "Speech", "year", "region"] and headings[-1] == "Confidence"

    # Sorting by units, then by units the other way, then by year (unknown last).
    units = browser.find_element(By.XPATH, "//th/button[.='Units']")
    units.click()
    by_units = sorted(table, key=lambda row: row["units"])
    assert [row[1] for row in overview_rows(browser)] == [row["group"] for row in by_units]
    assert units.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"
    units.click()
    assert [row[1] for row in overview_rows(browser)] == \
        [row["group"] for row in reversed(by_units)]
    year = browser.find_element(By.XPATH, "//th/button[.='year']")
    year.click()
    assert [row[2] for row in overview_rows(browser)] == ["2019", "2021", "2024", "–"]
    year.click()
    assert [row[2] for row in overview_rows(browser)] == ["2024", "2021", "2019", "–"]
    year.click()

    # A keyword and one label: the units listed are those of the embedded tagged rows.
    keyword, label = "工作", "task"
    expected = [(s, u) for s, speech in enumerate(data["speeches"])
                for u, unit in enumerate(speech["units"])
                if unit["label"] == label and keyword in unit["text"]]
    assert 0 < len(expected) < sum(row["units_task"] for row in table)
    browser.find_element(By.ID, "search-text").send_keys(keyword)
    for box in browser.find_elements(By.CSS_SELECTOR, ".search-label input"):
        if box.get_attribute("value") != label:
            box.click()
    count = browser.find_element(By.ID, "search-count")
    assert count.get_attribute("data-count") == str(len(expected))
    items = browser.find_elements(By.CSS_SELECTOR, "#search-results li")
    assert [(int(li.get_attribute("data-speech")), int(li.get_attribute("data-index")))
            for li in items] == expected
    first = data["speeches"][expected[0][0]]["units"][expected[0][1]]
    assert keyword in items[0].find_element(By.CSS_SELECTOR, "mark.hit").text
    assert data["speeches"][expected[0][0]]["title"] in items[0].text

    # A result opens its unit in the speech; a row of the table jumps to its speech.
    items[0].find_element(By.CSS_SELECTOR, ".result-unit").click()
    details = browser.find_element(By.ID, "details")
    assert details.is_displayed() and first["text"] in details.text
    cell = browser.find_elements(By.CSS_SELECTOR, "#overview-table tbody td")[0]
    # Back up the page: the sticky toolbar would cover the table where the unit left it.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    assert browser.execute_script("return location.hash") == "#speech-3"  # sorted by year

    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []
    screenshot = tmp_path / "corpus.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 20_000
