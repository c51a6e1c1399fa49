#!/usr/bin/env python3
"""Reads a Claimdesk brat export with brat's own code (server/src/annotation.py and
projectconfig.py of a brat work tree, github.com/nlplab/brat; never committed here).

    python3 brat_read.py BRAT_REPO EXPORT_DIR

For every document: parses the .ann with brat's TextAnnotations (which rejects bad lines and
offsets), checks each text-bound annotation's text against the .txt at its offsets, counts the
AnnotatorNotes per annotation (brat's editor keeps one and overwrites the rest on save) and the
attribute values; reads annotation.conf with brat's ProjectConfiguration and checks every
attribute and value used is declared. Prints a JSON summary; exits 1 on any problem.
"""
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

brat, export = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
work = Path(tempfile.mkdtemp())
# brat's server reads a config.py beside its sources; a minimal one for reading files.
(work / "config.py").write_text(
    f"BASE_DIR = {str(export)!r}\nDATA_DIR = {str(export)!r}\nWORK_DIR = {str(work)!r}\n"
    "DEBUG = False\nUSER_PASSWORD = {}\nADMIN_CONTACT_EMAIL = ''\nBACKUP_DIR = ''\n")
sys.path[:0] = [str(work), str(brat / "server" / "src"), str(brat / "server" / "lib")]
os.chdir(work)
import annotation  # noqa: E402
import projectconfig  # noqa: E402

# brat opens files with codecs.open(..., 'rU'), a mode Python 3.11 refuses: same read, without
# the old universal-newline flag (newline="" keeps the text as written).
annotation.codecs_open = lambda name, mode, encoding, errors: open(
    name, mode.replace("U", ""), encoding=encoding, errors=errors, newline="")

problems = []
summary = {"documents": 0, "textbounds": Counter(), "notes": 0, "targets_with_several_notes": 0,
           "attributes": Counter()}
config = projectconfig.ProjectConfiguration(str(export))
hierarchy = {n.terms[0]: n for n in config.get_attribute_type_hierarchy()}
declared_names = set(config.get_attribute_types())
for ann_path in sorted(export.glob("*.ann")):
    stem = str(ann_path)[:-4]
    text = Path(stem + ".txt").read_text(encoding="utf-8")
    doc = annotation.TextAnnotations(stem, read_only=True)
    summary["documents"] += 1
    for tb in doc.get_textbounds():
        summary["textbounds"][tb.type] += 1
        pieces = [text[s:e] for s, e in tb.spans]
        if " ".join(pieces) != tb.text:
            problems.append(f"{ann_path.name} {tb.id}: text {tb.text!r} is not {pieces!r}")
    notes = Counter(c.target for c in doc.get_oneline_comments() if c.type == "AnnotatorNotes")
    summary["notes"] += sum(notes.values())
    several = [t for t, n in notes.items() if n > 1]
    summary["targets_with_several_notes"] += len(several)
    for attr in doc.get_attributes():
        summary["attributes"][f"{attr.type}={attr.value}"] += 1
        if attr.type not in declared_names:
            problems.append(f"{ann_path.name} {attr.id}: attribute {attr.type} not in annotation.conf")
        else:
            allowed = hierarchy[attr.type].arguments.get("Value", [])
            if allowed and attr.value not in allowed:
                problems.append(f"{ann_path.name} {attr.id}: {attr.type} value {attr.value} not declared")
summary["textbounds"] = dict(summary["textbounds"])
summary["attributes"] = dict(summary["attributes"])
summary["declared_attributes"] = {
    name: node.arguments.get("Value", []) for name, node in hierarchy.items()}
summary["problems"] = problems
print(json.dumps(summary, indent=2))
sys.exit(1 if problems or summary["targets_with_several_notes"] else 0)
