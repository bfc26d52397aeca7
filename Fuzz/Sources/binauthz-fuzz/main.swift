// SPDX-License-Identifier: Apache-2.0

import _BinAuthzFuzzTargets

#if canImport(Glibc)
import Glibc
#endif

// libFuzzer's driver (linked from libclang_rt.fuzzer_no_main, see scripts/fuzz.sh): it parses the command line,
// runs the corpus and mutates, calling back once per input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

guard let name = getenv("BINAUTHZ_FUZZ_TARGET").map({ String(cString: $0) }), let chosen = FuzzTarget(rawValue: name)
else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
    let message = Array("binauthz-fuzz: set BINAUTHZ_FUZZ_TARGET to one of: \(names)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(64)
}

// The callback is a C function: it reads the chosen target from a global.
nonisolated(unsafe) var target = chosen

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(
    LLVMFuzzerRunDriver(&argc, &argv) { data, count in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        // A 1 MiB stack: what a worker thread may have, with room for AddressSanitizer's larger frames.
        target.run(bytes, stackSize: 1 << 20)
        return 0
    })
