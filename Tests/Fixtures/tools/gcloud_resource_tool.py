# SPDX-License-Identifier: Apache-2.0
"""Drives gcloud's own Python code as an independent implementation for interop tests.

Run with gcloud's bundled interpreter (`<sdk>/platform/bundledpythonunix/bin/python3`). One JSON request per line
on stdin, one JSON answer per line on stdout. Request values may be strings (what `GcloudTool.batch` sends):
a field documented as an object or a list may be given as its JSON text, a boolean as "true"/"false", and
bytes are always base64 (standard alphabet) text.

Library-level ops (gcloud's functions called directly):

  {"op": "print", "kind": "Policy"|"Attestor"|<any v1 message>, "json": "<REST JSON>"}
      -> {"ok": true, "yaml": "<what `gcloud ... export/describe` prints>"}
  {"op": "import", "kind": "Policy"|"Attestor", "yaml": "<file text>"}
      -> {"ok": true} or {"ok": false, "error": "<ExceptionName>: <gcloud's message>"}

Command-level ops: the real gcloud command runs in-process (calliope argument parsing, the surface command's
Run, api_lib, apitools serialisation, the resource printer, gcloud's error and crash handling), with only the
HTTP transport replaced by an in-memory fake of the Google APIs (`FakeCloud`), so nothing touches the network
and no credentials are needed. Every command-level answer carries the raw observation:

  "exitCode": int,            # what the gcloud process would exit with (0, 1, 2 usage error / verdict)
  "stdout": str, "stderr": str,   # exactly what gcloud wrote (stdin is empty unless "answer" is given)
  "requests": [{"method", "url", "body"}],   # every HTTP request gcloud made (body = the exact text)
  "warnings": [...],          # Python warnings ({"source": "python", "category", "message", "problem",
                              #   "problemLine", "problemColumn"} -- 1-based, from ruamel's marks) and gcloud
                              #   log warnings ({"source": "gcloud", "message"}), in the order printed
  "error": str|null,          # when exitCode != 0: stderr from the first "ERROR: " line on, as the user sees it
  "errorMessage": str|null,   # that text without "ERROR: (gcloud.x.y) " and without argparse's usage block
  "crash": bool               # true when gcloud itself crashed ("ERROR: gcloud crashed (T): ...")

Common optional fields: "project" (default "p"), "track" ("ga" | "beta" | "alpha", default ga or the op's),
"answer" (text gcloud reads from stdin at a prompt; default: end of file, i.e. the prompt's default),
"quiet" (bool: pass --quiet), "encoding" (stdout encoding, default "utf-8"; "ascii" shows the ASCII table box).

  {"op": "policy-import", "fileName": "policy.yaml", "bytes": "<base64>", "project": "p"}
      `gcloud container binauthz policy import FILE`. Adds:
      "ok": exit 0 and a PUT was sent; "body": the PUT body as a JSON value; "bodyText": the exact body text
      (apitools encoding.MessageToJson); "canonical": json.dumps(body, sort_keys=True, separators=(",", ":"),
      ensure_ascii=False).
  {"op": "policy-export", "json": "<REST JSON the server returns>", "project": "p"}
      `gcloud container binauthz policy export`. Adds "yaml": stdout, "printYaml": the "print" op's output for
      the same JSON, "samePrinter": whether they agree.
  {"op": "attestors-describe", "attestor": <REST JSON>, "name": "A or projects/P/attestors/A"?, "format": "yaml"|"json"?}
  {"op": "attestors-list", "attestors": [<REST JSON>...]}
  {"op": "attestors-update", "attestor": <REST JSON>, "description": "..." (omit: no flag)}
  {"op": "public-keys-add", "attestor": <REST JSON>, "pgpPublicKey": "<base64>"? | "pkixPublicKey": "<base64>"?
      + "pkixAlgorithm": "ecdsa-p256-sha256"? | "kms": {"project","location","keyring","key","version",
      "pem": "<PEM text>", "algorithm": "<KMS enum name>"|null, "absent": bool}?, "comment"?, "idOverride"?,
      "extraArgs": [...]?}
  {"op": "public-keys-update", "attestor": <REST JSON>, "keyId": "...", "pgpPublicKey": "<base64>"?, "comment"?}
  {"op": "public-keys-remove", "attestor": <REST JSON>, "keyId": "..."}
      Attestor commands. `attestor` is what the fake server holds (omit it, or give "missing": true, to get a
      404). Adds "updates": the JSON bodies of every PUT (the attestor gcloud sends), "body": the last of them.
      The fake server, like the real one, fills in a blank key id on PUT: PGP keys get the v4 fingerprint
      (upper-case hex, computed with `gpg --show-keys`), PKIX keys get ni:///sha-256;base64url(SHA-256(DER));
      an unreadable key gets HTTP 400 "INVALID_ARGUMENT: (fake server) ...". KMS GetPublicKey returns
      {"pem", "algorithm", "name"} from the request's "kms".
  {"op": "attestations-create", "artifactUrl": "...", "note": "projects/P/notes/N"? | "attestor": "projects/P/attestors/A"?,
      "attestorJson": <REST JSON served for --attestor>?, "signature": "<base64>", "publicKeyId": "...",
      "payload": "<base64>"?, "validate": bool?, "validateResult": {"result": "VERIFIED"|"ATTESTATION_NOT_VERIFIABLE"|..,
      "denialReason": "..."}?, "noteProject": "..."?, "attestorProject": "..."?, "extraArgs": [...]?}
      `gcloud container binauthz attestations create`. Adds "ok", "body" (the Occurrence POSTed, as JSON),
      "bodyText", "canonical", and "validateRequest" (the ValidateAttestationOccurrence body, if sent).
  {"op": "platform-policy-parse", "fileName": "pp.yaml", "bytes": "<base64>", "project": "p", "policyId": "x"}
      `gcloud beta container binauthz policy create x --platform=gke --policy-file=FILE`. Adds "ok", "body",
      "bodyText", "canonical" (the PlatformPolicy POSTed) and "direct": {"ok", "json"|"error"} from calling
      parsing.LoadResourceFile + messages_util.DictToMessageWithErrorCheck(obj, PlatformPolicy) directly.
  {"op": "evaluate-response", "json": "<EvaluateGkePolicyResponse text the server returns>", "image": "..."?}
      `gcloud beta container binauthz policy evaluate projects/p/platforms/gke/policies/x --image=IMG`.
      Adds "yaml" (stdout), and "strict": {"ok", "error"} from DictToMessageWithErrorCheck(json,
      EvaluateGkePolicyResponse) (unknown fields, type mismatches).
  {"op": "deploy-attestations", "attestations": [websafe base64 DSSE, ...], "resource": "<JSON>"?}
      -> {"images": [{"url", "manifest", "config"}], "inlined": "<JSON, sorted keys>"?}: gcloud's
      AttestationToImageUrl, SigstoreAttestationImage and AddInlineAttestationsToResource.
  {"op": "enum-values", "api": "cloudkms", "version": "v1", "message": "PublicKey", "enum": "AlgorithmValueValuesEnum"}
      -> {"ok": true, "names": [...], "numbers": [...]} (an apitools enum, in number order)
  {"op": "gcloud", "argv": ["container", "binauthz", ...], "files": {"name": "<base64>"}, "state": {...}}
      Any command, raw. `state` holds what the fake server serves: "policy", "attestors" (list), "kms"
      ({version name: {"pem", "algorithm"}}), "validate" (response), "evaluate" (response text),
      "platformPolicies" (list).
"""
import base64
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from urllib.parse import parse_qs, urlsplit

