"""robots.txt and sitemap.xml: search engines may read the public pages (home, honoured lists, honouree pages,
round documents) and are asked to keep out of everything behind a login."""
from dataclasses import dataclass
from datetime import datetime
from html import escape

from honours.core.clock import PROVINCE_TZ

from . import services

# First path segments of public pages; every other segment of the URL map is a signed-in area (or a form post).
PUBLIC_SEGMENTS = {"", "vinh-danh", "tai-lieu", "static", "robots.txt", "sitemap.xml"}


def disallowed_prefixes(app) -> list[str]:
    segments = {rule.rule.split("/")[1] for rule in app.url_map.iter_rules()}
    return sorted(f"/{segment}" for segment in segments - PUBLIC_SEGMENTS if not segment.startswith("<"))


def robots_txt(app) -> str:
    base_url = app.config["PUBLIC_BASE_URL"].rstrip("/")
    lines = ["User-agent: *", "Allow: /$", "Allow: /vinh-danh", "Allow: /tai-lieu/", "Allow: /static/"]
    lines += [f"Disallow: {prefix}" for prefix in disallowed_prefixes(app)]
    lines += ["", f"Sitemap: {base_url}/sitemap.xml", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Entry:
    path: str
    last_modified: datetime | None


def sitemap_entries() -> list[Entry]:
    """The home page, the list of each published year, each honouree page (one query for all honourees)."""
    honourees = services.published_honourees()
    years: dict[int, datetime] = {}
    for honouree in honourees:
        years[honouree.year] = max(years.get(honouree.year, honouree.updated_at), honouree.updated_at)
    entries = [Entry("/", None), Entry("/vinh-danh", max(years.values(), default=None))]
    entries += [Entry(f"/vinh-danh/{year}", moment) for year, moment in sorted(years.items(), reverse=True)]
    entries += [Entry(h.path, h.updated_at) for h in honourees]
    return entries


def _w3c(moment: datetime) -> str:
    return moment.replace(tzinfo=PROVINCE_TZ, microsecond=0).isoformat()


def sitemap_xml(entries: list[Entry], base_url: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for entry in entries:
        lastmod = f"<lastmod>{_w3c(entry.last_modified)}</lastmod>" if entry.last_modified else ""
        lines.append(f"  <url><loc>{escape(base_url + entry.path)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
