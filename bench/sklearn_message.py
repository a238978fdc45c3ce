#!/usr/bin/env python3
"""The scikit-learn baseline for bench/message.sh: TF-IDF over word 1-2-grams and
character 3-5-grams (inside word boundaries, accents stripped) + logistic regression,
trained on the same split as canhgiac's model. Prints JSON: F1 on the test split and
throughput on one core, for batches (sklearn's best case) and one message at a time
(how a stream of SMS arrives).

usage: sklearn_message.py TRAIN.jsonl TEST.jsonl SPEED.jsonl SECONDS
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.pipeline import FeatureUnion, Pipeline


def load(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    return [r["text"] for r in rows], [1 if r["label"] == "scam" else 0 for r in rows]


def rate(fn, texts, seconds):
    started = time.perf_counter()
    n = 0
    while time.perf_counter() - started < seconds:
        fn(texts)
        n += len(texts)
    return n / (time.perf_counter() - started)


def main():
    train_path, test_path, speed_path, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    x_train, y_train = load(train_path)
    x_test, y_test = load(test_path)
    speed, _ = load(speed_path)
    model = Pipeline([
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), strip_accents="unicode", sublinear_tf=True, min_df=2)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), strip_accents="unicode", sublinear_tf=True, min_df=2)),
        ])),
        ("classifier", LogisticRegression(C=10.0, max_iter=2000)),
    ])
    model.fit(x_train, y_train)
    predicted = (model.predict_proba(x_test)[:, 1] >= 0.5).astype(int)
    batch = rate(lambda texts: model.predict_proba(texts), speed, seconds)
    single = rate(lambda texts: [model.predict_proba([t]) for t in texts], speed[:200], seconds)
    print(json.dumps({
        "messages": len(x_test),
        "precision": round(precision_score(y_test, predicted), 4),
        "recall": round(recall_score(y_test, predicted), 4),
        "f1": round(f1_score(y_test, predicted), 4),
        "batch_per_second": round(batch),
        "single_per_second": round(single),
    }))


if __name__ == "__main__":
    main()
