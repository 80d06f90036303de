import PodbenchProbeInterface

/// A file the publisher writes and the watcher checks: a 32-byte header (`PBFILE01`, sequence,
/// total size, checksum of the body) and a body of pseudo-random words derived from the
/// sequence. A file whose header, size or checksum do not agree was read half-written.
enum PublishedFile {
    static let headerSize = 32
    static let magic: UInt64 = 0x3130_454c_4946_4250 // "PBFILE01" little-endian

    /// Fills `buffer` (a multiple of 8 bytes, at least the header) as file `sequence`.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer, sequence: UInt64) {
        var state = sequence &* 0x9e37_79b9_7f4a_7c15 | 1
        let words = buffer.count / 8
        for index in (headerSize / 8)..<words {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            buffer.storeBytes(of: state, toByteOffset: index * 8, as: UInt64.self)
        }
        buffer.storeBytes(of: magic, toByteOffset: 0, as: UInt64.self)
        buffer.storeBytes(of: sequence, toByteOffset: 8, as: UInt64.self)
        buffer.storeBytes(of: UInt64(buffer.count), toByteOffset: 16, as: UInt64.self)
        buffer.storeBytes(of: checksum(buffer, length: buffer.count), toByteOffset: 24, as: UInt64.self)
    }

    /// The sequence of an intact file of `length` bytes, or nil when it is not intact.
    static func verify(_ buffer: UnsafeRawBufferPointer, length: Int) -> UInt64? {
        guard length >= headerSize, length % 8 == 0,
              buffer.load(fromByteOffset: 0, as: UInt64.self) == magic,
              buffer.load(fromByteOffset: 16, as: UInt64.self) == UInt64(length),
              buffer.load(fromByteOffset: 24, as: UInt64.self) == checksum(UnsafeMutableRawBufferPointer(mutating: buffer), length: length)
        else { return nil }
        return buffer.load(fromByteOffset: 8, as: UInt64.self)
    }

    /// A word-wise multiply-xor checksum of the body.
    static func checksum(_ buffer: UnsafeMutableRawBufferPointer, length: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in stride(from: headerSize, to: length, by: 8) {
            hash = (hash ^ buffer.load(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
