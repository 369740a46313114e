#!/usr/bin/env python3
"""Fit the abstention model's weights (bot/answer.py) to evaluation question sets.

Usage:
    HF_HUB_OFFLINE=1 .venv/bin/python tests/eval/calibrate_abstention.py QUESTIONS.jsonl... [--corpus DIR]

Every question is asked of an index of the corpus (tests/eval/corpus by default); the best passage of each
question that is not already declined as a near miss becomes one example, answerable or not. An L2-regularised
logistic regression (numpy only, Newton's method) is fitted to them, and the weights are printed in the form
bot/answer.py keeps them, per unit of each feature, with the figures the fitted model and the weights in use
give at a few thresholds. Fit only on sets that have been read and tuned on; score the others afterwards.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.answer import DENSE_FLOOR, EVIDENCE_BIAS, EVIDENCE_WEIGHTS, evidence_features, is_near_miss  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.evaluate import load_questions  # noqa: E402
from bot.glossary import load_glossary  # noqa: E402
from ingest.embed import Embedder  # noqa: E402
from ingest.pipeline import ingest_corpus  # noqa: E402

# As scikit-learn's default C=1: the penalty on the standardised weights, not on the bias.
PENALTY = 1.0


def model_decided_examples(engine: Engine, paths: list[Path]) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Features and labels (1 = answerable) of the questions the model decides (the best passage is neither a
    near miss nor below the similarity floor), and how many answerable and unanswerable questions there are."""
    rows, labels, answerable, unanswerable = [], [], 0, 0
    for path in paths:
        for question in load_questions(path):
            answerable += question.answerable
            unanswerable += not question.answerable
            candidates = engine.search(engine.clean_question(question.question)[0])
            if not candidates or is_near_miss(candidates[0]) or candidates[0].dense < DENSE_FLOOR:
                continue
            runner_up = candidates[1] if len(candidates) > 1 else None
            evidence = evidence_features(candidates[0], runner_up)
            rows.append([evidence[name] for name in EVIDENCE_WEIGHTS])
            labels.append(float(question.answerable))
    return np.array(rows), np.array(labels), answerable, unanswerable


def fit(features: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Bias and weights in the features' own units."""
    mean, spread = features.mean(axis=0), features.std(axis=0) + 1e-9
    design = np.hstack([np.ones((len(features), 1)), (features - mean) / spread])
    penalty = np.diag([0.0] + [PENALTY] * features.shape[1])
    weights = np.zeros(design.shape[1])
    for _ in range(100):
        chance = 1 / (1 + np.exp(-design @ weights))
        gradient = design.T @ (chance - labels) + penalty @ weights
        hessian = design.T @ (design * (chance * (1 - chance))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-9:
            break
    scaled = weights[1:] / spread
    return float(weights[0] - scaled @ mean), scaled


def declined_shares(
    bias: float,
    weights: np.ndarray,
    features: np.ndarray,
    labels: np.ndarray,
    answerable: int,
    unanswerable: int,
    threshold: float,
) -> str:
    quoted = 1 / (1 + np.exp(-(bias + features @ weights))) >= threshold
    wrongly = answerable - int((quoted & (labels == 1)).sum())
    abstained = unanswerable - int((quoted & (labels == 0)).sum())
    return f"abstained {abstained / unanswerable:.0%} of unanswerable, wrongly {wrongly / answerable:.1%} of answerable"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent / "corpus")
    args = parser.parse_args()
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as index_dir:
        ingest_corpus(args.corpus, Path(index_dir), embedder)
        engine = Engine(Path(index_dir), embedder, load_glossary())
        features, labels, answerable, unanswerable = model_decided_examples(engine, args.questions)
    bias, weights = fit(features, labels)
    names = list(EVIDENCE_WEIGHTS)
    print(f"EVIDENCE_BIAS = {bias:.4f}\nEVIDENCE_WEIGHTS = {{")
    for name, weight in zip(names, weights):
        print(f'    "{name}": {weight:.4f},')
    print("}")
    in_use = np.array([EVIDENCE_WEIGHTS[name] for name in names])
    counts = (features, labels, answerable, unanswerable)
    for threshold in (0.35, 0.4, 0.45, 0.5, 0.55):
        fitted = declined_shares(bias, weights, *counts, threshold)
        print(f"at {threshold:.2f}: fitted {fitted}; in use {declined_shares(EVIDENCE_BIAS, in_use, *counts, threshold)}")


if __name__ == "__main__":
    main()
