import Foundation
import PodbenchCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Progress for sonobuoy: after each scenario, a POST to the worker's progress endpoint
/// (`http://localhost:$SONOBUOY_PROGRESS_PORT/progress`), which relays it to the aggregator so
/// that `sonobuoy status` shows how far the plugin is. Best effort: a worker that does not
/// answer costs the run nothing.
public struct SonobuoyProgress: Sendable {
    public var url: URL

    /// The endpoint sonobuoy's environment names, or nil outside sonobuoy.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let port = environment["SONOBUOY_PROGRESS_PORT"].flatMap({ Int($0) }), (1...65535).contains(port),
              let url = URL(string: "http://localhost:\(port)/progress") else { return nil }
        self.url = url
    }

    /// What the worker expects (sonobuoy's `ProgressUpdate`): a message, how many of how many
    /// are done, and the scenarios that failed so far.
    struct Update: Encodable {
        var name = "podbench"
        var msg: String
        var total: Int
        var completed: Int
        var failures: [String]
    }

    /// Posts that `completed` of `total` scenarios are done, the last being `last`.
    public func post(completed: Int, total: Int, last: String, failures: [String]) async {
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let update = Update(msg: "\(last) (\(completed) of \(total))", total: total, completed: completed, failures: failures)
        guard let body = try? JSONEncoder().encode(update) else { return }
        _ = try? await URLSession.shared.upload(for: request, from: body)
    }
}
