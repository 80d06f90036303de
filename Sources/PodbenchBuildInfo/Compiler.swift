/// The Swift compiler podbench was built with, to its minor version.
public var buildCompiler: String {
    #if compiler(>=6.4)
    "Swift 6.4 or later"
    #elseif compiler(>=6.3)
    "Swift 6.3"
    #elseif compiler(>=6.2)
    "Swift 6.2"
    #else
    "Swift before 6.2"
    #endif
}
