"""Screenshots of the working day at 1366×768 (issue 14's acceptance): the agent's home, the
supervisor's approvals inbox (when that page exists), the work queue and a ticket page, and
the manager's staffing plan, scorecard and roster adherence (issue 22 changed how they load),
saved as PNG files under ``docs/screenshots/``.

    python -m tests.browser.screenshots [--data-dir DIR] [--out docs/screenshots] [--port 8765]

It builds the demo centre at its small scale in ``--data-dir`` (a fresh temporary folder by
default; an existing demo there is reused), serves it with ``yuqi serve`` on ``--port``, signs
in as each demo role through the login page in headless Chromium (``$YUQI_CHROMIUM``, default
``/usr/bin/chromium``) and saves the pages in Chinese. PNGs are stored as 256-colour palette
images (Pillow) so each stays well under 300 KB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS

VIEWPORT = {"width": 1366, "height": 768}
#: Where the supervisor's approvals inbox may live (issue 14, built on another branch): the
#: first that answers 200 is shown.
INBOX_PATHS = ("/approvals/", "/inbox/", "/commitments/approvals/")
MAX_BYTES = 300_000
#: The manager's pages whose loading issue 22 changed (the staffing plan's days open on
#: demand; the scorecard and the adherence page read the worker's stored adherence).
MANAGER_PAGES = (
    ("manager-staffing-plan", "/operations/staffing/"),
    ("manager-scorecard", "/operations/scorecard/"),
    ("manager-adherence", "/workforce/adherence/"),
)


def _yuqi(*args: str, data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "yuqi.cli", *args, "--data-dir", str(data_dir)]


def build_demo(data_dir: Path) -> None:
    from yuqi.demo.record import is_demo

    if is_demo(data_dir):
        print(f"using the demo in {data_dir}")
        return
    print(f"building the small demo in {data_dir} …")
    subprocess.run(
        _yuqi("demo", "--no-serve", "--scale", "small", "--seed", "7", data_dir=data_dir),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"yuqi serve stopped (exit {process.returncode})")
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=5)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise SystemExit(f"yuqi serve did not answer on {url} within {timeout:.0f} s")


def _shrink(path: Path) -> int:
    """Store ``path`` as a palette PNG (UI screenshots have few colours); its new size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    return path.stat().st_size


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def take(base: str, logins: dict[str, tuple[str, str]], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(30_000)

        def shot(name: str, path: str) -> None:
            response = page.goto(f"{base}{path}")
            if response is None or response.status != 200:
                print(f"  {name}: {path} answered {response.status if response else '—'}, skipped")
                return
            page.wait_for_load_state("networkidle")
            file = out / f"{name}.png"
            page.screenshot(path=str(file))
            size = _shrink(file)
            saved.append(file)
            print(f"  {file} ({size // 1024} KB)")

        _sign_in(page, base, *logins["agent"])
        shot("agent-home", "/")

        _sign_in(page, base, *logins["supervisor"])
        for path in INBOX_PATHS:
            if page.request.get(f"{base}{path}").status == 200:
                shot("supervisor-inbox", path)
                break
        else:
            print(f"  supervisor-inbox: none of {', '.join(INBOX_PATHS)} exists yet, skipped")
        shot("work-queue", "/complaints/")
        first = page.locator("table.complaint-queue tbody tr a").first
        ticket = first.get_attribute("href") if first.count() else None
        if ticket:
            shot("ticket", ticket)
        else:
            print("  ticket: the queue is empty, skipped")

        _sign_in(page, base, *logins["manager"])
        for name, path in MANAGER_PAGES:
            shot(name, path)
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="yuqi-screenshots-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    build_demo(data_dir)

    from yuqi.demo.record import read_demo_logins

    logins = {login.role: (login.username, login.password) for login in read_demo_logins(data_dir)}
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "YUQI_PUBLIC_URL": base, "YUQI_LANGUAGE": "zh-hans"}
    server = subprocess.Popen(
        _yuqi("serve", "--port", str(args.port), "--no-worker", data_dir=data_dir),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(base, server)
        saved = take(base, logins, args.out)
    finally:
        server.terminate()
        server.wait(timeout=30)
    too_big = [
        f"{p} ({p.stat().st_size // 1024} KB)" for p in saved if p.stat().st_size > MAX_BYTES
    ]
    if too_big:
        print("larger than 300 KB:", ", ".join(too_big))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
