import Foundation
import NIOCore
import NIOHPACK
import NIOHTTP2
import SwiftProtobuf

/// One HTTP/2 connection in cleartext to a gRPC server, making unary calls: the whole of gRPC
/// the CRI needs (every CRI method podbench calls is unary). Written here because grpc-swift's
/// only Linux transport links TLS (two BoringSSL builds, minutes of every fresh build:
/// BENCHMARKS.md) for a socket that never carries it.
struct H2CConnection: Sendable {
    let channel: any Channel
    let streams: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    /// How long a call may take: the runtime is told (grpc-timeout) and the call ends then
    /// whatever it does (a containerd stuck stopping a sandbox would hold podbench forever).
    static let deadline: Duration = .seconds(60)

    /// Calls `method` (`/package.Service/Method`) with `request`; the response, or
    /// `CRICallFailed` with the server's status and message, or on no answer by the deadline.
    func call<Response: Message>(_ method: String, _ request: some Message) async throws -> Response {
        try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await exchange(method, request) }
            group.addTask {
                try await Task.sleep(for: Self.deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let response = try await group.next() ?? nil else {
                // Closing the connection ends the stream that waits.
                close()
                throw CRICallFailed(method: method, code: 4, message: "\(method) did not answer within \(Self.deadline.components.seconds) s")
            }
            return response
        }
    }

    private func exchange<Response: Message>(_ method: String, _ request: some Message) async throws -> Response {
        let body = try request.serializedBytes() as [UInt8]
        var frame = channel.allocator.buffer(capacity: 5 + body.count)
        frame.writeInteger(UInt8(0))  // not compressed
        frame.writeInteger(UInt32(body.count))
        frame.writeBytes(body)
        let headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": method, ":authority": "localhost",
            "content-type": "application/grpc+proto", "te": "trailers", "user-agent": "podbench",
            "grpc-timeout": "\(Self.deadline.components.seconds)S",
        ]
        let stream = try await streams.openStream { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>(wrappingChannelSynchronously: channel)
            }
        }
        let (received, status, message) = try await stream.executeThenClose { inbound, outbound in
            try await outbound.write(.headers(.init(headers: headers)))
            try await outbound.write(.data(.init(data: .byteBuffer(frame), endStream: true)))
            var received = channel.allocator.buffer(capacity: 0)
            var status: String?
            var message = ""
            for try await payload in inbound {
                switch payload {
                case .headers(let part):
                    if let code = part.headers.first(name: "grpc-status") { status = code }
                    if let text = part.headers.first(name: "grpc-message") { message = text.removingPercentEncoding ?? text }
                    if let http = part.headers.first(name: ":status"), http != "200" {
                        throw CRICallFailed(method: method, code: 2, message: "HTTP status \(http): not a gRPC server")
                    }
                case .data(let part):
                    if case .byteBuffer(var bytes) = part.data { received.writeBuffer(&bytes) }
                default:
                    break
                }
            }
            return (received, status, message)
        }
        guard let status else { throw CRICallFailed(method: method, code: 2, message: "the stream ended without a gRPC status") }
        guard status == "0" else { throw CRICallFailed(method: method, code: Int(status) ?? 2, message: message) }
        var response = received
        guard let compressed = response.readInteger(as: UInt8.self), compressed == 0,
              let length = response.readInteger(as: UInt32.self), let bytes = response.readBytes(length: Int(length))
        else { throw CRICallFailed(method: method, code: 13, message: "a response that is not one uncompressed message") }
        return try Response(serializedBytes: bytes)
    }

    func close() {
        channel.close(promise: nil)
    }
}
