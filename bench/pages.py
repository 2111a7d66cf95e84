#!/usr/bin/env python3
"""The URLs bench/run measures, picked from the running server's own data.

Usage: bench/pages.py BASE_URL

Prints one line per URL: kind (html, api, csv, ical, atom), a tab, the
path. The HTML pages are every public page type (each filtered page once
more with a filter); the API's are every GET operation of
/api/v1/openapi.json that needs no session, their path parameters filled
from the API's own lists, with a `format=csv` variant where the operation
takes one. Nothing is hard-coded but the agreement (`malmoandan`, the
demonstration's, which holds the city's data at the larger scales), the
agreement whose working group meets in the demonstration (`sjovik`) and
the filter names, so the list holds at every scale.
"""

import json
import sys
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
API = "/api/v1"
AGREEMENT = "malmoandan"
# The demonstration's working group meets in Sjövik.
MEETINGS = "sjovik"


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=120) as r:
        return json.load(r)


def first(items, key="slug"):
    return items[0][key] if items else None


def values():
    """Path and query values found in the data, by parameter name."""
    a = f"{API}/agreements/{AGREEMENT}"
    v = {"agreement": AGREEMENT}
    v["challenge"] = first(get(f"{a}/challenges"))
    plans = get(f"{a}/plans")
    v["plan"] = plans[-1]["slug"]
    activities = get(f"{a}/plans/{v['plan']}/activities")
    v["activity"] = first(activities)
    versions = get(f"{a}/versions")
    numbers = sorted(x["number"] for x in versions)
    v["from"], v["to"] = numbers[0], numbers[-1]
    v["version"] = numbers[-1]
    register = get(f"{a}/register")
    v["record"] = first(register, "id")
    bodies = [r["body"]["slug"] for r in register]
    v["register_body"] = bodies[0] if bodies else None
    v["register_year"] = register[0]["starts_on"][:4] if register else None
    reports = get(f"{a}/reports")
    published = [
        (y["year"], r["body"]["slug"], r["published_version"])
        for y in reports
        for r in y["rows"]
        if r.get("published_version")
    ]
    if not published:
        raise SystemExit("bench/pages.py: no published committee report to measure")
    v["year"], v["body"], v["report_version"] = sorted(published)[-1]
    organisations = get(f"{API}/organisations")["items"]
    v["organisation"] = first(organisations)
    districts = get(f"{API}/districts")
    v["district"] = first(districts)
    past = get(f"{API}/agreements/{MEETINGS}/meetings?when=past")
    if not past:
        raise SystemExit("bench/pages.py: no past meeting to measure")
    v["meeting"] = past[0]["id"]
    return v


def html_pages(v):
    a = f"/agreements/{AGREEMENT}"
    pages = [
        "/",
        "/agreements",
        "/city-bodies",
        "/organisations",
        f"/organisations?district={v['district']}&page=2",
        f"/organisations/{v['organisation']}",
        "/open-data",
        "/accessibility",
        "/privacy",
        a,
        f"{a}/text",
        f"{a}/text?lang=en",
        f"{a}/principles",
        f"{a}/challenges",
        f"{a}/challenges/{v['challenge']}",
        f"{a}/challenges/{v['challenge']}?status=completed&plan={v['plan']}",
        f"{a}/plans",
        f"{a}/plans/{v['plan']}",
        f"{a}/plans/{v['plan']}/activities/{v['activity']}",
        f"{a}/parties",
        f"{a}/decisions",
        f"{a}/history",
        f"{a}/versions",
        f"{a}/versions/compare?from={v['from']}&to={v['to']}",
        f"{a}/contact",
        f"{a}/working-group",
        f"/agreements/{MEETINGS}/working-group",
        f"/agreements/{MEETINGS}/working-group/meetings/{v['meeting']}",
        f"{a}/register",
        f"{a}/register?body={v['register_body']}&year={v['register_year']}",
        f"{a}/register/{v['record']}",
        f"{a}/reports",
        f"{a}/reports/{v['year']}",
        f"{a}/reports/{v['year']}/{v['body']}",
        f"{a}/reports/{v['year']}/{v['body']}/versions/{v['report_version']}",
    ]
    return [("html", p) for p in pages]


def fill(path, v):
    """The path with its parameters filled, or None when one is unknown."""
    names = {
        "challenge": v["challenge"],
        "plan": v["plan"],
        "activity": v["activity"],
        "record": v["record"],
        "year": v["year"],
        "body": v["body"],
        "meeting": v["meeting"],
    }
    if path.startswith("/organisations/"):
        names["slug"] = v["organisation"]
    elif "{meeting}" in path:
        names["slug"] = MEETINGS
    else:
        names["slug"] = AGREEMENT
    names["number"] = (
        v["report_version"] if "/reports/" in path else v["version"]
    )
    for name, value in names.items():
        path = path.replace("{" + name + "}", urllib.parse.quote(str(value)))
    return None if "{" in path else path


def api_urls(v):
    doc = get(f"{API}/openapi.json")
    urls = [("api", f"{API}/openapi.json")]
    for path, item in doc["paths"].items():
        op = item.get("get")
        if op is None or op.get("security"):
            continue
        filled = fill(path, v)
        if filled is None:
            raise SystemExit(f"bench/pages.py: cannot fill the parameters of {path}")
        query = {}
        takes_csv = False
        for p in op.get("parameters", []):
            if p.get("in") != "query":
                continue
            if p["name"] == "format":
                takes_csv = True
            if p.get("required"):
                query[p["name"]] = v.get(p["name"])
        url = API + filled + ("?" + urllib.parse.urlencode(query) if query else "")
        kind = "api"
        if path.endswith(".ics"):
            kind = "ical"
        elif path.endswith(".atom") or path.endswith(".xml") or "atom" in json.dumps(op.get("responses", {})):
            kind = "atom"
        urls.append((kind, url))
        if takes_csv:
            sep = "&" if "?" in url else "?"
            urls.append(("csv", f"{url}{sep}format=csv"))
    return urls


def main():
    v = values()
    for kind, url in html_pages(v) + api_urls(v):
        print(f"{kind}\t{url}")


if __name__ == "__main__":
    main()
