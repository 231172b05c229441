import Foundation

/// A simple equirectangular projection around one point, scaled by cos(latitude) there: kilometres east and north
/// of the centre. Good to a fraction of a percent over a city, which is all a report map and a zone circle need, and
/// needs no map library or tiles (the reports are drawn offline).
public struct LocalProjection: Sendable, Equatable {
    /// Kilometres per degree of latitude on a sphere of the mean Earth radius (6,371.0088 km).
    public static let kmPerDegree = 6_371.0088 * Double.pi / 180

    public var centreLatitude: Double
    public var centreLongitude: Double
    /// Kilometres per degree of longitude at the centre.
    public var kmPerDegreeLongitude: Double

    public init(latitude: Double, longitude: Double) {
        centreLatitude = latitude
        centreLongitude = longitude
        // Never zero: a centre at a pole would make every longitude the same point.
        kmPerDegreeLongitude = Self.kmPerDegree * max(0.01, cos(latitude * Double.pi / 180))
    }

    /// Kilometres east (x) and north (y) of the centre.
    public func project(latitude: Double, longitude: Double) -> (xKM: Double, yKM: Double) {
        ((longitude - centreLongitude) * kmPerDegreeLongitude, (latitude - centreLatitude) * Self.kmPerDegree)
    }

    /// The point `xKM` east and `yKM` north of the centre.
    public func unproject(xKM: Double, yKM: Double) -> (latitude: Double, longitude: Double) {
        (centreLatitude + yKM / Self.kmPerDegree, centreLongitude + xKM / kmPerDegreeLongitude)
    }
}
