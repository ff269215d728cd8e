"""EXPERIMENT, not used by the stack: two Rasa 3.6 costs found with py-spy, patched to measure them.

py-spy on the Rasa server during chat turns (load ~8, 5,000 samples) showed, of the time inside
`handle_message`: ~28% in `RemoteAction._validate_action_result` -> `jsonschema.validate`, which
re-checks the (large) response *schema* itself on every action call (`check_schema`, 979 of 1,023
samples); ~27% in saving the tracker, mostly the SQLite commit's fsync; ~21% the e5 featurizer;
~10% DIET. Measured with this file as `bot/sitecustomize.py` in a copy of the tree (serve.sh puts
bot/ on PYTHONPATH) and RASA_FAST_PATCH=1: dev-set round trip p50 153 ms / p95 203 ms vs 193-236 /
247-624 without (n=280 each, load 2-4). Whoever owns bot/ may adopt it (or an equivalent).
Patches: jsonschema checks each schema once; SQLite connections use WAL + synchronous=NORMAL
(durable across a crash of the process; the last turns may be lost on power loss).
"""
import os

if os.environ.get("RASA_FAST_PATCH") == "1":
    import jsonschema
    from jsonschema.validators import validator_for

    _checked: dict = {}

    def _validate(instance, schema, cls=None, *args, **kwargs):
        key = id(cls) if cls else schema.get("$schema", "")
        if key not in _checked:
            cls_ = cls or validator_for(schema)
            cls_.check_schema(schema)
            _checked[key] = cls_
        error = jsonschema.exceptions.best_match(_checked[key](schema, *args, **kwargs).iter_errors(instance))
        if error is not None:
            raise error

    jsonschema.validate = _validate

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _sqlite_wal(dbapi_conn, _record):
        if type(dbapi_conn).__module__.startswith("sqlite3"):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
