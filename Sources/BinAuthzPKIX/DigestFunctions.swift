// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import Crypto

/// The three digests of the API's signature algorithms, over swift-crypto.
enum DigestFunctions {
    static func hash(_ bytes: [UInt8], _ digest: SignatureAlgorithm.Digest) -> [UInt8] {
        switch digest {
        case .sha256: Array(SHA256.hash(data: bytes))
        case .sha384: Array(SHA384.hash(data: bytes))
        case .sha512: Array(SHA512.hash(data: bytes))
        }
    }
}
