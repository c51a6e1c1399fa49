#!/usr/bin/env python3
"""Trains the shipped check-worthiness model (assets/models/claims.bin) and prints its figures.

    nice -n 10 python3 scripts/claims/train_ngram.py                 # gold labels only
    nice -n 10 python3 scripts/claims/train_ngram.py --teacher       # + teacher labels (teacher.py)
    python3 scripts/claims/train_ngram.py --eval-only                # re-score the shipped file

Model: scikit-learn TfidfVectorizer blocks, word 1-3-grams (token pattern \\b\\w\\w+\\b) and
char_wb 2-5-grams, both lower-cased, sublinear TF, smooth IDF, min_df 2, each block L2-normalised
on its own, then one logistic regression with balanced class weights. Platt scaling fitted on
5-fold out-of-fold scores, weighted to a balanced prior, is folded into the weights, so the
shipped score reads as P(check-worthy) when half the sentences are (the judging set's balance),
and 0.5 is the cut. The Rust scorer (crates/claimdesk-core/src/analysis/claim_model.rs)
re-implements these features; `assets/models/claims.expected.tsv`, written here, holds this
script's scores for fixed sentences and a Rust test compares both.
"""
import argparse
import io
import json
import os
import sys
import zlib

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

MODEL = os.path.join(common.REPO, "assets", "models", "claims.bin")
EXPECTED = os.path.join(common.REPO, "assets", "models", "claims.expected.tsv")
HELD_OUT_IDS = os.path.join(common.REPO, "assets", "models", "claims.heldout-ids.txt")
MAGIC = b"CLM3"


def vectorizers(min_df):
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 3), lowercase=True, sublinear_tf=True,
                           min_df=min_df, norm="l2", dtype=np.float64)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True, sublinear_tf=True,
                           min_df=min_df, norm="l2", dtype=np.float64)
    return word, char


class NgramModel:
    def __init__(self, C=1.0, min_df=2):
        self.C, self.min_df = C, min_df

    def fit(self, texts, y, weight=None):
        self.word, self.char = vectorizers(self.min_df)
        x = sp.hstack([self.word.fit_transform(texts), self.char.fit_transform(texts)]).tocsr()
        self.lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000, tol=1e-6)
        self.lr.fit(x, y, sample_weight=weight)
        self.a, self.b = 1.0, 0.0
        return self

    def decision(self, texts):
        x = sp.hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()
        return self.lr.decision_function(x)

    def prob(self, texts):
        return 1 / (1 + np.exp(-(self.a * self.decision(texts) + self.b)))


def platt(z, y):
    """Logistic fit of y on z, each class weighted to half the total (a balanced prior)."""
    y = np.asarray(y)
    w = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum())) * len(y)
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(np.asarray(z).reshape(-1, 1), y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def oof(texts, y, weight, C, min_df, gold_mask):
    """Out-of-fold decision values of the gold sentences (teacher rows only ever train)."""
    texts = np.asarray(texts, dtype=object)
    y = np.asarray(y)
    gold_idx = np.flatnonzero(gold_mask)
    extra_idx = np.flatnonzero(~gold_mask)
    z = np.zeros(len(gold_idx))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=common.SEED).split(gold_idx, y[gold_idx]):
        fit_idx = np.concatenate([gold_idx[tr], extra_idx])
        m = NgramModel(C, min_df).fit(list(texts[fit_idx]), y[fit_idx], weight[fit_idx])
        z[te] = m.decision(list(texts[gold_idx[te]]))
    return z, y[gold_idx]


def balanced_f1(z, y, cut=0.0):
    pred = (z >= cut).astype(int)
    w = np.where(y == 1, 0.5 / y.sum(), 0.5 / (1 - y).sum())
    return common.prf(y, pred, w)[2]


