#!/usr/bin/env python3
"""Word classes for the name tagger, from UNLABELLED text (see assets/models/ner.md).

Reads the BBC news articles (../shared/news/bbc/*/*.txt), the sample corpus
(../shared/corpus/*.txt) and the word column of the CoNLL-2003 *train* file (labels ignored; the
dev file is never read). Each word type seen at least --min-count times gets a context vector:
counts of the --contexts most frequent words one and two positions to its left and right, plus
how often it is written with a capital inside a sentence. The counts are turned into positive
PMI, reduced by truncated SVD and clustered with k-means at several k; the table lists, per
lower-cased word (digits -> 0, as `ner_model::norm_word`), its cluster id at each k.

    pip install numpy scipy scikit-learn
    python3 scripts/ner/build_clusters.py --out assets/models/ner-clusters.tsv

Deterministic for a given input and seed. The output holds word -> ids only, never text.
"""

import argparse
import collections
import glob
import os
import re
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

# Close to ner_model::tokenize: words with inner '-', '&', '.', "'" kept whole, possessive 's
# split off, numbers with separators whole, any other char alone.
TOKEN = re.compile(
    r"'[sS]\b|\w+(?:(?:[-&.'\u2019,:/](?!s\b))\w+)*\.?|[^\w\s]", re.UNICODE
)
SENT_END = {".", "!", "?"}


def norm(word):
    out = []
    for c in word.lower():
        if c.isdigit():
            c = "0"
        elif c in "\u2019\u2018`":
            c = "'"
        elif c in "\u201c\u201d":
            c = '"'
        elif c in "\u2013\u2014":
            c = "-"
        out.append(c)
    return "".join(out)


def text_sentences(path):
    """Sentences (lists of raw tokens) of a plain-text article: one paragraph a line."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            toks = TOKEN.findall(line)
            sent = []
            for t in toks:
                # A trailing period on an ordinary word ends the sentence, not the word.
                if len(t) > 2 and t.endswith(".") and "." not in t[:-1] and not t[0].isupper():
                    sent.append(t[:-1])
                    t = "."
                sent.append(t)
                if t in SENT_END:
                    yield sent
                    sent = []
            if sent:
                yield sent


def conll_sentences(path):
    sent = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                sent = []
                continue
            if parts[0] != "-DOCSTART-":
                sent.append(parts[0])
    if sent:
        yield sent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--out", default="assets/models/ner-clusters.tsv")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--contexts", type=int, default=2000)
    ap.add_argument("--dims", type=int, default=100)
    ap.add_argument("--ks", default="16,64,256,1024")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    shared = os.path.abspath(args.shared)

    files = sorted(glob.glob(os.path.join(shared, "news/bbc/*/*.txt")))
    files += sorted(glob.glob(os.path.join(shared, "corpus/*.txt")))
    sentences = []
    for path in files:
        sentences.extend(text_sentences(path))
    train = os.path.join(shared, "eval/ner/conll2003_train.txt")
    sentences.extend(conll_sentences(train))
    n_tokens = sum(len(s) for s in sentences)
    print(f"{len(files)} text files + CoNLL train words: {len(sentences)} sentences, {n_tokens} tokens", file=sys.stderr)

    normed = [[norm(w) for w in s] for s in sentences]
    counts = collections.Counter(w for s in normed for w in s)
    vocab = sorted((w for w, c in counts.items() if c >= args.min_count), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    contexts = {w: i for i, w in enumerate(vocab[: args.contexts])}
    nc = len(contexts)
    print(f"{len(vocab)} word types seen >= {args.min_count} times", file=sys.stderr)

    rows, cols = [], []
    caps = np.zeros(len(vocab))
    inner = np.zeros(len(vocab))
    for raw, s in zip(sentences, normed):
        pad = ["<s>", "<s>"] + s + ["</s>", "</s>"]
        for i, w in enumerate(s):
            r = index.get(w)
            if r is None:
                continue
            if i > 0 and raw[i][:1].isalpha():
                inner[r] += 1
                if raw[i][0].isupper():
                    caps[r] += 1
            for slot, off in enumerate((-2, -1, 1, 2)):
                c = contexts.get(pad[i + 2 + off])
                if c is None:
                    c = nc  # any rarer word
                    if pad[i + 2 + off] in ("<s>", "</s>"):
                        c = nc + 1
                rows.append(r)
                cols.append(slot * (nc + 2) + c)
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(vocab), 4 * (nc + 2)))
    m.sum_duplicates()
    # Positive PMI (context distribution smoothed with exponent 0.75).
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (row_sum[m.row] * col_sum[m.col]))
    keep = pmi > 0
    m = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)

    svd = TruncatedSVD(n_components=args.dims, random_state=args.seed)
    x = normalize(svd.fit_transform(m))
    # Capitalisation inside sentences, as one extra dimension (names cluster with names).
    cap_ratio = np.where(inner > 0, caps / np.maximum(inner, 1), 0.5)
    x = np.hstack([x, 0.5 * cap_ratio[:, None]])
    x = normalize(x)

    ks = [int(k) for k in args.ks.split(",")]
    labels = []
    for k in ks:
        km = KMeans(n_clusters=k, n_init=1, random_state=args.seed, max_iter=100)
        labels.append(km.fit_predict(x))
        print(f"k={k}: inertia {km.inertia_:.1f}", file=sys.stderr)

    with open(args.out, "w", encoding="utf-8") as out:
        out.write(f"# word classes for the name tagger: scripts/ner/build_clusters.py (k = {args.ks}; "
                  f"min count {args.min_count}, {args.contexts} contexts, {args.dims} dims)\n")
        for w in sorted(vocab):
            if "\t" in w or "\n" in w:
                continue
            out.write(w + "\t" + "\t".join(str(int(l[index[w]])) for l in labels) + "\n")
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
