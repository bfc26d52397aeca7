// SPDX-License-Identifier: Apache-2.0

// `import BinAuthzTesting` gives a test file everything: the library and the helpers.
@_exported import BinAuthz
