#!/usr/bin/env python3
"""Precision of claim suggestions and figure conflicts, against hand labels.

Re-runs the binary and scores what it prints now against the labels in
tests/data/labels/ (see docs/label-eval.md for the protocol):

  top5.tsv       one judged claim suggestion per row: path, start, end, sha
                 (first 12 hex of sha256 of the sentence text), label 0/1, note
  conflicts.tsv  one judged crossref conflict or timeline per row: set, kind,
                 measure, mentions (path:start-end:sha joined by ';'), label, note

Usage (from the repository root):

  python3 scripts/eval/label_precision.py --bin target/release/claimdesk --shared ../shared
  python3 scripts/eval/label_precision.py --bin /tmp/claimdesk-eval --shared /work/shared --json

Figures:
  * P@1, P@3, P@5 of `analyze --json`: for every sampled article the k
    highest-scoring claims (ties: text order). An article with fewer than k
    claims is scored on what it shows. A suggestion whose (path, offsets,
    sentence hash) has no label -- the model or the segmentation changed -- is
    counted as "unlabelled", left out of the precision and reported, never
    counted as wrong. Macro = mean of per-article precision; micro = pooled.
    "lenient" also counts suggestions labelled 0 with a note starting
    "trivia:" (checkable but of no public interest) as right.
  * Precision of `crossref --json` conflicts and timelines on the sample
    corpus and on the BBC set. A flagged group matches a label when its set of
    mentions (path, span, passage hash) is exactly the labelled set; any other
    group is "unlabelled".

Exit status 0 when the figures were computed (whatever they are); 2 when the
binary or the data could not be used.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BBC_FOLDERS = ["business", "entertainment", "sport", "tech"]
PER_FOLDER = 10


def sha12(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    head = lines[0]
    return [dict(zip(head, row)) for row in lines[1:]]


def sample_paths(shared):
    """The sample rule: per BBC folder, the files at sorted positions
    0, s, 2s, ... (10 of them, s = files // 10); plus every sample article."""
    out = []
    for folder in BBC_FOLDERS:
        d = os.path.join(shared, "news", "bbc", folder)
        if not os.path.isdir(d):
            continue
        names = sorted(n for n in os.listdir(d) if n.endswith(".txt"))
        step = max(1, len(names) // PER_FOLDER)
        out += ["bbc/%s/%s" % (folder, names[i * step]) for i in range(min(PER_FOLDER, len(names)))]
    corpus = os.path.join(shared, "corpus")
    out += ["corpus/" + n for n in sorted(os.listdir(corpus)) if n.endswith(".txt")]
    return out


def on_disk(shared, rel):
    if rel.startswith("bbc/"):
        return os.path.join(shared, "news", rel)
    return os.path.join(shared, rel)


def run_json(args):
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(args[:3]), proc.returncode, proc.stderr[:500]))
    return json.loads(proc.stdout)


def group_of(rel):
    parts = rel.split("/")
    return "/".join(parts[:2]) if parts[0] == "bbc" else parts[0]


def is_non_body(article, claim):
    """A suggestion on the title line, or on a line that is not a sentence
    (no end punctuation, short): a headline or caption, not body text."""
    text = article["text"]
    first = text.find("\n")
    if first < 0 or claim["start"] < first:
        return True
    ls = text.rfind("\n", 0, claim["start"]) + 1
    le = text.find("\n", claim["end"])
    line = text[ls : le if le >= 0 else len(text)].strip()
    return line == claim["text"].strip() and line[-1:] not in ".!?\"'\u201d\u2019" and len(line.split()) < 12


def eval_top5(binary, shared, labels_dir):
    labels = {}
    for r in read_tsv(os.path.join(labels_dir, "top5.tsv")):
        labels[(r["path"], int(r["start"]), int(r["end"]), r["sha"])] = (int(r["label"]), r["note"])
    labelled_paths = sorted({k[0] for k in labels})
    rule = sample_paths(shared)
    if sorted(rule) != labelled_paths:
        print("note: the sample rule now gives %d articles, the labels cover %d; scoring the labelled ones"
              % (len(rule), len(labelled_paths)))
    files = [os.path.abspath(on_disk(shared, p)) for p in labelled_paths]
    missing = [f for f in files if not os.path.exists(f)]
    if missing:
        sys.exit("missing articles: %s" % missing[:3])
    by_abs = {os.path.abspath(on_disk(shared, p)): p for p in labelled_paths}
    articles = run_json([binary, "analyze", "--json"] + files)

    ks = (1, 3, 5)
    # stats[group][k] = [sum of per-article precision, articles, right, judged, unlabelled, shown]
    stats = defaultdict(lambda: {k: [0.0, 0, 0, 0, 0, 0] for k in ks})
    lenient = defaultdict(lambda: [0, 0])
    non_body = 0
    for a in articles:
        rel = by_abs.get(os.path.abspath(a["path"]))
        if rel is None:
            continue
        top = sorted(a["claims"], key=lambda c: (-c["score"], c["start"]))[:5]
        judged = []
        for c in top:
            key = (rel, c["start"], c["end"], sha12(c["text"]))
            judged.append(labels.get(key))
            if is_non_body(a, c):
                non_body += 1
        for group in (group_of(rel), "all"):
            for k in ks:
                sub = judged[:k]
                right = sum(1 for j in sub if j and j[0] == 1)
                known = sum(1 for j in sub if j)
                s = stats[group][k]
                if known:
                    s[0] += right / known
                    s[1] += 1
                s[2] += right
                s[3] += known
                s[4] += len(sub) - known
                s[5] += len(sub)
            lenient[group][0] += sum(1 for j in judged if j and (j[0] == 1 or j[1].startswith("trivia:")))
            lenient[group][1] += sum(1 for j in judged if j)
    result = {}
    for group, per_k in sorted(stats.items()):
        row = {}
        for k, (psum, n, right, known, unl, shown) in per_k.items():
            row["P@%d" % k] = {
                "macro": round(psum / n, 3) if n else None,
                "micro": round(right / known, 3) if known else None,
                "right": right,
                "judged": known,
                "unlabelled": unl,
                "shown": shown,
                "articles": n,
            }
        lr, lk = lenient[group]
        row["P@5 lenient (trivia counted right)"] = round(lr / lk, 3) if lk else None
        result[group] = row
    return result, non_body, len(articles)