def write_model(m, path, info):
    word_vocab = sorted(m.word.vocabulary_.items(), key=lambda kv: kv[1])
    char_vocab = sorted(m.char.vocabulary_.items(), key=lambda kv: kv[1])
    coef = m.lr.coef_[0] * m.a
    bias = float(m.lr.intercept_[0] * m.a + m.b)
    nw = len(word_vocab)
    out = io.StringIO()
    header = dict(info, format=3, word_ngram=[1, 3], char_ngram=[2, 5], bias=bias,
                  word_terms=nw, char_terms=len(char_vocab))
    out.write(json.dumps(header, sort_keys=True) + "\n")
    for (term, j) in word_vocab:
        out.write(f"{term}\t{float(m.word.idf_[j])!r}\t{float(coef[j])!r}\n")
    for (term, j) in char_vocab:
        out.write(f"{term}\t{float(m.char.idf_[j])!r}\t{float(coef[nw + j])!r}\n")
    with open(path, "wb") as f:
        f.write(MAGIC + zlib.compress(out.getvalue().encode("utf-8"), 9))


def read_model(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:4] == MAGIC, "not a CLM3 model"
    lines = zlib.decompress(raw[4:]).decode("utf-8").split("\n")
    header = json.loads(lines[0])
    rows = [l.split("\t") for l in lines[1:] if l]
    nw = header["word_terms"]
    word = {t: (float(i), float(w)) for t, i, w in rows[:nw]}
    char = {t: (float(i), float(w)) for t, i, w in rows[nw:]}
    return header, word, char


def score_file_model(path, texts):
    """Scores with the written file alone (the same arithmetic the Rust scorer does)."""
    header, word, char = read_model(path)
    wv, cv = vectorizers(1)
    wa, ca = wv.build_analyzer(), cv.build_analyzer()
    out = []
    for t in texts:
        z = header["bias"]
        for table, grams in ((word, wa(t)), (char, ca(t))):
            counts = {}
            for g in grams:
                if g in table:
                    counts[g] = counts.get(g, 0) + 1
            vals = [((1 + np.log(c)) * table[g][0], table[g][1]) for g, c in counts.items()]
            norm = np.sqrt(sum(v * v for v, _ in vals))
            if norm > 0:
                z += sum(v * w for v, w in vals) / norm
        out.append(1 / (1 + np.exp(-z)))
    return np.array(out)


