/// The labels podbench puts on what it makes (pods, sandboxes, volumes), and finds them by.
enum PodbenchLabel: String {
    case name = "app.kubernetes.io/name"
    case managedBy = "app.kubernetes.io/managed-by"
    /// The run's label (`ManifestOptions.runLabel`): a run's pods are found and removed by it.
    case run = "podbench.io/run"
    case scenario = "podbench.io/scenario"

    /// The value of `name` and `managedBy`.
    static let podbench = "podbench"

    /// `KEY=VALUE`, as podman and kubectl select by.
    func selector(_ value: String) -> String { "\(rawValue)=\(value)" }

    /// `app.kubernetes.io/managed-by=podbench`: everything podbench made.
    static var madeByPodbench: String { managedBy.selector(podbench) }
}
