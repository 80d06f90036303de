import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchSystem
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Pushes runs to a Prometheus Pushgateway, each to a group of its own named by its grouping
/// key: `/metrics/job/podbench/runtime/R/runtime_class/C/placement/P/host/H`, each value
/// base64url-encoded (`@base64`) so that any value is one path segment. A PUT, so that the group
/// holds that run's series and nothing older; a host run and a pod run, or two runtime classes
/// of a matrix, never replace each other's.
public struct PushgatewayClient: Sendable {
    /// The Pushgateway's address, `http://host:9091`.
    public var url: URL
    /// How long a push may take.
    public var timeout: TimeInterval = 30

    /// The Pushgateway at `address` (`--pushgateway`): an http or https address with a host
    /// and no query; anything else is bad input.
    public init(address: String) throws {
        guard let url = URL(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.query == nil else {
            throw PodbenchError(.badInput, "--pushgateway '\(address)' is not an http or https address; write it like http://pushgateway:9091")
        }
        self.url = url
    }

    /// Pushes the newest run of each variant of `report`; the group of each, a line each.
    public func push(_ report: Report) async throws -> [String] {
        var pushed: [String] = []
        for run in PrometheusTextReport.newestOfEachVariant(report.runs) {
            let group = Self.group(of: run)
            let target = url.appendingPathComponent("metrics/job/podbench" + group.path, isDirectory: false)
            var request = URLRequest(url: target, timeoutInterval: timeout)
            request.httpMethod = "PUT"
            request.setValue("text/plain; version=0.0.4; charset=utf-8", forHTTPHeaderField: "Content-Type")
            let body = Data(PrometheusTextReport().render(report, runs: [run]).utf8)
            let (answer, response): (Data, URLResponse)
            do {
                (answer, response) = try await URLSession.shared.upload(for: request, from: body)
            } catch {
                throw PodbenchError(.runtime, "cannot push run \(run.id) to the Pushgateway at \(url.absoluteString)", cause: error.localizedDescription)
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) else {
                let said = String(decoding: answer.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw PodbenchError(.runtime, "the Pushgateway at \(url.absoluteString) refused run \(run.id) (HTTP \(status))", cause: said.isEmpty ? nil : said)
            }
            pushed.append("run \(run.id) to group \(group.text)")
        }
        return pushed
    }

    /// The run's grouping key, as a path (`/runtime@base64/...`) and as text (`runtime=local ...`).
    static func group(of run: RunReport) -> (path: String, text: String) {
        let key = PrometheusSeries.groupingKey(run)
        let path = key.map { "/\($0.0)@base64/" + base64url($0.1) }.joined()
        return (path, key.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
    }

    /// Base64url without padding; `=` for the empty value, as the Pushgateway reads it.
    static func base64url(_ value: String) -> String {
        guard !value.isEmpty else { return "=" }
        return Data(value.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
