/// How two roles meet: a server (it makes the channel) and a client (it finds it) of one
/// family meet where the parameters in `meetsOn` are equal, and must agree on those in
/// `agreesOn` (a message size), which each side is given on its own.
public struct Pairing: Sendable {
    public enum Side: Sendable { case server, client }

    public let family: String
    public let side: Side
    public let meetsOn: [ParameterSpec]
    public let agreesOn: [ParameterSpec]

    public init(_ family: String, _ side: Side, meetsOn: [any DeclaredParameter], agreesOn: [any DeclaredParameter]) {
        self.family = family
        self.side = side
        self.meetsOn = meetsOn.map(\.spec)
        self.agreesOn = agreesOn.map(\.spec)
    }
}
