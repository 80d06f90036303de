import Foundation

/// What a scenario file may hold, enforced when it is loaded (Scenarios/README.md lists them):
/// each limit keeps a hostile or mistyped file from crashing, hanging or half-running podbench.
public enum ScenarioLimits {
    /// A scenario file's size.
    public static let fileBytes = 1 << 20
    /// YAML aliases (`*name`) in one file; an alias used as a mapping key is refused outright
    /// (composing those costs exponential time in the nesting).
    public static let aliases = 64
    /// How deep YAML may nest (libyaml's own limit).
    public static let nesting = 1000
    /// A scenario's timeout, also after `run --scale` or `--timeout`.
    public static let shortestTimeout: UInt64 = 1_000_000_000
    public static let longestTimeout: UInt64 = 24 * 3_600_000_000_000
    /// `run --scale`.
    public static let largestScale = 100
    /// Containers of one scenario, all its pods together: each is a process of its own, and
    /// podbench holds a few descriptors for each while it runs (`openFilesPerContainer`), so a
    /// machine's open-file limit may allow fewer (`containersPerScenario`).
    public static let containers = 128
    /// Descriptors podbench holds for a running container (its standard streams, its process
    /// descriptor) and briefly more while it is spawned; and what podbench itself keeps open.
    static let openFilesPerContainer = 8
    static let openFilesReserved = 64

    /// Containers one scenario may have on this machine: `containers`, or fewer where the
    /// open-file limit (raised at start to its hard limit, `raiseOpenFileLimit`) would not
    /// hold them.
    public static var containersPerScenario: Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return containers }
        return max(0, min(containers, (Int(clamping: limit.rlim_cur) - openFilesReserved) / openFilesPerContainer))
    }

    /// Raises the soft open-file limit to the hard one, as container engines do at start: the
    /// default soft limit (1024) is far below what the kernel allows a process.
    public static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Why a scenario of `count` containers cannot run here, or nil.
    static func containerProblem(_ count: Int) -> String? {
        let allowed = containersPerScenario
        guard count > allowed else { return nil }
        if allowed < containers {
            return "the scenario has \(count) containers; with this machine's open-file limit (ulimit -n) podbench can run at most \(allowed) at once: raise the limit or split the scenario"
        }
        return "the scenario has \(count) containers; a scenario may have at most \(containers): split it"
    }

    /// Volume mounts of one container (the local runtime's sandbox binds at most 64 paths).
    public static let mountsPerContainer = 32
    /// A pod's annotations, keys and values together (Kubernetes' limit).
    public static let annotationBytes = 256 * 1024
    /// A mountPath and each of its components (Linux's PATH_MAX and NAME_MAX, less room for
    /// the runtime's own prefix).
    public static let pathBytes = 1024
    public static let componentBytes = 255

    /// Directories of the host that a container's root shows read-only, where a volume cannot
    /// be mounted: a mountPath must not be one of them, nor lie in one but those of
    /// `deepMountable` (subdirectories there are made for the volume, as the seed's
    /// /usr/share/nginx/html).
    static let systemDirectories: Set<String> = ["bin", "boot", "etc", "lib", "lib32", "lib64", "libx32", "root", "run", "sbin", "var", "home", "usr", "opt", "srv", "tmp"]
    static let deepMountable: Set<String> = ["usr", "opt", "srv", "tmp", "home", "var"]

    /// Why a file of `bytes` is too large to be a scenario, or nil.
    static func sizeProblem(_ bytes: Int, file: String) -> ScenarioError? {
        bytes > fileBytes ? ScenarioError(file: file, line: 0, column: 0, message: "the file is \(bytes) bytes; a scenario file may hold at most \(fileBytes)") : nil
    }

    /// Why `path` cannot be a mountPath, or nil (beyond the parser's own rules: absolute, no
    /// `.`, `..` or empty components, not /, not under /proc, /sys or /dev).
    static func mountPathProblem(_ path: String) -> String? {
        if path.utf8.contains(0) { return "holds a NUL byte" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "holds a control character" }
        if path.utf8.count > pathBytes { return "is \(path.utf8.count) bytes long; at most \(pathBytes)" }
        let components = path.split(separator: "/")
        if let long = components.first(where: { $0.utf8.count > componentBytes }) {
            return "has a component of \(long.utf8.count) bytes; at most \(componentBytes)"
        }
        if path.contains(":") { return "must not contain ':'" }
        guard let top = components.first.map(String.init) else { return nil }
        if systemDirectories.contains(top) && (components.count == 1 || !deepMountable.contains(top)) {
            return "is in /\(top), a system directory of the container; use a directory of its own such as /data"
        }
        return nil
    }

    /// Aliases in YAML text: too many, or one used as a mapping key, with its position.
    static func aliasProblem(in text: String, file: String) -> ScenarioError? {
        var count = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var quote: Character?
            var previous: Character = " "
            var column = 0
            var characters = Array(line)
            if characters.count > 100_000 { characters = Array(characters.prefix(100_000)) }
            while column < characters.count {
                let character = characters[column]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "#" && (previous == " " || column == 0) {
                    break
                } else if character == "*" && " \t[{,-?:".contains(previous) {
                    count += 1
                    var end = column + 1
                    while end < characters.count, !" \t,[]{}".contains(characters[end]),
                          !(characters[end] == ":" && (end + 1 == characters.count || characters[end + 1] == " ")) { end += 1 }
                    var after = end
                    while after < characters.count, characters[after] == " " { after += 1 }
                    let isKey = previous == "?" || (after < characters.count && characters[after] == ":" && (after + 1 == characters.count || characters[after + 1] == " "))
                    if isKey {
                        return ScenarioError(file: file, line: index + 1, column: column + 1, message: "an alias used as a mapping key; write the key itself")
                    }
                    if count > aliases {
                        return ScenarioError(file: file, line: index + 1, column: column + 1, message: "more than \(aliases) YAML aliases; a scenario needs few, if any")
                    }
                    column = end
                    previous = " "
                    continue
                }
                previous = character
                column += 1
            }
        }
        return nil
    }
}
