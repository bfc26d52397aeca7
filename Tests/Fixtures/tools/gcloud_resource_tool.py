# SPDX-License-Identifier: Apache-2.0
"""Drives gcloud's own Python code as an independent implementation for interop tests.

Run with gcloud's bundled interpreter. Commands (one JSON request per line on stdin, one JSON answer per line):
  {"op": "print", "kind": "Policy"|"Attestor", "json": "<REST JSON>"}
      -> {"ok": true, "yaml": "<what `gcloud ... export/describe` prints>"}
  {"op": "import", "kind": "Policy"|"Attestor", "yaml": "<file text>"}
      -> {"ok": true} or {"ok": false, "error": "<gcloud's message>"}
"""
import io
import json
import os
import sys

root = os.environ.get("GCLOUD_SDK_ROOT", "/usr/lib/google-cloud-sdk")
sys.path.insert(0, os.path.join(root, "lib"))
sys.path.insert(0, os.path.join(root, "lib", "third_party"))

from googlecloudsdk.api_lib.util import apis  # noqa: E402
from googlecloudsdk.api_lib.util import messages as messages_util  # noqa: E402
from googlecloudsdk.core import yaml as gcloud_yaml  # noqa: E402
from googlecloudsdk.core.resource import resource_printer  # noqa: E402

messages = apis.GetMessagesModule("binaryauthorization", "v1")


def handle(request):
    kind = getattr(messages, request["kind"])
    if request["op"] == "print":
        message = messages_util.DictToMessageWithErrorCheck(json.loads(request["json"]), kind)
        out = io.StringIO()
        resource_printer.Print(message, "yaml", out=out)
        return {"ok": True, "yaml": out.getvalue()}
    if request["op"] == "import":
        try:
            data = gcloud_yaml.load(request["yaml"])
            if data is None:
                return {"ok": False, "error": "Empty resource provided!"}
            messages_util.DictToMessageWithErrorCheck(data, kind)
            return {"ok": True}
        except Exception as e:  # gcloud surfaces every failure as an error message
            return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    raise ValueError("unknown op")


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        answer = handle(json.loads(line))
    except Exception as e:
        answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
