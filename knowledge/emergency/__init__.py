"""Emergency detection on the query vector the search already computes.

A message describing danger now (violence, a child at risk, self-harm, not breathing, fire, being locked
in, trafficking, kidnapping, sexual assault, being followed, danger at sea) must get 112 at once, in
whatever words, person and tense it is written. The classifier is the out-of-scope model's kind
(knowledge.search.scope.MarginClassifier: logistic regression plus a nearest-neighbour margin) trained on
  danger: hand-written situations in nine languages (knowledge/emergency/<lang>.yaml, `danger:`),
  safe:   hard negatives from the same files (past events asked about for a permit, questions about
          victim support, idioms with danger words, ordinary questions) plus every service's example
          questions and the out-of-scope questions.
The threshold is calibrated for recall on out-of-fold scores (see train.py). No Flask, nothing loaded at
import; the portal composes it with the search engine's cached query vectors.
"""
from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).parent
MODEL_FILE = DATA_DIR / "model.npz"