root = os.environ.get("GCLOUD_SDK_ROOT", "/usr/lib/google-cloud-sdk")
sys.path.insert(0, os.path.join(root, "lib"))
sys.path.insert(0, os.path.join(root, "lib", "third_party"))

# gcloud reads its properties from the environment; keep a run hermetic and silent (no usage reporting,
# no update check, no survey), in a private configuration directory unless the caller gave one.
if "CLOUDSDK_CONFIG" not in os.environ:
    os.environ["CLOUDSDK_CONFIG"] = tempfile.mkdtemp(prefix="gcloud-oracle-config-")
os.environ["CLOUDSDK_CORE_DISABLE_USAGE_REPORTING"] = "true"
os.environ["CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK"] = "true"
os.environ["CLOUDSDK_SURVEY_DISABLE_PROMPTS"] = "true"
os.environ.pop("CLOUDSDK_CORE_PROJECT", None)
os.environ.pop("CLOUDSDK_CORE_DISABLE_PROMPTS", None)

from googlecloudsdk.api_lib.util import apis  # noqa: E402
from googlecloudsdk.api_lib.util import messages as messages_util  # noqa: E402
from googlecloudsdk.core import yaml as gcloud_yaml  # noqa: E402
from googlecloudsdk.core.resource import resource_printer  # noqa: E402

