// SPDX-License-Identifier: Apache-2.0
// GPGME for Swift. Only BinAuthzPGP imports this module (`internal import CGPGME`).
#ifndef CGPGME_SHIM_H
#define CGPGME_SHIM_H
#include <gpgme.h>
#endif
