"""Grouping similar questions across languages: complete-linkage clustering on cosine similarity.

Vectors come from the search engine's own encoder (`encode_queries`: e5 gets its "query: " prefix
there), so a question and its paraphrases in other languages land close together.
"""
from __future__ import annotations

import numpy as np

# Tuned on tests/staff/queue_paraphrases.py with multilingual-e5-small: thresholds from 0.81 to 0.86
# keep each topic's paraphrases (4-5 languages) in one group and the topics apart; the middle is
# taken. e5 similarities are compressed (unrelated questions are still ~0.75-0.80 similar) and
# single-link or leader grouping chained two topics, hence complete linkage: every member of a group
# is at least THRESHOLD similar to every other member.
THRESHOLD = 0.84


def cluster(vectors: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of row indexes of `vectors` (unit rows), biggest first, each in ascending order.

    Agglomerative complete linkage with the nearest-neighbour-chain algorithm: O(n^2) time and
    memory (a few thousand questions take well under a second), and exact (same groups as the
    textbook algorithm cut at 1 - threshold).
    """
    n = len(vectors)
    if n == 0:
        return []
    dist = 1.0 - np.asarray(vectors, dtype=np.float32) @ np.asarray(vectors, dtype=np.float32).T
    np.fill_diagonal(dist, np.inf)
    cut = 1.0 - threshold
    active = np.ones(n, dtype=bool)          # clusters that may still merge
    members = {i: [i] for i in range(n)}
    done: list[list[int]] = []
    chain: list[int] = []
    while True:
        if not chain:
            left = np.flatnonzero(active)
            if len(left) == 0:
                break
            chain.append(int(left[0]))
        a = chain[-1]
        row = np.where(active, dist[a], np.inf)
        b = int(np.argmin(row))
        if len(chain) > 1 and row[chain[-2]] <= row[b]:
            b = chain[-2]
        if not np.isfinite(row[b]) or row[b] > cut:
            # a's nearest cluster is too far, and complete-link distances only grow: a is final
            active[a] = False
            done.append(sorted(members.pop(a)))
            chain.pop()
            continue
        if len(chain) > 1 and b == chain[-2]:    # reciprocal nearest neighbours: merge b into a
            chain.pop()
            chain.pop()
            merged = np.maximum(dist[a], dist[b])
            dist[a, :] = merged
            dist[:, a] = merged
            dist[a, a] = np.inf
            active[b] = False
            members[a].extend(members.pop(b))
        else:
            chain.append(b)
    done.sort(key=lambda g: (-len(g), g[0]))
    return done
