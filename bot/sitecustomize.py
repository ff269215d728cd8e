"""Two speed-ups for the Rasa 3.6 server, loaded automatically (bot/ is on its PYTHONPATH).

Measured with py-spy during chat turns: ~28% of Rasa's time went to `jsonschema.validate`
re-checking the action-server response *schema itself* on every action call, ~27% to the SQLite
tracker store's fsync on every commit. So:
- jsonschema checks a schema against its meta-schema once per validator class; every response is
  still validated in full;
- SQLite connections use WAL with synchronous=NORMAL (a crash of the process loses nothing; a power
  cut may lose the last turns of a conversation, which the user simply repeats).
Set RASA_SPEEDUPS=0 to run Rasa unpatched. Not used by the portal or the action server.
"""
import os

if os.environ.get("RASA_SPEEDUPS", "1") == "1":
    try:
        import jsonschema
        from jsonschema.validators import validator_for
    except ImportError:      # not the Rasa environment
        jsonschema = None

    if jsonschema is not None:
        _schema_checked: dict = {}

        def _validate(instance, schema, cls=None, *args, **kwargs):
            cls = cls or validator_for(schema)
            if cls not in _schema_checked:
                cls.check_schema(schema)
                _schema_checked[cls] = True
            error = jsonschema.exceptions.best_match(cls(schema, *args, **kwargs).iter_errors(instance))
            if error is not None:
                raise error

        jsonschema.validate = _validate

    try:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
    except ImportError:
        Engine = None

    if Engine is not None:
        @event.listens_for(Engine, "connect")
        def _sqlite_wal(dbapi_conn, _record):
            if type(dbapi_conn).__module__.startswith("sqlite3"):
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()
