"""Compression (Flask-Compress): pages, styles and scripts travel compressed when the browser
says it can read them, each encoding under its own strong ETag, and 304s keep working."""

import gzip

import brotli
import pytest

from tests.conftest import PASSWORD, fill, make_test_app, page_token, read_form
from tests.test_caching import ROUTINE, static_urls

PAGE = f"/routines/{ROUTINE}/play?step=1"


def test_a_page_is_sent_compressed_and_unpacks_to_the_same_page(client):
    plain = client.get(PAGE)
    packed = client.get(PAGE, headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"] and "Cookie" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 3


def test_each_encoding_has_its_own_strong_etag(client):
    """A strong ETag names exact bytes, so the gzip and the plain page cannot share one."""
    plain = client.get(PAGE).headers["ETag"]
    packed = client.get(PAGE, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    assert not plain.startswith("W/") and not packed.startswith("W/")
    assert packed != plain


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_an_unchanged_compressed_page_answers_304(client, encoding):
    first = client.get(PAGE, headers={"Accept-Encoding": encoding})
    assert first.headers["Content-Encoding"] == encoding
    again = client.get(PAGE, headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_styles_and_scripts_are_sent_compressed(client):
    page = client.get(PAGE).get_data(as_text=True)
    for url in static_urls(page):
        if url.endswith((".css", ".js")):
            with client.get(url) as plain, client.get(url, headers={"Accept-Encoding": "br"}) as packed:
                assert packed.headers["Content-Encoding"] == "br", url
                assert brotli.decompress(packed.get_data()) == plain.get_data(), url


def test_a_static_file_answers_304_compressed_and_never_a_compressed_slice(client):
    page = client.get(PAGE).get_data(as_text=True)
    url = next(url for url in static_urls(page) if url.endswith("site.css"))
    with client.get(url, headers={"Accept-Encoding": "br"}) as first:
        etag = first.headers["ETag"]
    with client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag}) as again:
        assert again.status_code == 304
    with client.get(url) as plain, client.get(url, headers={"Accept-Encoding": "br", "Range": "bytes=0-99"}) as ranged:
        assert ranged.status_code == 200
        assert "Content-Range" not in ranged.headers
        assert brotli.decompress(ranged.get_data()) == plain.get_data()


def test_a_page_carrying_a_csrf_token_is_never_compressed(db_path):
    """BREACH: a compressed page that holds a secret beside text the requester chose leaks
    the secret through its length. Forms carry the session's token; the menu's sign-out form
    does not (its script fetches one), so a signed-in page without a form travels compressed."""
    client = make_test_app(db_path, WTF_CSRF_ENABLED=True).test_client()
    everything = {"Accept-Encoding": "gzip, br, zstd"}
    form = client.get("/sessions/new?routine=quick-morning-depuff", headers=everything)
    assert 'name="csrf_token"' in form.get_data(as_text=True)
    assert "Content-Encoding" not in form.headers
    _, fields = read_form(client.get("/auth/register").get_data(as_text=True))
    client.post("/auth/register", data=fill(fields, email="ana@example.com", password=PASSWORD, confirm=PASSWORD))
    token = page_token(client.get("/sessions/new").get_data(as_text=True))
    for page in ("/sessions/new", "/account", f"/routines/{ROUTINE}/play/done?spent=100"):
        response = client.get(page, headers=everything)
        assert response.status_code == 200 and "Content-Encoding" not in response.headers, page
    for page in ("/", "/routines", "/sessions", PAGE):
        response = client.get(page, headers=everything)
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "zstd", page
        plain = client.get(page).get_data(as_text=True)
        assert "Sign out" in plain and token.split(".")[0] not in plain, page
    visitor = make_test_app(db_path, WTF_CSRF_ENABLED=True).test_client().get("/routines", headers=everything)
    assert visitor.headers["Content-Encoding"] in ("gzip", "br", "zstd")

