// SPDX-License-Identifier: Apache-2.0

internal import CGPGME

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one `gpgme_data_t` memory buffer.
///
/// Inputs are built by ``withInput(_:_:)`` without a copy, so secret key material is never duplicated into a
/// buffer that would be freed without being wiped; outputs are read with ``takeBytes(wipe:)``.
final class GPGData {
    private(set) var handle: OpaquePointer?

    /// An empty, growable memory buffer for output.
    init() throws(PGPError) {
        var data: gpgme_data_t?
        try GPGMEStatus(gpgme_data_new(&data)).check("creating a GPGME data buffer")
        handle = data
    }

    private init(borrowing handle: OpaquePointer?) {
        self.handle = handle
    }

    /// Runs `body` with a data object that reads `bytes` in place (`copy = 0`); the object is released before
    /// this returns, so the borrowed pointer never outlives the buffer.
    static func withInput<R>(_ bytes: [UInt8], _ body: (GPGData) throws(PGPError) -> R) throws(PGPError) -> R {
        var bytes = bytes
        if bytes.isEmpty { bytes = [0] }  // never hand GPGME a null pointer; callers reject empty input first
        let result: Result<R, PGPError> = bytes.withUnsafeBufferPointer { buffer in
            var data: gpgme_data_t?
            let status = buffer.withMemoryRebound(to: CChar.self) {
                GPGMEStatus(gpgme_data_new_from_mem(&data, $0.baseAddress, $0.count, 0))
            }
            guard status.isSuccess else { return .failure(status.error("creating a GPGME data buffer")) }
            let input = GPGData(borrowing: data)
            defer { input.release() }
            do throws(PGPError) {
                return .success(try body(input))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The buffer's contents; the data object is released. With `wipe`, GPGME's copy is zeroed before it is freed.
    func takeBytes(wipe: Bool = false) -> [UInt8] {
        guard let handle else { return [] }
        self.handle = nil
        var length = 0
        guard let pointer = gpgme_data_release_and_get_mem(handle, &length) else { return [] }
        let bytes = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        if wipe { memsetZero(pointer, length) }
        gpgme_free(pointer)
        return bytes
    }

    private func release() {
        if let handle { gpgme_data_release(handle) }
        handle = nil
    }

    deinit { release() }
}

/// Zeroes memory in a way the optimiser keeps (the buffer is freed right after).
func memsetZero(_ pointer: UnsafeMutablePointer<CChar>, _ count: Int) {
    let raw = UnsafeMutableRawPointer(pointer)
    for index in 0..<count {
        raw.storeBytes(of: 0, toByteOffset: index, as: UInt8.self)
    }
}

/// A write-only data object that keeps at most `limit` bytes of what GnuPG writes: one byte more fails the write,
/// which fails the GPGME operation and stops gpg, so a decompression bomb costs `limit` bytes here and is cut off
/// where it stands.
final class BoundedSink {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    /// Whether GnuPG tried to write more than `limit` bytes.
    private(set) var overflowed = false
    private(set) var handle: OpaquePointer?
    private let callbacks: UnsafeMutablePointer<gpgme_data_cbs>

    init(limit: Int) throws(PGPError) {
        self.limit = limit
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(
            to: gpgme_data_cbs(
                read: nil,
                write: { context, buffer, size in
                    guard let context, let buffer else { return -1 }
                    let sink = Unmanaged<BoundedSink>.fromOpaque(context).takeUnretainedValue()
                    return sink.append(buffer.assumingMemoryBound(to: UInt8.self), size)
                },
                seek: nil, release: nil))
        var data: gpgme_data_t?
        let status = GPGMEStatus(gpgme_data_new_from_cbs(&data, callbacks, Unmanaged.passUnretained(self).toOpaque()))
        guard status.isSuccess else {
            callbacks.deallocate()
            throw status.error("creating a GPGME data buffer")
        }
        handle = data
    }

    private func append(_ buffer: UnsafePointer<UInt8>, _ size: Int) -> Int {
        guard bytes.count + size <= limit else {
            overflowed = true
            gpgme_err_set_errno(EFBIG)
            return -1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
        return size
    }

    deinit {
        if let handle { gpgme_data_release(handle) }
        callbacks.deallocate()
    }
}
