"""Load Rasa's TensorFlow models (DIET here) without the one-example training step Rasa runs first.

Why: `RasaModel.load` fits the new model on one example only to create its variables, then overwrites
them all from the checkpoint. Tracing that training step (forward, gradients, Adam) was 37% of a Rasa
start (py-spy); the model took 7.5 CPU-s to load, 3.6-4.4 s without it. Here the checkpoint is read
first, and TensorFlow restores each variable the moment the first prediction creates it, before it is
used (so values computed once for prediction, like DIET's label embeddings, come from the trained
weights). Every variable the model created must have been restored from the checkpoint, else Rasa's own
load runs instead. Written against Rasa 3.6.21; installed only by `bot/rasa_launcher.py`.
"""
from __future__ import annotations

import logging

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

_original_load = RasaModel.__dict__["load"]


def load(cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False,
         *args, **kwargs):
    """Same contract as `RasaModel.load`; Rasa's own load for fine-tuning or without a prediction example."""
    def rasa_load():
        return _original_load.__func__(cls, model_file_name, model_data_example, predict_data_example,
                                       finetune_mode, *args, **kwargs)

    if finetune_mode or predict_data_example is None:
        return rasa_load()
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),   # as Rasa does
                  run_eagerly=config.get(RUN_EAGERLY))
    status = model.load_weights(model_file_name)     # deferred: restores each variable as it is created
    model.run_inference(predict_data_example)        # creates the variables and traces prediction
    try:
        status.assert_existing_objects_matched()
    except AssertionError as err:
        logger.warning("model_load: %s has variables the checkpoint did not fill (%s); Rasa's own load runs",
                       cls.__name__, str(err).splitlines()[0])
        return rasa_load()
    status.expect_partial()                          # the optimizer's slots are not needed to predict
    return model


def install() -> None:
    RasaModel.load = classmethod(load)