def resolver(root, prefix):
    """crossref names an article by its file name, `name~k` for the k-th file
    of that name in walk order (folders sorted)."""
    names = {}
    for dp, dn, fn in os.walk(root):
        dn.sort()
        for f in sorted(fn):
            names.setdefault(f, []).append(os.path.relpath(os.path.join(dp, f), root))

    def res(aid):
        base, _, k = aid.partition("~")
        k = int(k) if k else 1
        try:
            return prefix + "/" + names[base][k - 1]
        except (KeyError, IndexError):
            return prefix + "/?" + aid

    return res


def eval_crossref(binary, shared, labels_dir):
    labels = {}
    for r in read_tsv(os.path.join(labels_dir, "conflicts.tsv")):
        ms = frozenset(r["mentions"].split(";"))
        labels[(r["set"], r["kind"], ms)] = (int(r["label"]), r["note"])
    out = {}
    for setname, root, prefix in (
        ("corpus", os.path.join(shared, "corpus"), "corpus"),
        ("bbc", os.path.join(shared, "news", "bbc"), "bbc"),
    ):
        data = run_json([binary, "crossref", "--json", root])
        res = resolver(root, prefix)
        for kind, key, mkey in (("conflict", "conflicts", "mentions"), ("timeline", "timelines", "points")):
            right = judged = unl = 0
            for group in data.get(key, []):
                ms = frozenset(
                    "%s:%d-%d:%s" % (res(m["passage"]["article"]), m["passage"]["span"]["start"],
                                     m["passage"]["span"]["end"], sha12(m["passage"]["text"]))
                    for m in group[mkey]
                )
                lab = labels.get((setname, kind, ms))
                if lab is None:
                    unl += 1
                else:
                    judged += 1
                    right += lab[0]
            out["%s %ss" % (setname, kind)] = {
                "flagged": right + (judged - right) + unl,
                "true": right,
                "judged": judged,
                "unlabelled": unl,
                "precision": round(right / judged, 3) if judged else None,
            }
    for kind in ("conflict", "timeline"):
        rows = [v for k, v in out.items() if k.endswith(kind + "s")]
        t = sum(r["true"] for r in rows)
        j = sum(r["judged"] for r in rows)
        out["all %ss" % kind] = {
            "flagged": sum(r["flagged"] for r in rows),
            "true": t,
            "judged": j,
            "unlabelled": sum(r["unlabelled"] for r in rows),
            "precision": round(t / j, 3) if j else None,
        }
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "claimdesk"))
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"))
    ap.add_argument("--labels", default=os.path.join(REPO, "tests", "data", "labels"))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        print("no binary at %s" % a.bin, file=sys.stderr)
        return 2
    if not os.path.isdir(os.path.join(a.shared, "corpus")):
        print("no shared data at %s" % a.shared, file=sys.stderr)
        return 2
    top5, non_body, n_articles = eval_top5(a.bin, a.shared, a.labels)
    xref = eval_crossref(a.bin, a.shared, a.labels)
    if a.json:
        print(json.dumps({"top5": top5, "non_body_in_top5": non_body, "articles": n_articles,
                          "crossref": xref}, indent=1))
        return 0
    print("Claim suggestions, %d articles (macro = mean over articles; micro = pooled)" % n_articles)
    print("%-22s %-20s %-20s %-20s %s" % ("group", "P@1", "P@3", "P@5", "P@5 lenient"))
    for group, row in top5.items():
        cells = []
        for k in (1, 3, 5):
            r = row["P@%d" % k]
            cells.append("%s/%s (%d/%d%s)" % (r["macro"], r["micro"], r["right"], r["judged"],
                                              ", %d unl." % r["unlabelled"] if r["unlabelled"] else ""))
        print("%-22s %-20s %-20s %-20s %s" % (group, cells[0], cells[1], cells[2],
                                              row["P@5 lenient (trivia counted right)"]))
    print("top-5 suggestions on a headline or caption line: %d" % non_body)
    print()
    print("Crossref flags")
    for k, v in xref.items():
        print("%-20s flagged %3d  true %3d / judged %3d  unlabelled %3d  precision %s"
              % (k, v["flagged"], v["true"], v["judged"], v["unlabelled"], v["precision"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
