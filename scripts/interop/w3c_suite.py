#!/usr/bin/env python3
"""Checks a Claimdesk W3C Web Annotation export against the W3C web-annotation-tests suite's
JSON schemas (github.com/w3c/web-annotation-tests, a work tree; never committed here), with
python `jsonschema`, as the suite's own runner does: every assertion of collectionMusts,
pageMusts and annotationMusts on the collection, its page and each annotation, and the
optional ones (reported as implemented or not).

    python3 w3c_suite.py SUITE_DIR annotations.jsonld

A "must" assertion passes when the schema's verdict equals its `expectedResult`. Exits 1 when
any must fails. `format: uri` is checked (pip install rfc3987), as the suite's runner does.
"""
import json
import sys
from collections import Counter
from pathlib import Path

import jsonschema

suite, export = Path(sys.argv[1]), Path(sys.argv[2])
store = {}
# Assertions refer to definitions and to each other by their `id` (a bare file name).
for path in suite.rglob("*.json"):
    try:
        schema = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError):
        continue
    if isinstance(schema, dict) and isinstance(schema.get("id", path.name), str):
        store.setdefault(schema.get("id", path.name), schema)


def check(assertion_path, instance):
    schema = json.loads((suite / assertion_path).read_text())
    resolver = jsonschema.RefResolver(base_uri="", referrer=schema, store=store)
    validator = jsonschema.Draft4Validator(schema, resolver=resolver,
                                           format_checker=jsonschema.FormatChecker())
    valid = validator.is_valid(instance)
    expected = schema.get("expectedResult", "valid") == "valid"
    return schema.get("assertionType", "must"), valid == expected, schema.get("errorMessage", "")


collection = json.loads(export.read_text())
# The suite checks each resource as a document of its own, as a server would return it from
# its id: the page and the annotations embedded in the collection get its @context.
context = collection["@context"]
page = {"@context": context, **collection["first"]}
annotations = [{"@context": context, **item} for item in page["items"]]
results = {}
failures = []
for test, instances in [
    ("collections/collectionMusts.test", [collection]),
    ("collections/collectionOptionals.test", [collection]),
    ("collections/pages/pageMusts.test", [page]),
    ("collections/pages/pageOptionals.test", [page]),
    ("annotations/annotationMusts.test", annotations),
    ("annotations/annotationOptionals.test", annotations),
]:
    spec = json.loads((suite / test).read_text())
    tally = Counter()
    implemented = set()
    for assertion in spec["assertions"]:
        for n, instance in enumerate(instances):
            kind, ok, message = check(assertion, instance)
            name = Path(assertion).stem
            if kind == "must":
                tally["pass" if ok else "fail"] += 1
                if not ok:
                    failures.append(f"{test} {name} (item {n}): {message}")
            elif ok:
                implemented.add(name)
    results[test] = {"musts_passed": tally["pass"], "musts_failed": tally["fail"],
                     "optional_features_found": sorted(implemented)}
print(json.dumps({"annotations": len(annotations), "results": results, "failures": failures},
                 indent=2))
sys.exit(1 if failures else 0)
