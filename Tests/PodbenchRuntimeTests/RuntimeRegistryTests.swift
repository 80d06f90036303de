import PodbenchCRI
import PodbenchCore
import PodbenchRuntime
import Testing

/// The registry is the one list of runtimes: each kind once, each making runtimes of its kind
/// for a run (one per variant of a matrix) and for cleanup, each saying what its fingerprint
/// is stored under. Adding a runtime is its folder and a line there (CONTRIBUTING.md); this
/// suite checks every entry, whatever it is.
@Suite struct RuntimeRegistryTests {
    /// Settings asking every runtime for two variants.
    private var settings: RuntimeSettings {
        var settings = RuntimeSettings()
        settings.probePath = "/nonexistent/podbench-probe"
        settings.ociRuntimes = ["runc", "crun"]
        settings.runtimeClasses = ["runc", "gvisor"]
        settings.criHandlers = ["runc", "runsc"]
        settings.criEndpoint = CRIEndpoint("unix:///nonexistent/cri.sock")!
        return settings
    }

    @Test func everyKindIsRegisteredOnce() {
        #expect(RuntimeRegistry.all.map { $0.kind }.sorted() == RuntimeKind.allCases.sorted())
    }

    @Test func eachRuntimeMakesRuntimesOfItsKindAndStoresRunsUnderItsName() {
        for runtime in RuntimeRegistry.all {
            let made = RuntimeRegistry.forRun(runtime.kind, settings)
            #expect(!made.isEmpty)
            for instance in made {
                #expect(instance.kind == runtime.kind)
                #expect(instance.name == runtime.kind.rawValue, "the fingerprint and the store know a run by its runtime's name")
            }
        }
    }

    /// A matrix runs a variant each: podman's OCI runtimes, Kubernetes' RuntimeClasses, the
    /// CRI's handlers, each told apart in its fingerprint.
    @Test func aMatrixMakesARuntimeForEachVariant() async {
        for kind in [RuntimeKind.podman, .kubernetes, .cri] {
            #expect(RuntimeRegistry.forRun(kind, settings).count == 2, "\(kind)")
        }
        let podman = RuntimeRegistry.forRun(.podman, settings)
        #expect(await podman.asyncMap { await $0.describe().runtimeClass } == ["runc", "crun"])
    }

    @Test func cleanupUsesTheRuntimeNamedAndOnlyThoseThatLeaveMoreThanDirectories() {
        for runtime in RuntimeRegistry.all {
            let cleaning = RuntimeRegistry.forCleanup(runtime.kind, settings)
            #expect(cleaning.allSatisfy { $0.kind == runtime.kind })
            #expect(cleaning.isEmpty == !runtime.holdsRunDirectories, "a runtime whose runs hold run directories leaves pods to remove, \(runtime.kind)")
        }
        // A cluster is never cleaned unless named.
        #expect(!RuntimeRegistry.forCleanup(nil, settings).contains { $0.kind == .kubernetes })
    }

    @Test func aFlagIsRefusedOnARuntimeThatDoesNotOwnIt() {
        #expect(RuntimeRegistry.misplaced(["--keep"], on: .kubernetes) == nil)
        #expect(RuntimeRegistry.misplaced(["--verbose"], on: .local) == nil, "a flag no runtime owns means something on all")
        #expect(RuntimeRegistry.misplaced(["--pod-security"], on: .host) == "--pod-security is for --runtime cri, kubernetes or podman, not host.")
        #expect(RuntimeRegistry.misplaced(["--cri-endpoint"], on: nil, cleanup: true) == nil)
        #expect(RuntimeRegistry.misplaced(["--context"], on: nil, cleanup: true) == "--context is for --runtime kubernetes, not all.")
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
