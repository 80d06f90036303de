/// Where a stored run stands: `running` until it finishes as one of the others.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running
    /// Every MUST check of every scenario passed.
    case passed
    /// A MUST check failed.
    case failed
    /// Every MUST check passed, and the regression gate (`--fail-on-regression`) found a
    /// metric that regressed.
    case regressed
    /// The runtime or the infrastructure failed: no verdict.
    case error
    /// Stopped by a signal, or by a podbench that died (found by `cleanup`).
    case interrupted
}
