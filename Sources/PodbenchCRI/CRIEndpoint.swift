import GRPCCore
import GRPCNIOTransportHTTP2

/// A CRI endpoint, the Unix socket of containerd or CRI-O (`unix:///run/containerd/containerd.sock`).
public struct CRIEndpoint: Sendable, CustomStringConvertible {
    /// The socket's path.
    public let path: String

    /// `unix:///PATH` or an absolute path; nil for anything else (podbench speaks to a runtime on
    /// this machine only).
    public init?(_ text: String) {
        let path = text.hasPrefix("unix://") ? String(text.dropFirst("unix://".count)) : text
        guard path.hasPrefix("/"), !path.contains("\0") else { return nil }
        self.path = path
    }

    public var description: String { "unix://\(path)" }

    /// The runtime and image services over one connection, for the length of `body`.
    public func connect<Result: Sendable>(_ body: (CRIServices) async throws -> Result) async throws -> Result {
        try await withGRPCClient(transport: .http2NIOPosix(target: .unixDomainSocket(path: path), transportSecurity: .plaintext)) { client in
            try await body(CRIServices(runtime: Runtime_V1_RuntimeService.Client(wrapping: client), images: Runtime_V1_ImageService.Client(wrapping: client)))
        }
    }
}

/// The CRI's two services, as the kubelet uses them.
public struct CRIServices: Sendable {
    public let runtime: Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    public let images: Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>
}
