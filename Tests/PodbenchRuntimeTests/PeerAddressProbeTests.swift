import Foundation
import PodbenchRuntime
import Testing

/// The echo pair across pods, as two plain processes on this machine: a server that listens on
/// the pod's addresses and a client given its peer's address, the machine's own non-loopback
/// address standing in for a pod's. (The runtimes that give pods addresses run the
/// pod-to-pod scenarios in the end-to-end suites.)
@Suite struct PeerAddressProbeTests {
    /// An IPv4 address of this machine other than the loopback.
    static let address: String? = {
        let ip = Process()
        ip.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        ip.arguments = ["-4", "-o", "addr", "show", "scope", "global"]
        let pipe = Pipe()
        ip.standardOutput = pipe
        guard (try? ip.run()) != nil else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ip.waitUntilExit()
        // "2: eth0    inet 172.16.0.2/24 brd ...": the word after "inet", without its prefix length.
        let words = text.split(whereSeparator: \.isWhitespace)
        return words.firstIndex(of: "inet").map { words[$0 + 1].split(separator: "/")[0] }.map(String.init)
    }()

    /// Starts the probe with `arguments`; its exit status and what it printed, once it ended.
    static func start(_ arguments: [String]) throws -> () -> (status: Int32, output: String) {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: probePath)
        probe.arguments = arguments
        let output = Pipe(), error = Pipe()
        probe.standardOutput = output
        probe.standardError = error
        try probe.run()
        return {
            let out = output.fileHandleForReading.readDataToEndOfFile() + error.fileHandleForReading.readDataToEndOfFile()
            probe.waitUntilExit()
            return (probe.terminationStatus, String(decoding: out, as: UTF8.self))
        }
    }

    static func port() -> String { String(Int.random(in: 40000...48000)) }

    @Test(.enabled(if: address != nil, "needs a non-loopback IPv4 address"), arguments: ["tcp", "udp"])
    func aClientReachesAServerThatListensOnThePodsAddresses(_ transport: String) throws {
        let address = try #require(Self.address), port = Self.port()
        let server = try Self.start(["echo-server", "--transport", transport, "--port", port, "--listen", "pod", "--wait", "10s"])
        let client = try Self.start(["echo-client", "--transport", transport, "--port", port, "--peer-pod", "server", "--peer-address", address, "--rounds", "50", "--connects", "5", "--wait", "5s"])
        let reached = client()
        let served = server()
        #expect(reached.status == 0 && served.status == 0, "\(reached.output)\n\(served.output)")
        #expect(reached.output.contains("\"\(transport).reachable\"") && reached.output.contains("server (\(address)) port \(port) answered"), "\(reached.output)")
        #expect(reached.output.contains("\"\(transport).round-trip\""), "\(reached.output)")
    }

    /// The same client, and a server that listens on its loopback only: what another pod reaches
    /// is the pod's address, so the client must fail.
    @Test(.enabled(if: address != nil, "needs a non-loopback IPv4 address"))
    func aServerOnTheLoopbackOnlyIsNotReachedAtThePodsAddress() throws {
        let address = try #require(Self.address), port = Self.port()
        let server = try Self.start(["echo-server", "--transport", "tcp", "--port", port, "--wait", "2s"])
        let client = try Self.start(["echo-client", "--transport", "tcp", "--port", port, "--peer-pod", "server", "--peer-address", address, "--wait", "500ms"])
        let reached = client()
        _ = server()
        #expect(reached.output.contains("\"tcp.reachable\"") && reached.output.contains("\"ok\":false"), "\(reached.output)")
        #expect(reached.output.contains("no tcp server answered at server (\(address)) port \(port)") && reached.output.contains("does the runtime route between its pods?"), "\(reached.output)")
    }

    @Test(arguments: [
        (["--peer-pod", "server"], "echo-client: --peer-pod server needs --peer-address"),
        (["--peer-pod", "server", "--peer-address", "fd00::5"], "echo-client: transport tcp cannot reach the IPv6 address fd00::5; use tcp6 or udp6"),
        (["--peer-pod", "server", "--peer-address", "10.0.0.300"], "--peer-address: '10.0.0.300' is not an IPv4 or IPv6 address"),
    ])
    func aClientWithoutAUsableAddressIsAUsageError(_ arguments: [String], _ words: String) throws {
        let client = try Self.start(["echo-client", "--transport", "tcp", "--wait", "100ms"] + arguments)()
        #expect(client.status == 2 && client.output.contains(words), "\(client.status) \(client.output)")
    }

    @Test func aServerOnThePodsAddressesNeedsAnInternetTransport() throws {
        let server = try Self.start(["echo-server", "--transport", "abstract", "--listen", "pod", "--wait", "100ms"])()
        #expect(server.status == 2 && server.output.contains("transport abstract has no pod address"), "\(server.output)")
    }
}
