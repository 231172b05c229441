/// How a zone-year's installed units of a sited unit are spread over its open stations, so that the stations hold
/// exactly the plan's chargers: a plan's stations are its chargers, placed.
///
/// Stations are taken in opening order (existing ones first). From last year's ports: a station with none gets one,
/// then each is filled up to its site's capacity in order; what no site has room for is spread evenly over every
/// station, beyond its capacity (the `overflow`, which the planner reports). A station's ports never fall unless
/// the installed count itself falls; then the last-opened stations give theirs up first.
struct PortAllocation: Equatable {
    /// Ports per station, in the order given.
    var ports: [Int]
    /// Units placed beyond the stations' capacities.
    var overflow: Int
    /// Units with no station at all to hold them (no station is open).
    var unplaced: Int

    static func allocate(previous: [Int], capacities: [Int], installed: Int) -> PortAllocation {
        var ports = capacities.indices.map { $0 < previous.count ? max(0, previous[$0]) : 0 }
        let target = max(0, installed)
        let current = ports.reduce(0, +)
        guard !ports.isEmpty else { return PortAllocation(ports: [], overflow: 0, unplaced: target) }
        if target < current {
            var deficit = current - target
            for index in ports.indices.reversed() where deficit > 0 {
                let taken = min(ports[index], deficit)
                ports[index] -= taken
                deficit -= taken
            }
            return PortAllocation(ports: ports, overflow: overflowOf(ports, capacities), unplaced: 0)
        }
        var extra = target - current
        for index in ports.indices where extra > 0 && ports[index] == 0 {
            ports[index] = 1
            extra -= 1
        }
        for index in ports.indices where extra > 0 {
            let room = max(0, capacities[index] - ports[index])
            let added = min(room, extra)
            ports[index] += added
            extra -= added
        }
        if extra > 0 {
            let each = extra / ports.count
            let rest = extra % ports.count
            for index in ports.indices { ports[index] += each + (index < rest ? 1 : 0) }
        }
        return PortAllocation(ports: ports, overflow: overflowOf(ports, capacities), unplaced: 0)
    }

    private static func overflowOf(_ ports: [Int], _ capacities: [Int]) -> Int {
        zip(ports, capacities).reduce(0) { $0 + max(0, $1.0 - $1.1) }
    }
}
