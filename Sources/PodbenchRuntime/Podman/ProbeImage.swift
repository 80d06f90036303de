import Foundation

/// The probe image: `podbench-probe` linked statically, alone in an image built from scratch.
public enum ProbeImage {
    /// `localhost/podbench-probe:VERSION`, what `podbench image build` tags.
    public static var defaultReference: String { "localhost/podbench-probe:\(version)" }
    public static let version = "0.1.0"
}
