"""deploy/nginx.conf in front of the production gunicorn, both on free loopback ports: nginx
serves a visitor's page from its cache the second time, never stores nor hands on a page
for a signed-in person (session cookie or remember-me cookie), keeps one copy per encoding
the app compresses in, never compresses a page that carries a CSRF token, and serves the
static files itself. Debian's nginx is installed when missing and we are root (as `make
test` does); without it these tests are skipped, saying so."""

import gzip
import http.cookiejar
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import brotli
import pytest

from bench.loadtest import Client, Tally
from bench.server import Gunicorn, app_env, free_port
from deploy.proxy import Nginx, app_settings, nginx_command, write_config
from tests.conftest import make_test_app
from tests.test_caching import BROWSABLE, ROUTINE, static_urls
from tests.test_processes import database_url, install_with_apt  # noqa: F401  (database_url: a fixture)

PASSWORD = "behind the proxy, still mine"
PERSONAL_PAGES = ["/progress", "/sessions", "/account", "/sessions/new"]


@pytest.fixture(scope="module")
def nginx_binary() -> str:
    binary = nginx_command() or install_with_apt("nginx", "nginx")
    if binary is None:
        pytest.skip("nginx is not installed and could not be installed (that needs root and apt-get): "
                    "deploy/nginx.conf is NOT tested. Install Debian's nginx to test it.")
    return binary


class Proxied:
    """gunicorn (two workers, trusting one proxy) behind nginx with the rendered configuration."""

    def __init__(self, database: str, folder: Path):
        self.gunicorn = Gunicorn(app_env(database, GLOWSTEP_PROXY_HOPS="1"), workers=2,
                                 log_path=folder / "gunicorn.log")
        app = make_test_app(database)
        self.static_root = Path(app_settings(app)["STATIC_ROOT"])
        self.run_dir = folder / "nginx"
        port = free_port()
        config = write_config(self.run_dir, listen=f"127.0.0.1:{port}",
                              upstream=self.gunicorn.url.removeprefix("http://"), settings=app_settings(app))
        self.gunicorn.wait_ready()
        self.nginx = Nginx(config, f"http://127.0.0.1:{port}")
        self.nginx.wait_ready()
        self.url = self.nginx.url

    def stop(self):
        self.nginx.stop()
        self.gunicorn.stop()

    def cached_files(self) -> list[bytes]:
        return [path.read_bytes() for path in (self.run_dir / "cache").rglob("*") if path.is_file()]


@pytest.fixture(scope="module")
def proxied(nginx_binary, database_url, tmp_path_factory):  # noqa: F811  (the imported fixture)
    servers = Proxied(database_url, tmp_path_factory.mktemp("proxy"))
    yield servers
    servers.stop()


