// SPDX-License-Identifier: Apache-2.0
// libyaml's event parser for Swift. Only BinAuthzModel imports this module (`internal import CYAML`), and only in
// Formats/YAML/YAMLEventParser.swift.
#ifndef CYAML_SHIM_H
#define CYAML_SHIM_H
#include <yaml.h>
#endif
