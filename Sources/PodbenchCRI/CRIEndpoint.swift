import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix

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

    /// Whether the path is a socket now (`CRIUnreachable.Reason(checking:)` finds nothing
    /// wrong with it): a runtime may answer there.
    public var isSocket: Bool {
        CRIUnreachable.Reason(checking: path) == nil
    }

    /// containerd's own socket, where no endpoint is named.
    public static let containerd = CRIEndpoint(path: "/run/containerd/containerd.sock")

    private init(path: String) {
        self.path = path
    }

    /// The runtime and image services over one connection, for the length of `body`. A
    /// connection that cannot be made throws `CRIUnreachable`, naming why.
    public func connect<Result: Sendable>(_ body: (CRIServices) async throws -> Result) async throws -> Result {
        let connection = try await open()
        do {
            let result = try await body(CRIServices(connection: connection))
            connection.close()
            return result
        } catch {
            connection.close()
            throw error
        }
    }

    /// An HTTP/2 connection in cleartext (h2c) over the socket: what gRPC's Unix-socket clients
    /// speak, and all the CRI needs (no TLS on a local socket).
    private func open() async throws -> H2CConnection {
        if let reason = CRIUnreachable.Reason(checking: path) { throw CRIUnreachable(endpoint: self, reason: reason) }
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let streams = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .client) { stream in
                            stream.eventLoop.makeSucceededVoidFuture()
                        }
                        return H2CConnection(channel: channel, streams: streams)
                    }
                }
        } catch let error as IOError {
            throw CRIUnreachable(endpoint: self, reason: .init(errno: error.errnoCode))
        } catch is ChannelError {
            throw CRIUnreachable(endpoint: self, reason: .timedOut)
        }
    }
}

/// The CRI's two services, as the kubelet uses them.
public struct CRIServices: Sendable {
    public let runtime: CRIRuntimeService
    public let images: CRIImageService

    init(connection: H2CConnection) {
        runtime = CRIRuntimeService(connection: connection)
        images = CRIImageService(connection: connection)
    }
}
