// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// When an image was uploaded to its registry: the evidence `imageFreshnessCheck` decides on.
public struct ImageUpload: Hashable, Sendable {
    /// The image: `us-docker.pkg.dev/p/r/app@sha256:…` (found by digest), or any reference as pods name it.
    public var image: String
    /// When the registry received it.
    public var uploadTime: Date

    /// Records an upload.
    public init(image: String, uploadTime: Date) {
        self.image = image
        self.uploadTime = uploadTime
    }

    /// Reads every upload time in Artifact Registry image metadata (JSON or YAML):
    ///
    /// - a `DockerImage` as the v1 API returns it (`projects.locations.repositories.dockerImages.get`):
    ///   `{"uri": "us-docker.pkg.dev/p/r/app@sha256:…", "uploadTime": "2024-05-21T12:13:44.123456Z", …}`;
    /// - a saved page of `dockerImages.list`: `{"dockerImages": [...], "nextPageToken": …}`;
    /// - what `gcloud artifacts docker images list IMAGE_PATH --format=json` prints: a list of
    ///   `{"package": "us-docker.pkg.dev/p/r/app", "version": "sha256:…", "createTime": …}`, where gcloud puts the
    ///   image's `uploadTime` in `createTime`;
    /// - a list of any of these, or several YAML documents.
    ///
    /// `gcloud artifacts docker images describe` prints no upload time; its output is refused with that advice.
    ///
    /// - Throws: `ModelError` naming the field (`[2].uploadTime`) and line, for anything else.
    public static func readAll(text: String, format: ResourceFormat? = nil, limits: InputLimits = .default)
        throws(ModelError) -> [ImageUpload]
    {
        var uploads: [ImageUpload] = []
        for document in try ResourceFormat.documents(in: text, format: format, limits: limits) {
            try read(document, path: "", into: &uploads)
        }
        return uploads
    }

    private static func read(_ node: TreeNode, path: String, into uploads: inout [ImageUpload]) throws(ModelError) {
        switch node.value {
        case .null:
            return
        case .list(let items):
            for (index, item) in items.enumerated() {
                try read(item, path: "\(path)[\(index)]", into: &uploads)
            }
        case .map:
            if let list = node.field("dockerImages") {
                guard case .list = list.value else {
                    throw ModelError(
                        code: .typeMismatch, path: FieldPath.join(path, "dockerImages"), line: list.location?.line,
                        message: list.mismatch(expected: "a list"))
                }
                try read(list, path: FieldPath.join(path, "dockerImages"), into: &uploads)
                return
            }
            uploads.append(try readOne(node, path: path))
        default:
            throw ModelError(
                code: .typeMismatch, path: path, line: node.location?.line,
                message: node.mismatch(expected: "Artifact Registry image metadata (a mapping or a list)"))
        }
    }

    private static func readOne(_ node: TreeNode, path: String) throws(ModelError) -> ImageUpload {
        func string(_ field: String) throws(ModelError) -> (String, TreeNode)? {
            guard let value = node.field(field) else { return nil }
            switch value.value {
            case .string(let text), .timestamp(let text): return (text, value)
            default:
                throw ModelError(
                    code: .typeMismatch, path: FieldPath.join(path, field), line: value.location?.line,
                    message: value.mismatch(expected: "a string"))
            }
        }
        let image: String
        let timeField: String
        if let (uri, _) = try string("uri") {
            image = uri
            timeField = "uploadTime"
        } else if let (package, _) = try string("package") {
            guard let (version, _) = try string("version") else {
                throw ModelError(
                    code: .missingField, path: FieldPath.join(path, "version"), line: node.location?.line,
                    message: "`gcloud artifacts docker images list` output has the image digest in version; it is "
                        + "missing")
            }
            image = version.hasPrefix("sha256:") ? "\(package)@\(version)" : "\(package):\(version)"
            timeField = "createTime"
        } else if node.field("image_summary") != nil {
            throw ModelError(
                code: .missingField, path: FieldPath.join(path, "image_summary"), line: node.location?.line,
                message: "`gcloud artifacts docker images describe` prints no upload time; save "
                    + "`gcloud artifacts docker images list IMAGE_PATH --format=json` (its createTime is the upload "
                    + "time), or give --upload-time IMAGE=TIME")
        } else {
            throw ModelError(
                code: .missingField, path: FieldPath.join(path, "uri"), line: node.location?.line,
                message: "not Artifact Registry image metadata: expected a DockerImage (uri, uploadTime) or "
                    + "`gcloud artifacts docker images list --format=json` output (package, version, createTime)")
        }
        guard let (text, timeNode) = try string(timeField) else {
            throw ModelError(
                code: .missingField, path: FieldPath.join(path, timeField), line: node.location?.line,
                message: "\(image) has no \(timeField), so its upload time is unknown")
        }
        guard let time = RFC3339.parse(text) else {
            throw ModelError(
                code: .invalidValue, path: FieldPath.join(path, timeField), line: timeNode.location?.line,
                message: "\"\(TextSafety.printable(String(text.prefix(80))))\" is not an RFC 3339 date-time")
        }
        return ImageUpload(image: image, uploadTime: time)
    }
}
