"""Shared data handling for the check-worthiness scripts (train_ngram.py, teacher.py).

Data is read from ../shared/eval/claims (never committed). The split is fixed: ClaimBuster
sentences are grouped by normalised text (so a sentence repeated in the data never sits on both
sides), then split 80/20 stratified with seed 42. Only the 80% is ever trained on; the 20% is
scored once, on its natural class balance (25% positive) and on balanced resamples (every
positive, as many negatives drawn at random, 50 draws).
"""
import csv
import json
import os
import re
import unicodedata

import numpy as np

SEED = 42
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DATA = os.path.join(REPO, "..", "shared", "eval", "claims")
# Derived data (teacher labels of CLEF text) is kept out of the repository.
CACHE = os.path.join(REPO, "target", "claims-teacher")


def norm_key(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\W+", " ", text).strip()


def load_claimbuster(data=DEFAULT_DATA):
    with open(os.path.join(data, "claimbuster_train.json"), encoding="utf-8") as f:
        rows = json.load(f)
    return [(r["text"], int(r["label"])) for r in rows]


def load_clef_texts(data=DEFAULT_DATA):
    """The CLEF 2019 debate lines, text only (its labels are ignored: a ranking task's labels)."""
    with open(os.path.join(data, "clef2019_train.csv"), encoding="utf-8", newline="") as f:
        return [r["text"] for r in csv.DictReader(f)]


def split(rows):
    """(train, test) lists of (text, label); stratified by group label, grouped by text."""
    groups = {}
    for text, label in rows:
        groups.setdefault(norm_key(text), []).append((text, label))
    keys = sorted(groups)
    # A group's label is its majority (duplicates almost always agree).
    glabel = np.array([round(np.mean([l for _, l in groups[k]])) for k in keys])
    rng = np.random.RandomState(SEED)
    test_keys = set()
    for cls in (0, 1):
        idx = np.flatnonzero(glabel == cls)
        rng.shuffle(idx)
        test_keys.update(keys[i] for i in idx[: int(round(0.2 * len(idx)))])
    train = [r for k in keys if k not in test_keys for r in groups[k]]
    test = [r for k in keys if k in test_keys for r in groups[k]]
    return train, test


def prf(y, pred, weight=None):
    y = np.asarray(y)
    pred = np.asarray(pred)
    w = np.ones(len(y)) if weight is None else np.asarray(weight)
    tp = float(np.sum(w * ((pred == 1) & (y == 1))))
    fp = float(np.sum(w * ((pred == 1) & (y == 0))))
    fn = float(np.sum(w * ((pred == 0) & (y == 1))))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def balanced_resamples(y, pred, draws=50, seed=SEED):
    """Mean and sd of P, R, F1 over balanced resamples (all positives, as many negatives)."""
    y = np.asarray(y)
    pred = np.asarray(pred)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(draws):
        pick = np.concatenate([pos, rng.choice(neg, size=len(pos), replace=False)])
        out.append(prf(y[pick], pred[pick]))
    out = np.array(out)
    return out.mean(axis=0), out.std(axis=0)


def report(name, y, prob, threshold=0.5):
    pred = (np.asarray(prob) >= threshold).astype(int)
    p, r, f = prf(y, pred)
    (bp, br, bf), (_, _, bsd) = balanced_resamples(y, pred)
    print(f"{name}: natural ({np.mean(y):.0%} positive, n={len(y)}) P={p:.3f} R={r:.3f} F1={f:.3f}; "
          f"balanced resample P={bp:.3f} R={br:.3f} F1={bf:.3f} (sd {bsd:.3f}, 50 draws)")
    return f, bf
