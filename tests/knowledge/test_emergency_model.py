"""The committed emergency detector matches its data, and its data has what it needs."""
from pathlib import Path

from knowledge.emergency import MODEL_FILE
from knowledge.emergency.data import load_lines
from knowledge.emergency.train import samples
from knowledge.loader import load
from knowledge.schema import LANGS
from knowledge.search.scope import ScopeClassifier, data_hash

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"violence-now", "child-at-risk", "threat-to-life", "self-harm", "medical", "fire-gas",
         "confinement-forced-labour", "trafficking", "kidnapping", "sexual-assault", "followed-stalked",
         "danger-at-sea"}


def test_stored_detector_was_trained_on_the_current_data():
    """Changing knowledge/emergency/*.yaml or the services' questions needs a retrain:
    `.venv/bin/python -m knowledge.emergency.train` (about three minutes)."""
    texts = [s.text for s in samples(load(ROOT / "knowledge" / "content"))]
    assert ScopeClassifier.load(MODEL_FILE).data_hash == data_hash(texts), \
        "knowledge/emergency/model.npz is stale: run `.venv/bin/python -m knowledge.emergency.train`"


def test_every_language_has_every_kind_of_danger_and_hard_negatives():
    lines = load_lines()
    for lang in LANGS:
        danger = [ln for ln in lines if ln.lang == lang and ln.danger]
        kinds = {ln.kind for ln in danger}
        assert len(danger) >= 60 and kinds >= KINDS, (lang, len(danger), KINDS - kinds)
        safe = {ln.kind for ln in lines if ln.lang == lang and not ln.danger}
        assert {"past-abuse-permit", "victim-support-questions", "idioms"} <= safe, lang
