// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FuzzTarget {
    /// Runs one input on a fresh thread with a `stackSize`-byte stack, as an embedding program's worker thread may
    /// be: a reader that recursed once per nesting level of a hostile document would overflow it.
    public func run(_ bytes: [UInt8], stackSize: Int) {
        final class Work {
            let target: FuzzTarget
            let bytes: [UInt8]
            init(_ target: FuzzTarget, _ bytes: [UInt8]) {
                self.target = target
                self.bytes = bytes
            }
        }
        let work = Unmanaged.passRetained(Work(self, bytes)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                let work = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! Work
                work.target.run(work.bytes)
                return nil
            }, work)
        precondition(created == 0, "cannot start a thread")
        pthread_join(thread, nil)
    }
}
