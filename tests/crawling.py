"""Following a signed-in person's links through the app, as the crawl tests do."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from urllib.parse import urldefrag, urlsplit

LINK = re.compile(r'href="([^"]+)"')
# Links that change something or only send a file: nothing to render.
SKIP = re.compile(r"(\.csv|/files/|safeguarding-policy|/logout|/static/)")


def crawl(
    client,
    start: str = "/dashboard",
    *,
    limit: int = 120,
    skip: re.Pattern = SKIP,
    on_page: Callable[[str, str], None] | None = None,
) -> dict[str, int]:
    """Follow same-site links breadth first, up to `limit` pages; the status of each page seen.
    `on_page(path, html)` is called for every HTML page that answered 200."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        if on_page is not None:
            on_page(path, response.text)
        for href in LINK.findall(response.text):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or skip.search(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen
