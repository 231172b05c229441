/// The version `chargeplan --version` prints: raised with each release. Plans never carry it (design §4: no
/// versions that change without the inputs), so a new version alone changes no plan byte.
public enum ChargeplanVersion {
    public static let current = "0.1.0"
}
