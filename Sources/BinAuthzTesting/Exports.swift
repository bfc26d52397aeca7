// SPDX-License-Identifier: Apache-2.0

// `import BinAuthzTesting` gives a test file the helpers and what they work with — the model, the payload, the
// engine, attestation verification and PKIX keys — and nothing that needs GPGME (import BinAuthz for PGP too).
@_exported import BinAuthzAttestation
@_exported import BinAuthzModel
@_exported import BinAuthzPKIX
@_exported import BinAuthzPayload
@_exported import BinAuthzPolicy
