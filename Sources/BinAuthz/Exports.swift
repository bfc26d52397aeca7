// SPDX-License-Identifier: Apache-2.0

// `import BinAuthz` brings in every module of the package: the model and formats, the payload, attestation
// verification, PGP (in process, and GPGME), PKIX over swift-crypto, and the decision engine.
@_exported import BinAuthzAttestation
@_exported import BinAuthzModel
@_exported import BinAuthzPGP
@_exported import BinAuthzPKIX
@_exported import BinAuthzPayload
@_exported import BinAuthzPolicy
