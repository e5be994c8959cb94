"""The app icons as PNG, drawn from static/icons/*.svg by Debian's Chromium: `make icons`."""

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
PNGS = [("icon.svg", 192, "icon-192.png"), ("icon.svg", 512, "icon-512.png"), ("maskable.svg", 512, "maskable-512.png")]

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for svg, size, out in PNGS:
        page = browser.new_page(viewport={"width": size, "height": size})
        source = base64.b64encode((ICONS / svg).read_bytes()).decode()
        page.set_content(f'<style>body{{margin:0}}</style><img src="data:image/svg+xml;base64,{source}" '
                         f'width="{size}" height="{size}" alt="">')
        page.screenshot(path=str(ICONS / out), omit_background=True)
    browser.close()
