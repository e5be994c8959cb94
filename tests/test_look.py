"""The visual identity's promises that need no browser: the font is the package's own file
under its licence, every colour has a dark value, the theme script is external and loads before
the stylesheet, and each page shows the disclaimer exactly once."""

import re
from pathlib import Path

import pytest
from markupsafe import escape

from app.content import safety_copy
from tests.conftest import log_session

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "app" / "static"
FONT = "fraunces-latin-600-normal.woff2"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\(")


def test_the_served_font_is_the_fontsource_file_under_its_licence():
    served = STATIC / "fonts" / FONT
    package = ROOT / "node_modules" / "@fontsource" / "fraunces"
    assert served.read_bytes() == (package / "files" / FONT).read_bytes()
    assert (STATIC / "fonts" / "fraunces-OFL.txt").read_text() == (package / "LICENSE").read_text()
    assert "SIL Open Font License" in (STATIC / "fonts" / "fraunces-OFL.txt").read_text()
    css = (STATIC / "css" / "site.css").read_text()
    assert f'url("../fonts/{FONT}")' in css and "font-display: swap" in css


def colour_declarations(css: str) -> list[str]:
    """Each declaration of site.css that writes a colour literal, print and shadows aside
    (print is light by design; shadows are turned off in the dark theme)."""
    screen = css.split("@media print")[0]
    declarations = re.findall(r"([-\w]+\s*:[^;{}]+)", re.sub(r"/\*.*?\*/", "", screen, flags=re.S))
    return [d.strip() for d in declarations if COLOUR.search(d) and not d.strip().startswith("--shadow")]


def test_every_colour_literal_has_a_dark_value():
    found = colour_declarations((STATIC / "css" / "site.css").read_text())
    assert found, "the tokens themselves are colour literals: the parse found none"
    assert [d for d in found if "light-dark(" not in d] == []


def test_a_colour_without_a_dark_value_is_caught():
    assert colour_declarations(".x { color: #123456; }") == ["color: #123456"]


def test_the_theme_is_applied_by_an_external_script_before_the_stylesheet(client):
    page = client.get("/").get_data(as_text=True)
    head = page.split("</head>")[0]
    theme = re.search(r'<script src="(/static/\w+/js/theme\.js)"></script>', head)
    assert theme and head.index(theme.group(0)) < head.index("css/site.css")
    assert "<script>" not in page  # nothing inline: CSP allows script from 'self' only
    script = client.get(theme.group(1))
    script.close()  # a static file is sent from an open file
    assert script.status_code == 200


VISITOR_PAGES = ["/", "/goals", "/goals/circulation", "/routines", "/routines?length=quick",
                 "/routines/quick-morning-depuff", "/programmes", "/programmes/first-week", "/guide", "/safety",
                 "/routines/quick-morning-depuff/play", "/routines/quick-morning-depuff/play?step=2",
                 "/routines/quick-morning-depuff/play/done?spent=200", "/auth/login", "/auth/register", "/no-such-page"]
MEMBER_PAGES = ["/", "/routines", "/progress", "/sessions", "/sessions/new", "/account", "/account/reminders",
                "/account/summary", "/account/delete", "/programmes/first-week"]


def disclaimers(app, page: str) -> int:
    """How many times the page shows the disclaimer (safety.yaml's reminder)."""
    with app.app_context():
        return page.count(str(escape(safety_copy()["reminder"])))


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_a_visitor_sees_the_disclaimer_once(app, client, path):
    assert disclaimers(app, client.get(path).get_data(as_text=True)) == 1, path


def test_a_member_sees_the_disclaimer_once_on_every_page(app, client, auth):
    auth.register()
    calm = log_session(client)
    sore = log_session(client, discomfort="yes", discomfort_kind="pain")
    for path in [*MEMBER_PAGES, f"/sessions/{calm}", f"/sessions/{sore}", f"/sessions/{calm}/edit"]:
        assert disclaimers(app, client.get(path).get_data(as_text=True)) == 1, path
