import PlanningEngine

/// What the rollout-wide files of a format read of each city beyond its totals, so a run that streams city files
/// keeps no more of each plan than the summaries it writes will read: at 1,400 cities, dropping the stations, zones
/// and finding messages halved the peak memory of a YAML run (361 to 182 MiB).
extension PlanFormat {
    /// `_stations.csv`, `_report.html` and `_summary.geojson` list or draw every station.
    var summaryReadsStations: Bool { self == .csv || self == .html || self == .geojson }
    /// `_report.html` and `_summary.geojson` draw each zone and its last year (units, coverage).
    var summaryReadsZones: Bool { self == .html || self == .geojson }
    /// `_report.html`'s map draws each city's outline.
    var summaryReadsOutline: Bool { self == .html }
    /// `_report.html` tables the findings by rule and city; the other summaries count them by severity.
    var summaryReadsFindingText: Bool { self == .html }
    /// `_report.html` charts the cities' NPV and payback (the city facts `summaryOnly` keeps).
    var summaryReadsCityFacts: Bool { self == .html }
}

extension CityPlan {
    /// `summaryOnly`, less what none of `formats`' rollout-wide files read: the rules behind each unit count, the
    /// city facts, stations, the zones and their last year, the city's outline, the findings' messages (their
    /// severity, rule, scope and year stay, so every count is the same). What a run keeps of each city is allocated
    /// among the next cities' working memory, and the allocator's every step grew with it: in single runs of 1,400
    /// cities `plan` took 140 s keeping the whole summary and 94 s keeping none.
    func summaryOnly(readBy formats: [PlanFormat]) -> CityPlan {
        var slim = summaryOnly
        let keepFacts = formats.contains(where: \.summaryReadsCityFacts)
        slim.cityYears = slim.cityYears.map { year in
            var year = year
            if !keepFacts { year.facts = [] }
            year.units = year.units.map { unit in
                var unit = unit
                unit.rules = []
                return unit
            }
            return year
        }
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