def fixture_sentences():
    """Fixed sentences for the Rust/Python comparison: the bundled sample corpus's lines and
    edge cases of tokenisation (committed; none comes from the labelled data)."""
    corpus = os.path.join(common.REPO, "assets", "corpus")
    lines = []
    for name in sorted(os.listdir(corpus)):
        if name.endswith(".txt"):
            with open(os.path.join(corpus, name), encoding="utf-8") as f:
                lines += [l.strip() for l in f if len(l.strip()) > 3]
    lines = lines[:160]
    lines += [
        "", "a", "I", "Thank you.", "It's 2,750 – no, 5,000!", "snake_case and __init__ words",
        "Ünïcödé naïve café RÉSUMÉ façade", "ΟΔΥΣΣΕΥΣ ran", "Tab\tseparated\twords  and   spaces",
        "\u00a0non-breaking\u00a0space", "e-mail, U.S., U.K. and 9/11", "Price: $100m (£80m) or 12.5%?",
        "don't won’t can't", "emoji 🙂 in text", "x" * 40, "İstanbul KAFES ǅemal",
    ]
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=common.DEFAULT_DATA)
    ap.add_argument("--teacher", action="store_true", help="add teacher labels from teacher.py")
    ap.add_argument("--teacher-weight", type=float, default=1.0)
    ap.add_argument("--teacher-confidence", action="store_true",
                    help="weight each teacher label by the teacher's confidence |2p-1|")
    ap.add_argument("--grid", action="store_true", help="cross-validate C and min_df")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    if not os.path.exists(os.path.join(args.data, "claimbuster_train.json")):
        print(f"no data at {args.data}; nothing to do", file=sys.stderr)
        return 2
    train, test = common.split(common.load_claimbuster(args.data))
    test_texts = [t for t, _ in test]
    test_y = np.array([l for _, l in test])
    if args.eval_only:
        header, _, _ = read_model(MODEL)
        print("shipped model:", json.dumps({k: v for k, v in header.items() if k != "bias"}))
        common.report("held-out ClaimBuster 20%", test_y, score_file_model(MODEL, test_texts))
        return 0

    texts = [t for t, _ in train]
    y = [l for _, l in train]
    gold = [True] * len(texts)
    weight = [1.0] * len(texts)
    if args.teacher:
        path = os.path.join(common.CACHE, "teacher_labels.tsv")
        with open(path, encoding="utf-8") as f:
            rows = [l.rstrip("\n").split("\t") for l in f]
        for prob, text in rows:
            texts.append(text)
            y.append(int(float(prob) >= 0.5))
            gold.append(False)
            confidence = abs(2 * float(prob) - 1) if args.teacher_confidence else 1.0
            weight.append(args.teacher_weight * confidence)
        print(f"teacher labels: {len(rows)} CLEF sentences, {sum(float(p) >= 0.5 for p, _ in rows)} positive")
    y = np.array(y)
    gold = np.array(gold)
    weight = np.array(weight)
    print(f"train: {gold.sum()} gold sentences ({y[gold].mean():.0%} positive), held out: {len(test)}")

    grid = [(args.C, args.min_df)]
    if args.grid:
        grid = [(C, md) for C in (0.5, 1.0, 2.0, 4.0) for md in (1, 2)]
    best = None
    for C, md in grid:
        z, yg = oof(texts, y, weight, C, md, gold)
        f = balanced_f1(z, yg)
        print(f"  CV C={C} min_df={md}: balanced F1 {f:.3f}")
        if best is None or f > best[0]:
            best = (f, C, md, z, yg)
    f_cv, C, md, z, yg = best
    a, b = platt(z, yg)
    print(f"chosen C={C} min_df={md} (CV balanced F1 {f_cv:.3f}); Platt a={a:.3f} b={b:.3f}")

    m = NgramModel(C, md).fit(texts, y, weight)
    m.a, m.b = a, b
    prob = m.prob(test_texts)
    f_nat, f_bal = common.report("held-out ClaimBuster 20%", test_y, prob)
    # Calibration on the held-out set, re-weighted to a balanced prior: mean score vs share positive.
    bins = np.clip((prob * 5).astype(int), 0, 4)
    w = np.where(test_y == 1, 0.5 / test_y.sum(), 0.5 / (1 - test_y).sum())
    cal = []
    for k in range(5):
        sel = bins == k
        if sel.any():
            cal.append(f"{k/5:.1f}-{(k+1)/5:.1f}: score {np.average(prob[sel], weights=w[sel]):.2f} "
                       f"vs positive {np.average(test_y[sel], weights=w[sel]):.2f}")
    print("calibration (balanced prior): " + "; ".join(cal))
    if args.no_write:
        return 0
    info = dict(C=C, min_df=md, teacher=bool(args.teacher), gold_sentences=int(gold.sum()),
                teacher_sentences=int((~gold).sum()), cv_balanced_f1=round(f_cv, 4),
                heldout_f1_natural=round(f_nat, 4), heldout_f1_balanced=round(f_bal, 4))
    write_model(m, MODEL, info)
    file_prob = score_file_model(MODEL, test_texts)
    print(f"wrote {MODEL} ({os.path.getsize(MODEL) / 1e6:.2f} MB); file vs sklearn max diff "
          f"{np.max(np.abs(file_prob - prob)):.2e}")
    fixture = fixture_sentences()
    with open(EXPECTED, "w", encoding="utf-8") as f:
        f.write("# score (Python, from claims.bin alone)\tsentence (\\t and \\n escaped)\n")
        for s, p in zip(fixture, score_file_model(MODEL, fixture)):
            esc = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            f.write(f"{float(p)!r}\t{esc}\n")
    print(f"wrote {EXPECTED} ({len(fixture)} sentences)")
    # The held-out split as ClaimBuster ids, so `claimdesk-dev eval-claims` scores the same set.
    with open(os.path.join(args.data, "claimbuster_train.json"), encoding="utf-8") as f:
        test_set = set(test_texts)
        ids = sorted(r["sentence_id"] for r in json.load(f) if r["text"] in test_set)
    with open(HELD_OUT_IDS, "w") as f:
        f.write("".join(f"{i}\n" for i in ids))
    print(f"wrote {HELD_OUT_IDS} ({len(ids)} ids)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
