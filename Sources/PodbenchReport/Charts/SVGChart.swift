import Foundation
import Histogram
// TEMPORARY stub until the charts land.
public struct TrendPoint: Sendable { public var runId: Int64; public var startedAt: Date; public var p50: Double; public var p99: Double; public var isBaseline: Bool; public var regressed: Bool }
struct PercentilePoint: Sendable, Equatable { var percentile: Double; var value: Double }
enum SVGChart {
    static func percentileDistribution(_ points: [PercentilePoint], unit: String, title: String) -> String { "<svg></svg>" }
    static func trend(_ points: [TrendPoint], unit: String, title: String) -> String { "<svg></svg>" }
    static func percentilePoints(_ histogram: Histogram<UInt64>) -> [PercentilePoint] { [] }
    static let css = ""
}