messages = apis.GetMessagesModule("binaryauthorization", "v1")


# ----------------------------------------------------------------------------------------------------------------
# Request helpers


def _obj(value, default=None):
    """A field that is a JSON value, or its JSON text."""
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _b64(value):
    if value is None:
        return None
    return base64.b64decode(value)


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# ----------------------------------------------------------------------------------------------------------------
# The fake Google APIs behind gcloud's HTTP transport


class FakeCloud(object):
    """In-memory stand-in for binaryauthorization, containeranalysis and cloudkms (v1).

    It only serves what the commands under test need. Its own error texts say "(fake server)"; they are not the
    real service's and are not part of any expected gcloud behaviour except for how gcloud prints an HTTP error.
    """

    def __init__(self, state):
        state = state or {}
        self.policy = _obj(state.get("policy"))
        self.attestors = {}
        for attestor in _obj(state.get("attestors"), []) or []:
            self.attestors[attestor.get("name")] = attestor
        self.kms = _obj(state.get("kms"), {}) or {}
        self.validate = _obj(state.get("validate"))
        self.evaluate = state.get("evaluate")
        self.platform_policies = {p.get("name"): p for p in _obj(state.get("platformPolicies"), []) or []}
        self.occurrences = []
        self.requests = []

    @staticmethod
    def _error(code, status, message):
        return code, json.dumps({"error": {"code": code, "message": message, "status": status}})

    def handle(self, method, url, body):
        parts = urlsplit(url)
        host = parts.netloc
        path = parts.path
        query = parse_qs(parts.query)
        if path.startswith("/v1/"):
            path = path[len("/v1/"):]
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        data = json.loads(text) if text else None
        if host.startswith("binaryauthorization."):
            return self._binauthz(method, path, query, data)
        if host.startswith("containeranalysis."):
            if method == "POST" and re.fullmatch(r"projects/[^/]+/occurrences", path):
                self.occurrences.append(data)
                return 200, json.dumps(data)
        if host.startswith("cloudkms."):
            match = re.fullmatch(r"(projects/.+/cryptoKeyVersions/[^/]+)/publicKey", path)
            if method == "GET" and match:
                key = self.kms.get(match.group(1))
                if key is None or key.get("absent"):
                    return self._error(404, "NOT_FOUND", "(fake server) %s not found." % match.group(1))
                answer = {"name": match.group(1)}
                for field in ("pem", "algorithm", "pemCrc32c", "protectionLevel"):
                    if key.get(field) is not None:
                        answer[field] = key[field]
                return 200, json.dumps(answer)
        return self._error(404, "NOT_FOUND", "(fake server) no such resource: %s %s" % (method, url))

    def _binauthz(self, method, path, query, data):
        if re.fullmatch(r"projects/[^/]+/policy", path):
            if method == "GET":
                if self.policy is None:
                    return self._error(404, "NOT_FOUND", "(fake server) no policy")
                return 200, self.policy if isinstance(self.policy, str) else json.dumps(self.policy)
            if method == "PUT":
                self.policy = data
                return 200, json.dumps(data)
        match = re.fullmatch(r"(projects/[^/]+)/attestors", path)
        if match and method == "GET":
            listed = [a for a in self.attestors.values()
                      if (a.get("name") or "").startswith(match.group(1) + "/")]
            return 200, json.dumps({"attestors": listed} if listed else {})
        if match and method == "POST":
            name = "%s/attestors/%s" % (match.group(1), query.get("attestorId", [""])[0])
            data["name"] = name
            self.attestors[name] = data
            return 200, json.dumps(data)
        match = re.fullmatch(r"(projects/[^/]+/attestors/[^/:]+)(:validateAttestationOccurrence)?", path)
        if match:
            name = match.group(1)
            if match.group(2):
                if name not in self.attestors:
                    return self._error(404, "NOT_FOUND", "(fake server) %s not found." % name)
                return 200, json.dumps(self.validate if self.validate is not None else {"result": "VERIFIED"})
            if method == "GET":
                if name not in self.attestors:
                    return self._error(404, "NOT_FOUND", "(fake server) %s not found." % name)
                return 200, json.dumps(self.attestors[name])
            if method == "PUT":
                try:
                    updated = _assign_key_ids(data)
                except ValueError as e:
                    return self._error(400, "INVALID_ARGUMENT", "(fake server) %s" % e)
                self.attestors[name] = updated
                return 200, json.dumps(updated)
            if method == "DELETE":
                self.attestors.pop(name, None)
                return 200, "{}"
        match = re.fullmatch(r"(projects/[^/]+/platforms/[^/]+)/policies", path)
        if match and method == "POST":
            data = dict(data or {})
            data["name"] = "%s/policies/%s" % (match.group(1), query.get("policyId", [""])[0])
            return 200, json.dumps(data)
        if re.fullmatch(r"projects/[^/]+/platforms/gke/policies/[^/:]+:evaluate", path) and method == "POST":
            if self.evaluate is None:
                return 200, json.dumps({"verdict": "CONFORMANT"})
            return 200, self.evaluate if isinstance(self.evaluate, str) else json.dumps(self.evaluate)
        return self._error(404, "NOT_FOUND", "(fake server) no such resource: %s %s" % (method, path))


