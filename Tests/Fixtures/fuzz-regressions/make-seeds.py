#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed inputs of the fuzzing regression corpus: real fixtures of each parser family, and the hostile
inputs of the hostile-input issue, each built the way the finding describes. Inputs libFuzzer finds that crash,
hang or break an invariant are added next to these by hand (named after what they found) and never removed.

Run from the repository root: python3 Tests/Fixtures/fuzz-regressions/make-seeds.py
"""
import base64, glob, os, shutil, struct, zlib

ROOT = "Tests/Fixtures/fuzz-regressions"

def write(target, name, data):
    os.makedirs(f"{ROOT}/{target}", exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(f"{ROOT}/{target}/{name}", "wb") as f:
        f.write(data)

def copy(target, pattern, limit=40):
    for path in sorted(glob.glob(pattern, recursive=True))[:limit]:
        if os.path.getsize(path) <= 200_000:
            name = "seed-" + path.replace("Tests/Fixtures/", "").replace("/", "_")
            shutil.copy(path, f"{ROOT}/{target}/{name}")

for t in ["policy-yaml", "policy-json", "attestor", "occurrences", "manifest", "admission-review", "pgp-message",
          "pgp-key", "pkix", "payload", "image-reference"]:
    os.makedirs(f"{ROOT}/{t}", exist_ok=True)

# Real inputs.
copy("policy-yaml", "Tests/Fixtures/policy/*.y*ml")
copy("policy-yaml", "Tests/Fixtures/corpora/seed-article/**/*.yml")
copy("policy-yaml", "Tests/Fixtures/model/*.yaml")
copy("manifest", "Tests/Fixtures/manifests/*")
copy("pgp-message", "Tests/Fixtures/corpora/seed-article/**/generated_signature.pgp")
copy("pgp-message", "Tests/Fixtures/corpora/containers-image/signature/fixtures/*.signature", 12)
copy("pgp-message", "Tests/Fixtures/hostile/*")
copy("pgp-key", "Tests/Fixtures/corpora/seed-article/**/generated-key.pgp")
copy("pgp-key", "Tests/Fixtures/corpora/containers-image/signature/fixtures/*.gpg", 8)
copy("pkix", "Tests/Fixtures/corpora/kritis/pkg/attestlib/testvectors/*.pem", 16)
copy("payload", "Tests/Fixtures/corpora/seed-article/**/generated_payload.json")

# Policies: the findings.
deep = lambda n: "[" * n + "0" + "]" * n
write("policy-yaml", "finding-quote-in-plain-scalar", 'a: x"y\nb: ' + deep(1000) + "\n")
write("policy-yaml", "finding-escaped-backslash", 'a: "\\\\"\nb: ' + deep(1000) + "\n")
write("policy-yaml", "finding-block-nesting", "".join("  " * i + "-\n" for i in range(300)) + "  " * 300 + "x\n")
laughs = "l0: &l0 {" + ", ".join(f"k{i}: x" for i in range(10)) + "}\n"
for level in range(1, 9):
    laughs += f"l{level}: &l{level} {{" + ", ".join(f"k{i}: *l{level-1}" for i in range(10)) + "}\n"
write("policy-yaml", "finding-alias-keys-bomb", laughs)
write("policy-yaml", "finding-aliased-keys", "a: &a x\nb: {" + ", ".join(f"? *a : {i}" for i in range(50)) + "}\n")
write("policy-yaml", "merge-key", "defaultAdmissionRule:\n  <<: {evaluationMode: ALWAYS_DENY}\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n")
write("policy-yaml", "yaml11-keys", "kubernetesNamespaceAdmissionRules:\n  no: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n  0777: {evaluationMode: ALWAYS_ALLOW, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}\n  1:30: {}\n  .inf: {}\ndefaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n")
write("policy-yaml", "unicode-equivalent-keys", "clusterAdmissionRules:\n  caf\u00e9.x: {}\n  cafe\u0301.x: {}\n")
write("policy-yaml", "empty-default-rule", "defaultAdmissionRule:\n")
write("policy-json", "finding-json-array", "[" + "0," * 200_000 + "0]")
write("policy-json", "deep", deep(500))
write("policy-json", "duplicate-keys", '{"description": "a", "description": "b", "defaultAdmissionRule": {}}')
write("policy-json", "bom", "\ufeff{}")
write("policy-json", "nan", '{"description": NaN, "x": Infinity, "y": -Infinity}')
copy("policy-json", "Tests/Fixtures/manifests/*.json")

# Attestors and occurrences.
write("attestor", "pgp-and-pkix", """name: projects/p/attestors/a
userOwnedGrafeasNote:
  noteReference: projects/p/notes/n
  publicKeys:
  - id: ni:///sha-256;x
    pkixPublicKey:
      publicKeyPem: |
