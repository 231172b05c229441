/// A point on the Earth (WGS84 degrees), as profiles write it (`[lat, lon]`): the vertices of a zone's boundary
/// and of a corridor's line, which reports draw and GeoJSON carries.
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}
