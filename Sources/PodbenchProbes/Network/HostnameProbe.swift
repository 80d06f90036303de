import PodbenchProbeInterface

/// Reports the container's hostname: containers of a pod share their UTS namespace, and the
/// hostname is the pod's name.
public struct HostnameProbe: Probe {
    public static let spec = HostnameRole.spec

    let name: String
    let sharing: Sharing
    let hold: UInt64

    public init(_ arguments: ProbeArguments) {
        name = arguments[HostnameRole.name]
        sharing = arguments[Sharing.parameter]
        hold = arguments[NamespaceIdentity.holdParameter]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { throw .system("gethostname", errno: errno) }
        let hostname = string(fromCString: buffer)
        output.log("Hostname: \(hostname)")
        defer { Release.hold(upTo: hold) }
        switch sharing {
        case .shared:
            output.check(.utsHostname, ok: hostname == name, "hostname is '\(hostname)'" + (hostname == name ? ", the pod's name" : ", not the pod's name '\(name)'"))
        case .isolated:
            output.check(.utsHostname, ok: hostname != name, "hostname is '\(hostname)'" + (hostname != name ? ", not '\(name)' of the other pod" : ", the other pod's name"))
        }
    }
}

import Glibc
