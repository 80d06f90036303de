import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchRuntime
import PodbenchSystem

// The values podbench's flags take and its commands return, named where the command line
// finds them: it imports Kit alone.

public typealias RuntimeKind = PodbenchCore.RuntimeKind
public typealias Placement = PodbenchProbeInterface.Placement
public typealias CPUIdle = PodbenchSystem.CPUIdle
public typealias ExitStatus = PodbenchSystem.ExitStatus
public typealias ReportKind = PodbenchReport.ReportKind
/// The engine a manifest is rendered for (`render --runtime`).
public typealias ManifestEngine = ManifestOptions.Engine
/// The PodSecurity level generated pods pass.
public typealias PodSecurity = ManifestOptions.PodSecurity
