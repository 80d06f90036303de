import Foundation

/// Facts about this podbench and the machine it runs on.
public enum Podbench {
    public static let version = "0.1.0"

    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static var kernel: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// A sibling of the running executable (`podbench-probe` beside `podbench`).
    public static func sibling(_ name: String) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }

    /// Whether `command` is an executable file in a directory of PATH.
    public static func onPath(_ command: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(command)", X_OK) == 0 }
    }
}

extension ExitStatus {
    /// The status podbench exits with: 128 + the signal's number when interrupted (130 for
    /// SIGINT, 143 for SIGTERM, as a shell reports a process a signal ended).
    public var code: Int32 {
        self == .interrupted ? 128 + (SignalForwarder.received ?? SIGINT) : rawValue
    }
}
