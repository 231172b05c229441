/// A station's port count from one year on: a plan lists a station's ports only in the years they change, so a
/// reader sees the station grow with the zone's installed units without a line per year.
public struct PortsChange: Sendable, Equatable, Codable {
    public var year: Int
    public var ports: Int

    public init(year: Int, ports: Int) {
        self.year = year
        self.ports = ports
    }
}
