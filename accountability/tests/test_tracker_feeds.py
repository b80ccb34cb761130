"""The tracker's RSS and Atom feeds as a feed reader sees them (read with feedparser): well
formed, every link absolute on the deployment's address (``SITE_URL``), never the Sites
framework's ``example.com`` nor the Host a request came in by; and the tracker page announces
both feeds for readers and browsers that discover them."""

from __future__ import annotations

from html.parser import HTMLParser

import feedparser
import pytest
from django.test import Client

from accountability.tests.factories import adopt

SITE = "https://powershare.county.example"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE + "/"
    settings.ALLOWED_HOSTS = ["*"]


class Alternates(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            self.feeds[a["type"]] = a["href"]


def _discover(client: Client) -> dict[str, str]:
    parser = Alternates()
    parser.feed(client.get("/board/tracker/").content.decode())
    return parser.feeds


@pytest.mark.parametrize("kind", ["application/rss+xml", "application/atom+xml"])
def test_a_feed_reader_finds_the_feed_and_its_links_lead_to_the_deployment(cast, bs, site, kind):
    rec = adopt(cast, bs, title="Cooling centers open late")
    client = Client(HTTP_HOST="10.0.0.7:8000")
    feeds = _discover(client)
    assert kind in feeds, "the tracker page announces no such feed"

    response = client.get(feeds[kind])
    assert response["Content-Type"].startswith(kind)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.link == f"{SITE}/board/tracker/"
    [entry] = parsed.entries
    assert entry.title.startswith(f"{rec.number}: Cooling centers open late")
    assert entry.link == SITE + rec.get_absolute_url()
    text = response.content.decode()
    assert "example.com" not in text and "10.0.0.7" not in text


def test_the_atom_feed_names_itself_on_the_deployment(cast, bs, site):
    adopt(cast, bs)
    parsed = feedparser.parse(Client().get("/board/tracker/atom/").content)
    assert parsed.bozo == 0
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"{SITE}/board/tracker/atom/"]
