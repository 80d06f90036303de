/// How a scenario orders the measurements of one pod: a client starts `after` a file appears
/// (a capture's ready file, or another client's `done` file) and creates its own `done` file
/// when it is through, so that two measurements do not compete for the CPUs.
public enum SequencingParameters {
    public static let after = Parameter.optionalPath("after", "a file to wait for before starting, inside a volume mount")
    public static let done = Parameter.optionalPath("done", "a file to create when finished, inside a volume mount")
}
