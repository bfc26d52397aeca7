// SPDX-License-Identifier: Apache-2.0

import Foundation

/// A cluster dump in the shape `kubectl get pods -A -o json` prints: a `v1` `List` of Pods with everything a real
/// cluster adds (uid, resourceVersion, ownerReferences, labels, volumes, resources, tolerations, status with
/// conditions and containerStatuses), so readers see the fields they must ignore, not a minimal fixture.
public enum KubernetesDump {
    /// One pod's images and placement.
    public struct Pod: Sendable {
        public var name: String
        public var namespace: String
        public var serviceAccount: String
        public var containers: [String]
        public var initContainers: [String]
        public var ephemeralContainers: [String]

        public init(
            name: String, namespace: String, serviceAccount: String = "default", containers: [String],
            initContainers: [String] = [], ephemeralContainers: [String] = []
        ) {
            self.name = name
            self.namespace = namespace
            self.serviceAccount = serviceAccount
            self.containers = containers
            self.initContainers = initContainers
            self.ephemeralContainers = ephemeralContainers
        }
    }

    /// The JSON text of the dump.
    public static func json(_ pods: [Pod]) -> String {
        let items = pods.enumerated().map { index, pod in podObject(pod, index: index) }
        let list: [String: Any] = [
            "apiVersion": "v1", "kind": "List", "items": items, "metadata": ["resourceVersion": ""],
        ]
        let data = try! JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `count` pods spread over namespaces `team-0` … `team-9` (and `kube-system`), each with two containers and an
    /// init container; every seventh pod runs an image outside `us-docker.pkg.dev/prod-project/`.
    public static func synthetic(count: Int) -> [Pod] {
        (0..<count).map { index in
            let namespace = index % 11 == 10 ? "kube-system" : "team-\(index % 11)"
            let digest = String(repeating: String(format: "%02x", index % 256), count: 32)
            let app =
                index % 7 == 3
                ? "docker.io/library/nginx:1.27"
                : "us-docker.pkg.dev/prod-project/apps/app-\(index % 50)@sha256:\(digest)"
            return Pod(
                name: "app-\(index % 50)-7d9c8b6f5-\(String(index, radix: 36))", namespace: namespace,
                serviceAccount: index % 3 == 0 ? "default" : "runner",
                containers: [app, "us-docker.pkg.dev/prod-project/sidecars/proxy:1.4.2"],
                initContainers: ["us-docker.pkg.dev/prod-project/init/migrate:2"])
        }
    }

    private static func container(_ image: String, name: String) -> [String: Any] {
        [
            "name": name, "image": image, "imagePullPolicy": "IfNotPresent",
            "ports": [["containerPort": 8080, "protocol": "TCP"]],
            "resources": [
                "limits": ["cpu": "500m", "memory": "256Mi"], "requests": ["cpu": "100m", "memory": "64Mi"],
            ],
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
            "volumeMounts": [
                [
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x7k2p",
                    "readOnly": true,
                ]
            ],
        ]
    }

    private static func podObject(_ pod: Pod, index: Int) -> [String: Any] {
        let uid = String(format: "%08x-0000-4000-8000-%012x", index, index)
        var spec: [String: Any] = [
            "containers": pod.containers.enumerated().map { container($1, name: "c\($0)") },
            "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "nodeName": "gke-prod-pool-\(index % 5)",
            "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": [:], "serviceAccount": pod.serviceAccount,
            "serviceAccountName": pod.serviceAccount, "terminationGracePeriodSeconds": 30,
            "tolerations": [
                [
                    "effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
                    "tolerationSeconds": 300,
                ]
            ],
            "volumes": [["name": "kube-api-access-x7k2p", "projected": ["defaultMode": 420, "sources": []]]],
        ]
        if !pod.initContainers.isEmpty {
            spec["initContainers"] = pod.initContainers.enumerated().map { container($1, name: "init\($0)") }
        }
        if !pod.ephemeralContainers.isEmpty {
            spec["ephemeralContainers"] = pod.ephemeralContainers.enumerated().map {
                ["name": "debugger-\($0)", "image": $1, "stdin": true, "tty": true]
            }
        }
        let statuses = pod.containers.enumerated().map { offset, image -> [String: Any] in
            [
                "name": "c\(offset)", "image": image,
                "imageID": image.contains("@")
                    ? image
                    : image + "@sha256:"
                        + String(repeating: "0", count: 64), "ready": true, "restartCount": 0, "started": true,
                "state": ["running": ["startedAt": "2026-11-30T08:00:00Z"]],
            ]
        }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "creationTimestamp": "2026-11-30T08:00:00Z", "generateName": String(pod.name.dropLast(5)),
                "labels": ["app": "app-\(index % 50)", "pod-template-hash": "7d9c8b6f5"], "name": pod.name,
                "namespace": pod.namespace,
                "ownerReferences": [
                    [
                        "apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "ReplicaSet",
                        "name": "app-\(index % 50)-7d9c8b6f5", "uid": uid,
                    ]
                ],
                "resourceVersion": String(100_000 + index), "uid": uid,
            ],
            "spec": spec,
            "status": [
                "conditions": [
                    [
                        "lastProbeTime": NSNull(), "lastTransitionTime": "2026-11-30T08:00:00Z", "status": "True",
                        "type": "Ready",
                    ]
                ],
                "containerStatuses": statuses, "hostIP": "10.128.0.\(index % 250)", "phase": "Running",
                "podIP": "10.4.\(index / 250 % 250).\(index % 250)", "qosClass": "Burstable",
                "startTime": "2026-11-30T08:00:00Z",
            ],
        ]
    }
}