class Browser:
    """A cookie jar and the responses' headers, following no redirect."""

    def __init__(self, base: str, cookies: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def member(base: str, remember: bool = False) -> tuple[Browser, str]:
    """A new account, signed in through the real forms (CSRF on): its browser, and the display
    name its pages show (the account page, the log)."""
    name = f"Member {uuid.uuid4().hex[:8]}"
    client = Client(base, Tally())
    account = {"email": f"{name.split()[1]}@example.com", "password": PASSWORD}
    assert client.post_form("/auth/register", account | {"confirm": PASSWORD, "display_name": name}) == 302
    if remember:
        assert client.request("/auth/logout", {"csrf_token": client.csrf("/sessions/new")})[0] == 302
        assert client.post_form("/auth/login", account | {"remember": "y"}) == 302
    return Browser(base, client.cookies), name


def fresh(path: str) -> str:
    """The page under a URL nobody has asked for yet (the app ignores the extra parameter)."""
    return f"{path}{'&' if '?' in path else '?'}probe={uuid.uuid4().hex}"


def test_a_visitors_page_comes_from_the_cache_the_second_time(proxied):
    visitor, other = Browser(proxied.url), Browser(proxied.url)
    page = fresh(f"/routines/{ROUTINE}")
    status, first, body = visitor.get(page)
    assert status == 200 and first["X-Cache-Status"] == "MISS"
    status, second, again = other.get(page)
    assert status == 200 and second["X-Cache-Status"] == "HIT"
    assert again == body
    assert "public" in second["Cache-Control"] and "s-maxage" in second["Cache-Control"]


def test_pages_come_compressed_as_each_browser_asks_kept_once_per_encoding(proxied):
    visitor = Browser(proxied.url)
    page = fresh("/safety")
    _, _, plain = visitor.get(page)
    for asked, encoding, unpack in (("gzip", "gzip", gzip.decompress), ("gzip, deflate, br", "br", brotli.decompress),
                                    ("gzip, deflate, br, zstd", "zstd", None)):
        for cache in ("MISS", "HIT"):  # the first browser asking for this encoding, then the next
            status, headers, packed = Browser(proxied.url).get(page, Accept_Encoding=asked)
            assert (status, headers["X-Cache-Status"], headers.get("Content-Encoding")) == (200, cache, encoding), asked
            if unpack:
                assert unpack(packed) == plain
    status, headers, _ = visitor.get(page, Accept_Encoding="br")
    status, _, body = visitor.get(page, Accept_Encoding="br", If_None_Match=headers["ETag"])
    assert status == 304 and body == b""


def test_a_page_carrying_a_csrf_token_is_not_compressed_by_nginx_either(proxied):
    """BREACH (app/extensions.py): the app leaves such pages plain, and nginx must not
    compress them after it."""
    everything = {"Accept_Encoding": "gzip, deflate, br, zstd"}
    signed_in, _ = member(proxied.url)
    for browser, page in ((Browser(proxied.url), "/auth/login"), (Browser(proxied.url), "/auth/register"),
                          (signed_in, "/sessions/new"), (signed_in, "/account")):
        status, headers, body = browser.get(page, **everything)
        assert status == 200 and b'name="csrf_token"' in body, page
        assert "Content-Encoding" not in headers, page
    status, headers, _ = signed_in.get("/sessions", **everything)  # no form on it: compressed
    assert status == 200 and headers["Content-Encoding"] == "zstd"


def test_a_signed_in_page_is_never_stored_nor_served_to_anyone_else(proxied):
    signed_in, name = member(proxied.url)
    remembered, remembered_name = member(proxied.url, remember=True)
    remembered.cookies.clear(domain="127.0.0.1", path="/", name="session")  # the remember-me cookie alone
    pages = [fresh(page) for page in BROWSABLE + PERSONAL_PAGES]
    for page in pages:
        for browser in (signed_in, remembered):
            status, headers, body = browser.get(page)
            assert status == 200 and "Sign out" in body.decode(), page
            assert headers["X-Cache-Status"] == "BYPASS", page
            assert "private" in headers["Cache-Control"], page
    assert name in signed_in.get("/account")[2].decode() and remembered_name in remembered.get("/account")[2].decode()
    for page in pages:
        for _ in range(2):  # the second time from nginx's cache, where the app allows it
            status, headers, body = Browser(proxied.url).get(page)
            text = body.decode()
            assert name not in text and remembered_name not in text and "Sign out" not in text, page
    assert signed_in.get(pages[0])[1]["X-Cache-Status"] == "BYPASS"  # and not the visitor's copy

    stored = proxied.cached_files()
    assert stored, "visitors' pages should be in nginx's cache"
    for content in stored:
        assert name.encode() not in content and remembered_name.encode() not in content
        assert b"Sign out" not in content


def test_static_files_are_served_by_nginx(proxied):
    visitor = Browser(proxied.url)
    _, _, page = visitor.get(f"/routines/{ROUTINE}/play?step=1")
    urls = static_urls(page.decode())
    assert urls
    for url in urls:
        status, headers, body = visitor.get(url)
        assert status == 200, url
        assert "X-Request-ID" not in headers, f"{url} came from the app, not nginx"
        assert "immutable" in headers["Cache-Control"], url
        assert body == (proxied.static_root / url.split("/", 3)[3]).read_bytes(), url
    css = next(url for url in urls if url.endswith(".css"))
    assert visitor.get(css, Accept_Encoding="gzip")[1]["Content-Encoding"] == "gzip"
    old = re.sub(r"/static/[0-9a-f]+/", "/static/000000000000/", css)
    status, headers, _ = visitor.get(old)
    assert status == 404 and "X-Request-ID" in headers, "an older fingerprint is the app's to answer (404)"