""" + "".join("        " + l + "\n" for l in open("Tests/Fixtures/corpora/kritis/pkg/attestlib/testvectors/ec256PubKey.pem").read().splitlines()) + """      signatureAlgorithm: ECDSA_P256_SHA256
""")
write("attestor", "pgp-as-pkix", "name: projects/p/attestors/a\nuserOwnedGrafeasNote:\n  noteReference: projects/p/notes/n\n  publicKeys:\n  - pkixPublicKey:\n      publicKeyPem: '-----BEGIN PGP PUBLIC KEY BLOCK-----'\n      signatureAlgorithm: ECDSA_P256_SHA256\n")
sig = {"signature": base64.b64encode(b"x" * 64).decode(), "publicKeyId": "urn:k"}
many = '{"resourceUri": "gcr.io/p/a@sha256:' + "a" * 64 + '", "noteName": "projects/p/notes/n", "attestation": {"serializedPayload": "e30=", "signatures": [' + ", ".join([str(sig).replace("'", '"')] * 2000) + "]}}"
write("occurrences", "finding-many-signatures", many)
write("occurrences", "list-page", '{"occurrences": [], "nextPageToken": "x"}')
write("occurrences", "v1beta1", '{"resource": {"uri": "https://gcr.io/p/a@sha256:' + "b" * 64 + '"}, "noteName": "projects/p/notes/n", "attestation": {"attestation": {"pgpSignedAttestation": {"signature": "x", "pgpKeyId": "A"}}}}')
write("occurrences", "urlsafe-bytes", '{"noteName": "projects/p/notes/n", "attestation": {"serializedPayload": "-_-_", "signatures": [{"signature": "-vv8_f7_Pz4=", "publicKeyId": "k"}]}}')

# Manifests: the findings.
write("manifest", "finding-merged-init-container", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  <<: {initContainers: [{name: x, image: gcr.io/evil/miner:latest}]}\n  containers: [{name: a, image: nginx}]\n")
write("manifest", "repeated-image-key", "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: good\n    image: evil\n")
write("manifest", "unknown-kind-template", "kind: Rollout\nspec:\n  template:\n    spec:\n      containers: [{image: x}]\n")
nested = '{"kind": "Pod", "spec": {"containers": [{"image": "x"}]}}'
for _ in range(60):
    nested = '{"kind": "List", "items": [' + nested + "]}"
write("manifest", "nested-lists", nested)
bomb = "p0: &p0 {kind: Pod, spec: {containers: [{image: x}]}}\n"
for level in range(1, 17):
    bomb += f"p{level}: &p{level} {{kind: List, items: [*p{level-1}, *p{level-1}]}}\n"
write("manifest", "alias-object-bomb", bomb + "kind: List\nitems: [*p16]\n")
write("manifest", "terminal-escapes", "kind: Pod\nspec: {containers: [{image: \"gcr.io/p/a\\e[2J\\n\"}]}\n")
write("admission-review", "pod", '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u", "kind": {"kind": "Pod"}, "resource": {"resource": "pods"}, "operation": "CREATE", "namespace": "default", "object": {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "gcr.io/allowed/x:1"}]}}}}')
write("admission-review", "cronjob-template", '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u", "kind": {"group": "batch", "kind": "CronJob"}, "resource": {"group": "batch", "resource": "cronjobs"}, "operation": "CREATE", "namespace": "default", "object": {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx:latest"}]}}}}}}}}')
write("admission-review", "duplicate-uid", '{"request": {"uid": "a", "uid": "b"}}')
write("admission-review", "deep", '{"request": ' + deep(300) + "}")

# OpenPGP.
write("pgp-message", "huge-length", bytes([0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0x62, 0x00]) + bytes(64))
write("pgp-message", "clearsigned", "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nx\n-----BEGIN PGP SIGNATURE-----\n\n=AAAA\n-----END PGP SIGNATURE-----\n")
write("pgp-message", "markers", bytes([0xCA, 0x03, 0x50, 0x47, 0x50]) * 100)
write("pgp-key", "pem-as-pgp", open("Tests/Fixtures/corpora/kritis/pkg/attestlib/testvectors/ec256PubKey.pem").read())

# PKIX: a 262,144-bit RSA modulus (the finding), DER of a real key, garbage.
def der(tag, body):
    n = len(body)
    if n < 128:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + body
rsa = der(0x30, der(0x02, b"\x00" + b"\xff" * (262144 // 8)) + der(0x02, b"\x01\x00\x01"))
spki = der(0x30, der(0x30, der(0x06, bytes.fromhex("2a864886f70d010101")) + b"\x05\x00") + der(0x03, b"\x00" + rsa))
write("pkix", "finding-huge-rsa-modulus.der", spki)
write("pkix", "finding-huge-rsa-modulus.pem", "-----BEGIN PUBLIC KEY-----\n" + "\n".join(base64.b64encode(spki).decode()[i:i+64] for i in range(0, len(base64.b64encode(spki)), 64)) + "\n-----END PUBLIC KEY-----\n")
write("pkix", "pgp-as-pem", open("Tests/Fixtures/corpora/seed-article/set-a/generated-key.pgp").read())

# Payloads and image references.
write("payload", "gcloud", '{\n  "critical": {\n    "identity": {\n      "docker-reference": "gcr.io/p/a"\n    },\n    "image": {\n      "docker-manifest-digest": "sha256:' + "a" * 64 + '"\n    },\n    "type": "Google cloud binauthz container signature"\n  }\n}\n')
write("payload", "url-with-port", "https://gcr.io:443/p/a@sha256:" + "a" * 64)
write("payload", "deep-json", deep(200))
for i, ref in enumerate(["nginx", "docker.io/library/nginx:1.25", "gcr.io/p/a@sha256:" + "a" * 64,
                         "localhost:5000/x/y:z", "[::1]:5000/a", "gcr.io/caf\u00e9/a", "gcr.io/cafe\u0301/a",
                         "a" * 300, "gcr.io/p/a:" + "t" * 200, "UPPER/case"]):
    write("image-reference", f"ref-{i}", ref)
print("seeds written under", ROOT)
