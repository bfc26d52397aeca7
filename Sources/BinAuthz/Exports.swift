// SPDX-License-Identifier: Apache-2.0

// `import BinAuthz` brings in every module of the package: the model and formats, the payload, PGP over GPGME,
// PKIX over swift-crypto, and the decision engine, plus the verification that joins them.
@_exported import BinAuthzModel
@_exported import BinAuthzPGP
@_exported import BinAuthzPKIX
@_exported import BinAuthzPayload
@_exported import BinAuthzPolicy
