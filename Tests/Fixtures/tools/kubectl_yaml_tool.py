# SPDX-License-Identifier: Apache-2.0
"""Asks the installed kubectl, offline, what JSON it would send for a manifest file.

kubectl reads manifests with k8s.io/cli-runtime's resource builder (YAMLOrJSONDecoder -> sigs.k8s.io/yaml, a fork
of go-yaml v2 -> JSON), flattens `List` objects and multi-document streams, and needs the API server's discovery
to map each kind to a resource. This tool answers that discovery itself: it serves a fixed discovery document on a
loopback port (no other endpoint exists; nothing leaves the machine) and runs

    kubectl create --dry-run=client -o json --validate=false -f FILE

with a private kubeconfig (context namespace "default") and a private HOME (discovery cache). `--dry-run=client`
sends nothing; what it prints is the object it would POST. Served kinds: v1 Pod, ReplicationController,
PodTemplate, ConfigMap, Namespace (cluster-scoped); apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet;
batch/v1 Job, CronJob; example.com/v1 Thing (stands for any custom resource, e.g. one with a pod template).
A kind outside this list gets kubectl's `no matches for kind` error, as on a cluster without that CRD.

Mode "local" runs `kubectl patch --local --type=merge -p {} -o json -f FILE` instead (no server at all; the same
file reader, but built-in kinds go through their typed Go structs, so unknown fields of built-in kinds are
dropped and values are re-encoded).

Usage:
  kubectl_yaml_tool.py FILE [--mode create|local]     -> prints {"ok", "exitCode", "objects", "stderr", "error"}
  kubectl_yaml_tool.py --serve                         -> one JSON request per line on stdin:
      {"fileName": "m.yaml", "bytes": "<base64>", "mode": "create"|"local"}  -> the same answer, one per line
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


def _resource(name, kind, namespaced=True):
    return {"name": name, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
            "verbs": ["create", "delete", "get", "list", "patch", "update"]}


def _group(name):
    version = {"groupVersion": name + "/v1", "version": "v1"}
    return {"name": name, "versions": [version], "preferredVersion": version}


DISCOVERY = {
    "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.0"},
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(g) for g in ("apps", "batch", "example.com")]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        _resource("pods", "Pod"), _resource("replicationcontrollers", "ReplicationController"),
        _resource("podtemplates", "PodTemplate"), _resource("configmaps", "ConfigMap"),
        _resource("namespaces", "Namespace", namespaced=False)]},
    "/apis/apps/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apps/v1", "resources": [
        _resource("deployments", "Deployment"), _resource("replicasets", "ReplicaSet"),
        _resource("statefulsets", "StatefulSet"), _resource("daemonsets", "DaemonSet")]},
    "/apis/batch/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "batch/v1", "resources": [
        _resource("jobs", "Job"), _resource("cronjobs", "CronJob")]},
    "/apis/example.com/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "example.com/v1",
                             "resources": [_resource("things", "Thing")]},
}


class _Discovery(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        document = DISCOVERY.get(self.path.split("?")[0])
        body = json.dumps(document if document is not None else
                          {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                           "code": 404}).encode()
        self.send_response(200 if document is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 -- never used by --dry-run=client; refuse so nothing is "created"
        self.send_response(405)
        self.end_headers()

    def log_message(self, *args):
        pass


class Kubectl(object):
    def __init__(self, kubectl=None):
        self.kubectl = kubectl or shutil.which("kubectl")
        if not self.kubectl:
            raise RuntimeError("kubectl is not installed")
        self.home = tempfile.mkdtemp(prefix="kubectl-oracle-")
        self.server = HTTPServer(("127.0.0.1", 0), _Discovery)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.kubeconfig = os.path.join(self.home, "kubeconfig")
        with open(self.kubeconfig, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "Config", "current-context": "oracle",
                       "clusters": [{"name": "oracle", "cluster": {
                           "server": "http://127.0.0.1:%d" % self.server.server_address[1]}}],
                       "users": [{"name": "oracle", "user": {}}],
                       "contexts": [{"name": "oracle", "context": {"cluster": "oracle", "user": "oracle",
                                                                   "namespace": "default"}}]}, f)

    def close(self):
        self.server.shutdown()
        shutil.rmtree(self.home, ignore_errors=True)

    def convert(self, file_name, data, mode="create"):
        workdir = tempfile.mkdtemp(prefix="manifest-", dir=self.home)
        try:
            path = os.path.join(workdir, file_name)
            if not os.path.abspath(path).startswith(workdir + os.sep):
                raise ValueError("file names must stay inside the working directory")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home, "LANG": "C.UTF-8"}
            if mode == "local":
                env["KUBECONFIG"] = os.devnull
                argv = [self.kubectl, "patch", "--local", "--type=merge", "-p", "{}", "-o", "json", "-f", file_name]
            else:
                env["KUBECONFIG"] = self.kubeconfig
                argv = [self.kubectl, "create", "--dry-run=client", "-o", "json", "--validate=false", "-f", file_name]
            result = subprocess.run(argv, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    timeout=60)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        stdout = result.stdout.decode("utf-8", "replace")
        stderr = result.stderr.decode("utf-8", "replace").replace(workdir + os.sep, "")
        objects = []
        decoder = json.JSONDecoder()
        index = 0
        while True:
            while index < len(stdout) and stdout[index].isspace():
                index += 1
            if index >= len(stdout):
                break
            value, index = decoder.raw_decode(stdout, index)
            objects.append(value)
        error = None
        if result.returncode != 0:
            lines = [line for line in stderr.splitlines() if line.strip()]
            error = "\n".join(lines)
        return {"ok": result.returncode == 0, "exitCode": result.returncode, "objects": objects, "stderr": stderr,
                "error": error}


def main(argv):
    if "--serve" in argv:
        tool = Kubectl()
        try:
            for line in sys.stdin:
                if not line.strip():
                    continue
                try:
                    request = json.loads(line)
                    answer = tool.convert(request.get("fileName", "manifest.yaml"),
                                          base64.b64decode(request.get("bytes", "")), request.get("mode", "create"))
                except Exception as e:  # noqa: BLE001
                    answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
                sys.stdout.write(json.dumps(answer) + "\n")
                sys.stdout.flush()
        finally:
            tool.close()
        return 0
    if not argv:
        sys.stderr.write(__doc__)
        return 64
    mode = "create"
    if "--mode" in argv:
        mode = argv[argv.index("--mode") + 1]
    with open(argv[0], "rb") as f:
        data = f.read()
    tool = Kubectl()
    try:
        answer = tool.convert(os.path.basename(argv[0]), data, mode)
    finally:
        tool.close()
    sys.stdout.write(json.dumps(answer, indent=2) + "\n")
    return 0 if answer["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
