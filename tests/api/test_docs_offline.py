"""Decision 5: the Redoc and Swagger UI pages load every asset from our own server."""

import re
from html.parser import HTMLParser

import pytest

DOC_PAGES = ["/api/redoc/", "/api/docs/"]
# Quoted strings or CSS url(...) in inline code that name a file a page would load.
INLINE_ASSET = re.compile(
    r"""url\(\s*['"]?([^'")\s]+)|['"]([^'"\s]+\.(?:js|css|json|png|svg|ico|woff2?|ttf))['"]"""
)
URL_ATTRIBUTES = {"src", "href", "spec-url"}


class AssetCollector(HTMLParser):
    """Collects the URLs a page loads: attributes, and asset-like strings in inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls.extend(value for name, value in attrs if name in URL_ATTRIBUTES and value)

    def handle_data(self, data):
        for match in INLINE_ASSET.finditer(data):
            self.urls.append(match.group(1) or match.group(2))


def page_asset_urls(html: str) -> list[str]:
    collector = AssetCollector()
    collector.feed(html)
    return collector.urls


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("page", DOC_PAGES)
def test_doc_page_is_html(client, page):
    response = client.get(page)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("page", DOC_PAGES)
def test_doc_page_names_no_other_host(client, page):
    html = client.get(page).content.decode()
    assert "http://" not in html
    assert "https://" not in html
    urls = page_asset_urls(html)
    assert urls
    for url in urls:
        assert not url.startswith("//"), url
        assert "://" not in url, url


@pytest.mark.parametrize("page", DOC_PAGES)
def test_doc_page_assets_are_served_by_us(client, page):
    urls = page_asset_urls(client.get(page).content.decode())
    assert any(url.endswith(".js") for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert body_of(response), url


@pytest.mark.parametrize("page", DOC_PAGES)
def test_doc_page_loads_our_schema(client, page):
    assert "/api/schema.json" in page_asset_urls(client.get(page).content.decode())


def test_redoc_page_blocks_external_images_and_fonts(client):
    # The Redoc bundle itself links a logo on the vendor's CDN; the page's policy stops it.
    html = client.get("/api/redoc/").content.decode()
    assert """content="img-src 'self' data:; font-src 'self' data:\"""" in html
