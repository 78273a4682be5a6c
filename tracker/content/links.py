"""Provides one-off links: an item's own `url:` made into a resource that no catalogue lists.

Mentors assign single pages (a Q&A answer, a Wikipedia article, a blog post, a PDF) and single
videos that will never be read again. Such an item carries `url:` (and `title:`) instead of
`resource:`; `link_resource` makes it a `Resource` whose id comes from the address, so the same
link in two meetings is one thing done once, as a catalogue entry would be. A YouTube link is a
video (positions and all); anything else is a page.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.content.ranges import ValueProblem, parse_timestamp
from tracker.domain.curriculum import Location, Resource, ResourceKind, Text

__all__ = ["canonical_url", "is_link", "link_resource", "link_start"]

_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_SLUG = re.compile(r"[^a-z0-9]+")


def is_link(text: str) -> bool:
    """Whether `text` is a web address (`https://...`, `www....`), not a catalogue id."""
    value = text.strip().casefold()
    return value.startswith(("http://", "https://", "www."))


def _youtube_id(url: str) -> str | None:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = parts.netloc.casefold()
    if host not in _YOUTUBE_HOSTS:
        return None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif parts.path.startswith(("/shorts/", "/live/", "/embed/")):
        candidate = parts.path.split("/")[2] if parts.path.count("/") >= 2 else ""
    else:
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    return candidate if _VIDEO_ID.match(candidate) else None


def canonical_url(url: str) -> str:
    """The address as stored: a YouTube video's watch URL without its position, else as written.

    Args:
        url: The address as the mentor pasted it.

    Returns:
        `https://www.youtube.com/watch?v=ID` for any YouTube form; other addresses as written
        (with `https://` before a bare `www.`).
    """
    value = url.strip()
    video = _youtube_id(value)
    if video:
        return f"https://www.youtube.com/watch?v={video}"
    return value if "://" in value else f"https://{value}"


def link_start(url: str) -> int | None:
    """The position a video link starts at (`&t=2266s`, `?t=37m46s`), in seconds; None if none.

    Args:
        url: The address as pasted.

    Returns:
        Seconds, or None when the link has no readable `t=`.
    """
    if _youtube_id(url) is None:
        return None
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    value = (parse_qs(parts.query).get("t") or parse_qs(parts.fragment).get("t") or [""])[0]
    if not value:
        return None
    try:
        return parse_timestamp(value)
    except ValueProblem:
        return None


def link_resource(url: str, title: Text | None, location: Location) -> Resource:
    """The resource an item's own `url:` stands for.

    Args:
        url: The address as written.
        title: The item's `title:`, if given.
        location: Where the `url:` was written.

    Returns:
        A video for a YouTube link, else a page; its id (`link-` and the address in short, with
        a hash so that two addresses never share one) is the same wherever the link is written.
    """
    address = canonical_url(url)
    video = _youtube_id(address)
    digest = hashlib.sha1(address.encode("utf-8")).hexdigest()[:6]
    if video:
        slug = f"youtube-{video.casefold()}"
    else:
        parts = urlsplit(address if "://" in address else f"https://{address}")
        host = parts.netloc.casefold().removeprefix("www.")
        slug = _SLUG.sub("-", f"{host} {unquote(parts.path)}".casefold()).strip("-")[:40]
    resource_id = f"link-{slug.strip('-')}-{digest}"
    kind = ResourceKind.VIDEO if video else ResourceKind.PAGE
    return Resource(
        id=resource_id,
        kind=kind,
        title=title or Text(en=_title_from(address, video)),
        location=location,
        url=address,
        is_link=True,
        is_titled=title is not None,
    )


def _title_from(address: str, video: str | None) -> str:
    """A title when the mentor gave none: the page's last path piece and its site."""
    if video:
        return f"YouTube video {video}"
    parts = urlsplit(address if "://" in address else f"https://{address}")
    host = parts.netloc.casefold().removeprefix("www.")
    pieces = [p for p in unquote(parts.path).split("/") if p]
    last = re.sub(r"\.(html?|php|aspx?)$", "", pieces[-1]) if pieces else ""
    words = re.sub(r"[-_+]+", " ", last).strip()
    return f"{words} ({host})" if words else host
