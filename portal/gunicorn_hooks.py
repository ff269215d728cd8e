"""gunicorn settings shared by every way the portal is served (`make run`, the cluster, the images):
`gunicorn -c python:portal.gunicorn_hooks ...`.

A worker loads the language identifier, the search index, the encoder and the emergency detector
before it takes its first request. The identifier comes first: loading it needs twice what it keeps
(about 100 MB for a moment), best spent before the index and the encoder are held. The listening
socket belongs to gunicorn's master, so requests that arrive meanwhile wait in its queue instead of
reaching a worker that is still loading: a replica restarted under load answers late at first, never
with an error or a search that says "unavailable".
"""
from __future__ import annotations


def post_worker_init(worker) -> None:
    from knowledge.search.langid import identifier
    from portal.chat.emergency import detector_margin
    from portal.search.operations import load_now
    identifier()                # every chat message and every search without a language needs it
    app = worker.wsgi
    loaded = load_now(app)
    worker.tmp.notify()         # loading counts as alive for gunicorn's worker timeout
    if not loaded:
        worker.log.warning("search index not loaded at start: searches say so until it is")
        return
    with app.app_context():
        detector_margin("ready")
