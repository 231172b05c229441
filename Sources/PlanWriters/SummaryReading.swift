import PlanningEngine

/// What the rollout-wide files of a format read of each city beyond its totals, so a run that streams city files
/// keeps no more of each plan than the summaries it writes will read: at 2,800 cities the stations alone were most
/// of the memory that grew with the cities.
extension PlanFormat {
    /// `_stations.csv`, `_report.html` and `_summary.geojson` list or draw every station.
    var summaryReadsStations: Bool { self == .csv || self == .html || self == .geojson }
    /// `_report.html` and `_summary.geojson` draw each zone and its last year (units, coverage).
    var summaryReadsZones: Bool { self == .html || self == .geojson }
    /// `_report.html`'s map draws each city's outline.
    var summaryReadsOutline: Bool { self == .html }
    /// `_report.html` tables the findings by rule and city; the other summaries count them by severity.
    var summaryReadsFindingText: Bool { self == .html }
}

extension CityPlan {
    /// `summaryOnly`, less what none of `formats`' rollout-wide files read: stations, the zones and their last year,
    /// the city's outline, the findings' messages (their severity, rule, scope and year stay, so every count is the
    /// same).
    func summaryOnly(readBy formats: [PlanFormat]) -> CityPlan {
        var slim = summaryOnly
        if !formats.contains(where: \.summaryReadsStations) { slim.stations = [] }
        if !formats.contains(where: \.summaryReadsZones) {
            slim.zones = []
            slim.zoneYears = []
        }
        if !formats.contains(where: \.summaryReadsOutline) { slim.outline = [] }
        if !formats.contains(where: \.summaryReadsFindingText) {
            slim.findings = slim.findings.map { finding in
                var finding = finding
                finding.message = ""
                return finding
            }
        }
        return slim
    }
}
