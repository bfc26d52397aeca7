// SPDX-License-Identifier: Apache-2.0

/// The version `binauthz --version` prints.
public enum BinAuthzVersion {
    public static let string = "0.1.0-dev"
}
