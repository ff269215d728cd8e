"""The local cluster: N portal, N Rasa and N action-server replicas behind nginx, run by supervisord,
on one machine's 127.0.0.1 ports, sharing PostgreSQL and Redis (`make cluster`, `python -m cluster`).

layout.py  ports, paths, settings; renders deploy/nginx and deploy/supervisor templates
prepare.py secrets, databases, Redis, the index (built once) and the Rasa model link
control.py supervisord over XML-RPC, readiness, stopping
rollout.py index and model updates one replica at a time
"""
