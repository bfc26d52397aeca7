// SPDX-License-Identifier: Apache-2.0

import BinAuthzCLI

@main
struct Main {
    static func main() {
        BinAuthzMain.main()
    }
}
