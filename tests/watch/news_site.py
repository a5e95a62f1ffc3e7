"""A small news site written for the tests: article pages, feeds and sitemaps."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

# Short enough that the fault tests do not sleep long; long enough for loopback.
FAST_NETWORK = {
    "DEFCOOP_HTTP_TIMEOUT": "0.5",
    "DEFCOOP_HTTP_RETRIES": "1",
    "DEFCOOP_RETRY_BACKOFF": "0.05",
    "DEFCOOP_HOST_DELAY": "0",
    "DEFCOOP_EVERY": "30m",
    "DEFCOOP_REFETCH_EVERY": "1d",
}

ARTICLES = {
    "/news/joint-drill": (
        "Joint drill in the north",
        "2024-04-02",
        "Latvian and Lithuanian engineers held a joint bridging exercise near Daugavpils "
        "on Tuesday, the Latvian armed forces said. The exercise, named Iron Ford-2024, "
        "will run until April 6 and brings together two engineer companies.",
    ),
    "/news/staff-talks": (
        "Staff talks in Vilnius",
        None,  # the page states no date: the feed's date stands in
        "The chiefs of defence of Poland and Lithuania met in Vilnius yesterday to plan "
        "air defence training for the coming year, the Lithuanian ministry said. They "
        "agreed to hold a joint command post exercise in the autumn.",
    ),
    "/news/radar-handover": (
        "Radars handed over",
        "2024-04-05",
        "Norway handed over two coastal radars to Estonia at a ceremony in Paldiski on "
        "Friday, the Estonian defence ministry said. The radars will watch the approaches "
        "to the Gulf of Finland.",
    ),
}


def article_page(title: str, published: str | None, text: str) -> str:
    """An article page with navigation and a footer around the story."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paragraphs = "".join(f"<p>{escape(p)}.</p>" for p in text.split(". ") if p)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>{meta}"
        f"</head><body><nav>Home | Defence | World</nav><article><h1>{escape(title)}</h1>"
        f"{paragraphs}</article><footer>Example Border Gazette</footer></body></html>"
    )


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (url, title, ISO date) items."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(url)}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(day).replace(tzinfo=UTC))}</pubDate>"
        "</item>"
        for url, title, day in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Example Border Gazette</title><link>http://example.test/</link>{entries}"
        "</channel></rss>"
    )


def atom(items: list[tuple[str, str, str]]) -> str:
    """An Atom feed of (url, title, ISO date) items."""
    entries = "".join(
        f'<entry><title>{escape(title)}</title><link href="{escape(url)}"/>'
        f"<id>{escape(url)}</id><updated>{day}T08:00:00Z</updated></entry>"
        for url, title, day in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Gazette</title><id>urn:gazette</id><updated>2024-04-06T00:00:00Z</updated>"
        f"{entries}</feed>"
    )


def news_sitemap(items: list[tuple[str, str]]) -> str:
    """A news sitemap of (url, ISO date) pages."""
    urls = "".join(
        f"<url><loc>{escape(url)}</loc><news:news><news:publication_date>{day}"
        "</news:publication_date><news:title>t</news:title></news:news></url>"
        for url, day in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    )


def sitemap_index(children: list[str]) -> str:
    """A sitemap index naming child sitemaps."""
    listed = "".join(f"<sitemap><loc>{escape(c)}</loc></sitemap>" for c in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{listed}</sitemapindex>'
    )
