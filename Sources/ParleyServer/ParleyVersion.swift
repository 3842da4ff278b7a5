/// The version `parley --version` prints and the start-up line logs.
public enum ParleyVersion {
    public static let current = "0.1.0"
}