def _pgp_fingerprint(armored):
    home = tempfile.mkdtemp(prefix="gcloud-oracle-gpg-")
    try:
        result = subprocess.run(
            ["gpg", "--homedir", home, "--batch", "--with-colons", "--show-keys"],
            input=armored.encode("utf-8"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if result.returncode != 0:
            raise ValueError("Invalid PGP public key")
        for line in result.stdout.decode("utf-8", "replace").splitlines():
            fields = line.split(":")
            if fields[0] == "fpr":
                return fields[9].upper()
        raise ValueError("Invalid PGP public key")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _pkix_default_id(pem):
    match = re.search(r"-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", pem or "", re.S)
    if not match:
        raise ValueError("Invalid PKIX public key")
    try:
        der = base64.b64decode("".join(match.group(1).split()), validate=True)
    except ValueError:
        raise ValueError("Invalid PKIX public key")
    digest = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode("ascii").rstrip("=")
    return "ni:///sha-256;" + digest


def _assign_key_ids(attestor):
    note = (attestor or {}).get("userOwnedGrafeasNote") or {}
    for key in note.get("publicKeys") or []:
        if key.get("asciiArmoredPgpPublicKey") is not None:
            key["id"] = _pgp_fingerprint(key["asciiArmoredPgpPublicKey"])
        elif not key.get("id") and key.get("pkixPublicKey") is not None:
            key["id"] = _pkix_default_id(key["pkixPublicKey"].get("publicKeyPem"))
    return attestor


class FakeHttp(object):
    """The httplib2-shaped object apitools calls; routes every request to the current FakeCloud."""

    connections = {}

    def __init__(self, harness):
        self.harness = harness

    def request(self, uri, method="GET", body=None, headers=None, redirections=5, connection_type=None):
        import httplib2
        cloud = self.harness.cloud
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        cloud.requests.append({"method": method, "url": uri, "body": text})
        status, content = cloud.handle(method, uri, body)
        info = httplib2.Response({"status": str(status), "content-type": "application/json; charset=UTF-8"})
        return info, content.encode("utf-8")


# ----------------------------------------------------------------------------------------------------------------
# Running gcloud commands in-process


class Harness(object):
    """One gcloud CLI (built once), run once per request in a fresh working directory."""

    def __init__(self):
        from googlecloudsdk.core.credentials import transports
        transports.GetApitoolsTransport = lambda *args, **kwargs: FakeHttp(self)
        from googlecloudsdk import gcloud_main
        self.cli = gcloud_main.CreateCLI([])
        self.cloud = FakeCloud({})

    def run(self, argv, files=None, state=None, answer=None, encoding="utf-8", stdin_bytes=None):
        from googlecloudsdk.command_lib import crash_handling
        from googlecloudsdk.core import log
        from googlecloudsdk.core.console import console_attr

        self.cloud = FakeCloud(state)
        workdir = tempfile.mkdtemp(prefix="gcloud-oracle-")
        old_cwd = os.getcwd()
        out_bytes = io.BytesIO()
        out = io.TextIOWrapper(out_bytes, encoding=encoding, errors="backslashreplace", write_through=True)
        err_bytes = io.BytesIO()
        err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True)
        if stdin_bytes is None:
            stdin_bytes = (answer or "").encode("utf-8")
        stdin = io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8")
        recorded = []
        code = 0
        crashed = False
        try:
            for name, data in (files or {}).items():
                path = os.path.join(workdir, name)
                if not os.path.abspath(path).startswith(workdir + os.sep):
                    raise ValueError("file names must stay inside the working directory: %r" % name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
            os.chdir(workdir)
            saved = sys.stdin, sys.stdout, sys.stderr
            sys.stdin, sys.stdout, sys.stderr = stdin, out, err
            try:
                with warnings.catch_warnings():
                    # catch_warnings forgets which warnings were already shown, so each request behaves like
                    # a fresh gcloud process (Python shows a given FutureWarning once per process).
                    original = warnings.showwarning

                    def show(message, category, filename, lineno, file=None, line=None):
                        recorded.append(_describe_warning(message, category))
                        original(message, category, filename, lineno, file=file, line=line)

                    warnings.showwarning = show
                    log.Reset(out, err)
                    console_attr.ResetConsoleAttr()
                    try:
                        self.cli.Execute(list(argv))
                    except SystemExit as e:
                        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                    except Exception as e:  # noqa: BLE001 -- what gcloud_main's CrashManager does
                        crashed = True
                        try:
                            crash_handling.HandleGcloudCrash(e)
                        except Exception:  # noqa: BLE001
                            pass
                        code = 1
            finally:
                sys.stdin, sys.stdout, sys.stderr = saved
                log.Reset()
        finally:
            os.chdir(old_cwd)
            shutil.rmtree(workdir, ignore_errors=True)
        out.flush()
        err.flush()
        stdout = out_bytes.getvalue().decode(encoding, "replace")
        stderr = err_bytes.getvalue().decode("utf-8", "replace")
        result = {
            "exitCode": code,
            "stdout": stdout,
            "stderr": stderr,
            "requests": self.cloud.requests,
            "warnings": _merge_warnings(recorded, stderr),
            "crash": crashed,
        }
        result.update(_error_of(stderr))
        return result


def _describe_warning(message, category):
    described = {"source": "python", "category": category.__name__, "message": str(message)}
    problem = getattr(message, "problem", None)
    if problem is not None:
        described["problem"] = problem
        mark = getattr(message, "problem_mark", None)
        if mark is not None:
            described["problemLine"] = mark.line + 1
            described["problemColumn"] = mark.column + 1
        context_mark = getattr(message, "context_mark", None)
        if context_mark is not None:
            described["contextLine"] = context_mark.line + 1
            described["contextColumn"] = context_mark.column + 1
    return described


def _merge_warnings(python_warnings, stderr):
    warnings_out = list(python_warnings)
    for line in stderr.splitlines():
        if line.startswith("WARNING: "):
            warnings_out.append({"source": "gcloud", "message": line[len("WARNING: "):]})
    return warnings_out


def _error_of(stderr):
    # The command's own error ("ERROR: (gcloud.x.y) ..." or "ERROR: gcloud crashed ...") rather than an error a
    # command merely logged before it (e.g. --validate's "ERROR: Attestation could not be validated! ...").
    starts = [m.start() for m in re.finditer(r"(?m)^ERROR: ", stderr)]
    own = [i for i in starts if stderr.startswith(("ERROR: (gcloud", "ERROR: gcloud crashed"), i)]
    index = own[0] if own else (starts[0] if starts else -1)
    if index < 0:
        return {"error": None, "errorMessage": None}
    error = stderr[index:]
    message = error[len("ERROR: "):]
    match = re.match(r"\(gcloud(\.[\w-]+)*\) ", message)
    if match:
        message = message[match.end():]
    usage = message.find("\nUsage: gcloud ")
    if usage >= 0:
        message = message[:usage + 1]
    return {"error": error.rstrip("\n"), "errorMessage": message.rstrip("\n")}


_harness = None


def harness():
    global _harness
    if _harness is None:
        _harness = Harness()
    return _harness


def _track(request, default="ga"):
    track = (request.get("track") or default).lower()
    return [] if track == "ga" else [track]


def _common_flags(request):
    flags = ["--project=%s" % request.get("project", "p")]
    if _bool(request.get("quiet", False)):
        flags.append("--quiet")
    return flags


def _run(request, argv, files=None, state=None, stdin_bytes=None):
    return harness().run(
        argv + _common_flags(request) + list(_obj(request.get("extraArgs"), []) or []), files=files, state=state,
        answer=request.get("answer"), encoding=request.get("encoding") or "utf-8", stdin_bytes=stdin_bytes)


def _with_body(result, method, url_pattern):
    sent = [r for r in result["requests"] if r["method"] == method and re.search(url_pattern, r["url"])]
    body_text = sent[-1]["body"] if sent else None
    body = json.loads(body_text) if body_text else None
    result["ok"] = result["exitCode"] == 0 and bool(sent)
    result["bodyText"] = body_text
    result["body"] = body
    result["canonical"] = _canonical(body) if body is not None else None
    return result


# ----------------------------------------------------------------------------------------------------------------
# Ops


def op_print(request):
    kind = getattr(messages, request["kind"])
    message = messages_util.DictToMessageWithErrorCheck(json.loads(request["json"]), kind)
    out = io.StringIO()
    resource_printer.Print(message, "yaml", out=out)
    return {"ok": True, "yaml": out.getvalue()}


def op_import(request):
    kind = getattr(messages, request["kind"])
    try:
        data = gcloud_yaml.load(request["yaml"])
        if data is None:
            return {"ok": False, "error": "Empty resource provided!"}
        messages_util.DictToMessageWithErrorCheck(data, kind)
        return {"ok": True}
    except Exception as e:  # gcloud surfaces every failure as an error message
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}


def op_policy_import(request):
    name = request.get("fileName", "policy.yaml")
    files = {name: _b64(request.get("bytes", ""))} if not _bool(request.get("noFile", False)) else {}
    result = _run(request, _track(request) + ["container", "binauthz", "policy", "import", name], files=files,
                  state={"policy": None})
    return _with_body(result, "PUT", r"/v1/projects/[^/]+/policy\b")


def op_policy_export(request):
    text = request["json"]
    result = _run(request, _track(request) + ["container", "binauthz", "policy", "export"], state={"policy": text})
    result["yaml"] = result["stdout"]
    try:
        result["printYaml"] = op_print({"kind": "Policy", "json": text})["yaml"]
    except Exception as e:  # noqa: BLE001
        result["printYaml"] = None
        result["printError"] = "%s: %s" % (type(e).__name__, e)
    result["samePrinter"] = result["printYaml"] == result["stdout"]
    result["ok"] = result["exitCode"] == 0
    return result


def _attestor_state(request):
    attestor = _obj(request.get("attestor"))
    attestors = _obj(request.get("attestors"))
    if attestors is None:
        attestors = [] if attestor is None or _bool(request.get("missing", False)) else [attestor]
    return {"attestors": attestors, "kms": {}}


def _attestor_name(request):
    if request.get("name"):
        return request["name"]
    attestor = _obj(request.get("attestor")) or {}
    return attestor.get("name") or "projects/p/attestors/a"


def _attestor_result(result):
    updates = [json.loads(r["body"]) for r in result["requests"] if r["method"] == "PUT" and r["body"]]
    result["updates"] = updates
    result["body"] = updates[-1] if updates else None
    result["canonical"] = _canonical(updates[-1]) if updates else None
    result["ok"] = result["exitCode"] == 0
    return result


def op_attestors_describe(request):
    argv = _track(request) + ["container", "binauthz", "attestors", "describe", _attestor_name(request)]
    if request.get("format"):
        argv.append("--format=%s" % request["format"])
    return _attestor_result(_run(request, argv, state=_attestor_state(request)))


def op_attestors_list(request):
    argv = _track(request) + ["container", "binauthz", "attestors", "list"]
    if request.get("format"):
        argv.append("--format=%s" % request["format"])
    return _attestor_result(_run(request, argv, state={"attestors": _obj(request.get("attestors"), [])}))


def op_attestors_update(request):
    argv = _track(request) + ["container", "binauthz", "attestors", "update", _attestor_name(request)]
    if request.get("description") is not None:
        argv.append("--description=%s" % request["description"])
    return _attestor_result(_run(request, argv, state=_attestor_state(request)))


def op_public_keys_add(request):
    argv = _track(request) + ["container", "binauthz", "attestors", "public-keys", "add",
                              "--attestor=%s" % _attestor_name(request)]
    files = {}
    state = _attestor_state(request)
    if request.get("pgpPublicKey") is not None:
        files["key.asc"] = _b64(request["pgpPublicKey"])
        argv.append("--pgp-public-key-file=key.asc")
    if request.get("pkixPublicKey") is not None:
        files["key.pem"] = _b64(request["pkixPublicKey"])
        argv.append("--pkix-public-key-file=key.pem")
    if request.get("pkixAlgorithm") is not None:
        argv.append("--pkix-public-key-algorithm=%s" % request["pkixAlgorithm"])
    kms = _obj(request.get("kms"))
    if kms is not None:
        flags = [("project", "--keyversion-project"), ("location", "--keyversion-location"),
                 ("keyring", "--keyversion-keyring"), ("key", "--keyversion-key"), ("version", "--keyversion")]
        for field, flag in flags:
            if kms.get(field) is not None:
                argv.append("%s=%s" % (flag, kms[field]))
        # Without --keyversion-project gcloud falls back to --project; serve the key under that name.
        parts = dict((f, kms.get(f)) for f, _ in flags)
        parts["project"] = parts["project"] or request.get("project", "p")
        name = "projects/%s/locations/%s/keyRings/%s/cryptoKeys/%s/cryptoKeyVersions/%s" % tuple(
            parts[f] for f, _ in flags)
        state["kms"] = {name: kms}
    if request.get("comment") is not None:
        argv.append("--comment=%s" % request["comment"])
    if request.get("idOverride") is not None:
        argv.append("--public-key-id-override=%s" % request["idOverride"])
    return _attestor_result(_run(request, argv, files=files, state=state))


def op_public_keys_update(request):
    argv = _track(request) + ["container", "binauthz", "attestors", "public-keys", "update", request["keyId"],
                              "--attestor=%s" % _attestor_name(request)]
    files = {}
    if request.get("pgpPublicKey") is not None:
        files["key.asc"] = _b64(request["pgpPublicKey"])
        argv.append("--pgp-public-key-file=key.asc")
    if request.get("comment") is not None:
        argv.append("--comment=%s" % request["comment"])
    return _attestor_result(_run(request, argv, files=files, state=_attestor_state(request)))


def op_public_keys_remove(request):
    argv = _track(request) + ["container", "binauthz", "attestors", "public-keys", "remove", request["keyId"],
                              "--attestor=%s" % _attestor_name(request)]
    return _attestor_result(_run(request, argv, state=_attestor_state(request)))


def op_attestations_create(request):
    argv = _track(request) + ["container", "binauthz", "attestations", "create",
                              "--artifact-url=%s" % request["artifactUrl"], "--signature-file=signature.bin",
                              "--public-key-id=%s" % request.get("publicKeyId", "")]
    files = {"signature.bin": _b64(request.get("signature", ""))}
    state = {"attestors": [], "validate": _obj(request.get("validateResult"))}
    if request.get("attestor") is not None:
        argv.append("--attestor=%s" % request["attestor"])
        attestor = _obj(request.get("attestorJson"))
        if attestor is None:
            attestor = {"name": request["attestor"] if request["attestor"].startswith("projects/")
                        else "projects/%s/attestors/%s" % (request.get("attestorProject") or
                                                            request.get("project", "p"), request["attestor"]),
                        "userOwnedGrafeasNote": {"noteReference": "projects/p/notes/n"}}
        state["attestors"] = [attestor]
    if request.get("attestorProject") is not None:
        argv.append("--attestor-project=%s" % request["attestorProject"])
    if request.get("note") is not None:
        argv.append("--note=%s" % request["note"])
    if request.get("noteProject") is not None:
        argv.append("--note-project=%s" % request["noteProject"])
    if request.get("payload") is not None:
        files["payload.json"] = _b64(request["payload"])
        argv.append("--payload-file=payload.json")
    if _bool(request.get("validate", False)):
        argv.append("--validate")
    result = _with_body(_run(request, argv, files=files, state=state), "POST", r"/v1/projects/[^/]+/occurrences")
    validations = [r for r in result["requests"] if ":validateAttestationOccurrence" in r["url"]]
    result["validateRequest"] = json.loads(validations[-1]["body"]) if validations else None
    return result


def _direct_platform_parse(name, data):
    from googlecloudsdk.command_lib.container.binauthz import parsing
    workdir = tempfile.mkdtemp(prefix="gcloud-oracle-")
    old_cwd = os.getcwd()
    try:
        path = os.path.join(workdir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chdir(workdir)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = parsing.LoadResourceFile(name)
            message = messages_util.DictToMessageWithErrorCheck(obj, messages.PlatformPolicy)
        from apitools.base.py import encoding
        return {"ok": True, "json": json.loads(encoding.MessageToJson(message))}
    except Exception as e:  # noqa: BLE001
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    finally:
        os.chdir(old_cwd)
        shutil.rmtree(workdir, ignore_errors=True)


def op_platform_policy_parse(request):
    name = request.get("fileName", "policy.yaml")
    data = _b64(request.get("bytes", ""))
    policy_id = request.get("policyId", "x")
    argv = _track(request, "beta") + ["container", "binauthz", "policy", "create", policy_id, "--platform=gke",
                                      "--policy-file=%s" % name]
    result = _with_body(_run(request, argv, files={name: data}), "POST", r"/platforms/gke/policies\?")
    result["direct"] = _direct_platform_parse(name, data)
    return result


def op_evaluate_response(request):
    text = request["json"]
    image = request.get("image") or "gcr.io/p/img@sha256:" + "a" * 64
    argv = _track(request, "beta") + ["container", "binauthz", "policy", "evaluate",
                                      request.get("policy", "projects/p/platforms/gke/policies/x"),
                                      "--image=%s" % image]
    if request.get("format"):
        argv.append("--format=%s" % request["format"])
    result = _run(request, argv, state={"evaluate": text})
    result["yaml"] = result["stdout"]
    try:
        messages_util.DictToMessageWithErrorCheck(json.loads(text), messages.EvaluateGkePolicyResponse)
        result["strict"] = {"ok": True, "error": None}
    except Exception as e:  # noqa: BLE001
        result["strict"] = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    result["ok"] = result["exitCode"] in (0, 2) and not result["crash"] and result["error"] is None
    return result


def op_deploy_attestations(request):
    """gcloud's own helpers over deploy attestations: AttestationToImageUrl for each, the SigstoreAttestationImage
    (manifest and config) it would push for each decoded attestation, and AddInlineAttestationsToResource over a
    resource (JSON text)."""
    from containerregistry.client import docker_name
    from googlecloudsdk.command_lib.container.binauthz import sigstore_image
    from googlecloudsdk.command_lib.container.binauthz import util as binauthz_util
    # containerregistry names the program in created_by (basename of sys.argv[0]); gcloud runs as lib/gcloud.py.
    docker_name.USER_AGENT = "//containerregistry/client:gcloud.py"
    attestations = request.get("attestations") or []
    images = []
    for attestation in attestations:
        blob = sigstore_image.StandardOrUrlsafeBase64Decode(attestation)
        image = sigstore_image.SigstoreAttestationImage([blob])
        images.append({"url": sigstore_image.AttestationToImageUrl(attestation),
                       "manifest": image.manifest(), "config": image.config_file()})
    result = {"ok": True, "images": images}
    if request.get("resource"):
        result["inlined"] = json.dumps(
            binauthz_util.AddInlineAttestationsToResource(json.loads(request["resource"]), attestations),
            sort_keys=True)
    return result


def op_enum_values(request):
    module = apis.GetMessagesModule(request.get("api", "binaryauthorization"), request.get("version", "v1"))
    enum = getattr(getattr(module, request["message"]), request["enum"])
    return {"ok": True, "names": [value.name for value in sorted(enum, key=lambda v: v.number)],
            "numbers": [value.number for value in sorted(enum, key=lambda v: v.number)]}


def op_gcloud(request):
    files = {name: _b64(data) for name, data in (_obj(request.get("files"), {}) or {}).items()}
    return harness().run(
        _obj(request["argv"]), files=files, state=_obj(request.get("state"), {}), answer=request.get("answer"),
        encoding=request.get("encoding") or "utf-8", stdin_bytes=_b64(request.get("stdin")))


OPS = {
    "print": op_print,
    "import": op_import,
    "policy-import": op_policy_import,
    "policy-export": op_policy_export,
    "attestors-describe": op_attestors_describe,
    "attestors-list": op_attestors_list,
    "attestors-update": op_attestors_update,
    "public-keys-add": op_public_keys_add,
    "public-keys-update": op_public_keys_update,
    "public-keys-remove": op_public_keys_remove,
    "attestations-create": op_attestations_create,
    "platform-policy-parse": op_platform_policy_parse,
    "evaluate-response": op_evaluate_response,
    "deploy-attestations": op_deploy_attestations,
    "enum-values": op_enum_values,
    "gcloud": op_gcloud,
}


def handle(request):
    op = OPS.get(request.get("op"))
    if op is None:
        raise ValueError("unknown op")
    return op(request)


def main():
    stdout = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as e:  # noqa: BLE001
            answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


if __name__ == "__main__":
    main()
