"""The Kubernetes manifests in deploy/k8s, offline: each document against the API schemas of the newest
Kubernetes that kubernetes-validate ships (strict: an unknown field fails), then what the schemas cannot
see: selectors that match, probes and resources on every container, references that exist."""
from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from portal.config import KEY_NAMES

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
DOCS = [(path.name, doc) for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]
# read by the action server, Rasa or the runtimes themselves, not by portal/config.py
OTHER_SETTINGS = {"PORTAL_URL", "ACTION_SERVER_URL", "RASA_MODEL", "RASA_TELEMETRY_ENABLED", "OMP_NUM_THREADS",
                  "TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS", "TRACKER_ENCRYPTION_KEY"}


def of_kind(kind: str) -> list[dict]:
    return [doc for _name, doc in DOCS if doc["kind"] == kind]


def pod_specs() -> list[tuple[str, dict]]:
    return [(doc["metadata"]["name"], doc["spec"]["template"]["spec"]) for doc in of_kind("Deployment") + of_kind("Job")]


@pytest.mark.parametrize("name,doc", DOCS, ids=[f"{n}:{d['kind']}" for n, d in DOCS])
def test_every_document_is_valid_for_kubernetes(name, doc):
    kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_a_typo_is_caught():
    deployment = yaml.safe_load_all((K8S / "portal.yaml").read_text()).__next__()
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, kubernetes_validate.latest_version(), strict=True)


def test_the_portal_rasa_and_actions_run_as_deployments_and_the_index_as_a_job():
    assert {d["metadata"]["name"] for d in of_kind("Deployment")} == {"goc-portal", "goc-portal-internal", "goc-rasa",
                                                                      "goc-actions"}
    index_job = [j for j in of_kind("Job") if j["metadata"]["name"] == "goc-index-build"]
    assert index_job and "flask knowledge index" in str(index_job[0]["spec"]["template"]["spec"]["containers"][0]["args"])
    assert of_kind("ConfigMap") and of_kind("Secret")


def test_the_action_servers_call_the_portals_internal_pool():
    actions = next(d for d in of_kind("Deployment") if d["metadata"]["name"] == "goc-actions")
    env = {e["name"]: e["value"] for e in actions["spec"]["template"]["spec"]["containers"][0]["env"]}
    service = next(s for s in of_kind("Service") if s["metadata"]["name"] == "goc-portal-internal")
    assert env["PORTAL_URL"] == f"http://goc-portal-internal:{service['spec']['ports'][0]['port']}"
    assert service["spec"]["selector"] != next(s for s in of_kind("Service")
                                               if s["metadata"]["name"] == "goc-portal")["spec"]["selector"]


def test_deployments_select_their_own_pods_with_probes_and_resources():
    for deployment in of_kind("Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert deployment["spec"]["replicas"] >= 2
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            ports = {p["name"] for p in container["ports"]}
            for probe in ("livenessProbe", "readinessProbe"):
                assert container[probe]["httpGet"]["port"] in ports, (deployment["metadata"]["name"], probe)
            assert {"requests", "limits"} <= set(container["resources"])


def test_the_portal_is_ready_only_through_readyz_and_reads_the_index_read_only():
    portal = [d for d in of_kind("Deployment") if d["metadata"]["name"] == "goc-portal"][0]["spec"]["template"]["spec"]
    container = portal["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert any(m["mountPath"] == "/index" and m.get("readOnly") for m in container["volumeMounts"])


def test_services_reach_a_deployment_and_a_named_port():
    deployments = of_kind("Deployment")
    for service in of_kind("Service"):
        targets = [d for d in deployments
                   if service["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(targets) == 1, service["metadata"]["name"]
        names = {p["name"] for c in targets[0]["spec"]["template"]["spec"]["containers"] for p in c["ports"]}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= names


def test_references_exist_and_settings_are_ones_the_code_reads():
    config_maps = {d["metadata"]["name"] for d in of_kind("ConfigMap")}
    secrets = {d["metadata"]["name"] for d in of_kind("Secret")}
    claims = {d["metadata"]["name"] for d in of_kind("PersistentVolumeClaim")}
    for name, spec in pod_specs():
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps, name
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, name
        for volume in spec.get("volumes", []):
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims, name
    for doc in of_kind("ConfigMap"):
        assert set(doc["data"]) <= KEY_NAMES | OTHER_SETTINGS
    for doc in of_kind("Secret"):
        assert set(doc["stringData"]) <= KEY_NAMES | OTHER_SETTINGS
        assert all(value.count("<") and value.count(">") for value in doc["stringData"].values()), \
            "the Secret is a template: placeholders only, never a real value"
