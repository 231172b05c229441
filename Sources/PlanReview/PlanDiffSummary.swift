import PlanWriters
import PlanningEngine

/// A rollout's totals before and after a change: what a reviewer reads first.
public struct RolloutTotals: Sendable, Equatable {
    /// The rollout folder (`hainan-2030`), or the file compared when there is no folder.
    public var rollout: String
    public var rows: [TotalRow]
}

/// One total of a rollout: units installed by access or by unit type in the last year, or capex over the horizon.
public struct TotalRow: Sendable, Equatable {
    /// `access.public.installed`, `units.fast.installed` or the money key (`capex_cny`).
    public var total: String
    /// The first year summed (capex over the horizon); nil for a count in `lastYear`.
    public var firstYear: Int?
    public var lastYear: Int
    /// Nil when that side has no such total (a unit type added or removed).
    public var before: Double?
    public var after: Double?
    /// Decimals the total is written with: 0 for counts, 2 for money.
    public var digits: Int

    public var change: Double { (after ?? 0) - (before ?? 0) }
    /// The change as a share of `before`, in %; nil when `before` is 0 or missing.
    public var changePercent: Double? { PlanDiffSummary.percent(before: before ?? 0, after: after ?? 0) }
}

/// A city-level quantity that moved, at the year it moved most, with how many years it moved in.
public struct LargestChange: Sendable, Equatable {
    public var change: PlanDiff.Change
    public var yearsChanged: Int

    public var before: Double { change.before?.number ?? 0 }
    public var after: Double { change.after?.number ?? 0 }
    public var delta: Double { after - before }
    public var percent: Double? { PlanDiffSummary.percent(before: before, after: after) }
    /// Decimals of the change: as many as the more precise of the two values.
    public var digits: Int { PlanDiffSummary.decimals(change.before?.text) }
}

/// The summary of a plan diff: rollout totals and the largest changes.
public enum PlanDiffSummary {
    public static let largestLimit = 10
    static let unitCounts: Set<String> = ["installed", "new", "demand", "unmet"]

    static func percent(before: Double, after: Double) -> Double? {
        before == 0 ? nil : (after - before) / abs(before) * 100
    }

    static func decimals(_ text: String?) -> Int {
        guard let text, let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: dot, to: text.endIndex) - 1
    }

    // MARK: Largest changes

    /// City-level numeric changes grouped by file and quantity, each at the year it moved most.
    /// Unit counts (`fast.installed`, `.new`, `.demand`, `.unmet`) come first, by the size of the change;
    /// then every other number (facts, unit capex), by the change relative to the value before.
    static func largest(_ changes: [PlanDiff.Change], limit: Int) -> [LargestChange] {
        struct Group {
            var best: PlanDiff.Change
            var years = 1
        }
        var groups: [String: Group] = [:]
        var order: [String] = []
        for change in changes where change.scope == "city" && !change.item.hasPrefix("access.") {
            guard change.before?.number != nil, change.after?.number != nil else { continue }
            let key = change.file + "\u{0}" + change.item
            guard var group = groups[key] else {
                groups[key] = Group(best: change)
                order.append(key)
                continue
            }
            group.years += 1
            if size(change, tier: tier(change.item)) > size(group.best, tier: tier(change.item)) { group.best = change }
            groups[key] = group
        }
        let ranked = order.compactMap { groups[$0] }.sorted { a, b in
            let (ta, tb) = (tier(a.best.item), tier(b.best.item))
            if ta != tb { return ta < tb }
            let (sa, sb) = (size(a.best, tier: ta), size(b.best, tier: tb))
            if sa != sb { return sa > sb }
            return (a.best.file, a.best.item) < (b.best.file, b.best.item)
        }
        return ranked.prefix(max(0, limit)).map { LargestChange(change: $0.best, yearsChanged: $0.years) }
    }

    /// 0 for a unit count, 1 for any other number.
    static func tier(_ item: String) -> Int {
        guard let dot = item.lastIndex(of: "."), !item.hasPrefix("fact ") else { return 1 }
        return unitCounts.contains(String(item[item.index(after: dot)...])) ? 0 : 1
    }

    /// The size a change is ranked by: |after − before| for a count, |%| otherwise (from 0: larger than any %).
    static func size(_ change: PlanDiff.Change, tier: Int) -> Double {
        let before = change.before?.number ?? 0
        let after = change.after?.number ?? 0
        if tier == 0 { return abs(after - before) }
        return percent(before: before, after: after).map(abs) ?? (after == before ? 0 : .infinity)
    }

    // MARK: Rollout totals

    /// The totals of one side of a folder, per year: units and access installed, money per key.
    struct YearTotals {
        var year: Int
        var units: [(String, Double)] = []
        var access: [(String, Double)] = []
        var money: [(String, Double)] = []
    }

    /// The totals of each folder in `folders`: from its `_summary.yaml` when either side has one, or else
    /// summed over its city plans (`city_years`), so a single compared city plan gets totals too.
    static func totals(
        folders: [String], paths: [String], parse: (String) -> (old: YAMLNode?, new: YAMLNode?)
    ) -> [RolloutTotals] {
        var result: [RolloutTotals] = []
        for folder in folders {
            let inFolder = paths.filter { PlanDiff.folder($0) == folder }
            let summary = inFolder.first { $0.hasSuffix("/_summary.yaml") || $0 == "_summary.yaml" }
            var old: [YearTotals] = []
            var new: [YearTotals] = []
            if let summary {
                let pair = parse(summary)
                old = pair.old.map(summaryTotals) ?? []
                new = pair.new.map(summaryTotals) ?? []
            } else {
                for path in inFolder {
                    let pair = parse(path)
                    old = merge(old, pair.old.map(cityTotals) ?? [])
                    new = merge(new, pair.new.map(cityTotals) ?? [])
                }
            }
            let rows = compare(old, new)
            if !rows.isEmpty {
                result.append(RolloutTotals(rollout: folder.isEmpty ? (inFolder.first ?? "") : folder, rows: rows))
            }
        }
        return result
    }

    private static func number(_ node: YAMLNode?) -> Double? { node?.scalar.flatMap { Double($0) } }

    /// `totals:` of a rollout summary: `{year, <unit>: {installed, new}, access: {…}, capex_cny}`.
    static func summaryTotals(_ root: YAMLNode) -> [YearTotals] {
        PlanDiff.items(PlanDiff.field(root, "totals")).compactMap { record in
            guard let year = PlanDiff.field(record, "year")?.scalar.flatMap({ Int($0) }) else { return nil }
            var totals = YearTotals(year: year)
            for (key, value) in PlanDiff.pairs(record) where key != "year" {
                if key == "access" {
                    totals.access = PlanDiff.pairs(value).map {
                        ($0.key, number(PlanDiff.field($0.value, "installed")) ?? 0)
                    }
                } else if key.hasPrefix("capex_"), let money = number(value) {
                    totals.money.append((key, money))
                } else if let installed = number(PlanDiff.field(value, "installed")) {
                    totals.units.append((key, installed))
                }
            }
            return totals
        }
    }

    /// `city_years:` of a city plan: units installed, access installed and the units' capex, per year.
    static func cityTotals(_ root: YAMLNode) -> [YearTotals] {
        PlanDiff.items(PlanDiff.field(root, "city_years")).compactMap { record in
            guard let year = PlanDiff.field(record, "year")?.scalar.flatMap({ Int($0) }) else { return nil }
            var totals = YearTotals(year: year)
            for (unit, value) in PlanDiff.pairs(PlanDiff.field(record, "units")) {
                totals.units.append((unit, number(PlanDiff.field(value, "installed")) ?? 0))
                for (key, money) in PlanDiff.pairs(value) where key.hasPrefix("capex_") {
                    totals.money = add(totals.money, key, number(money) ?? 0)
                }
            }
            totals.access = PlanDiff.pairs(PlanDiff.field(record, "access"))
                .map { ($0.key, number(PlanDiff.field($0.value, "installed")) ?? 0) }
            return totals
        }
    }

    private static func add(_ list: [(String, Double)], _ key: String, _ value: Double) -> [(String, Double)] {
        var list = list
        if let index = list.firstIndex(where: { $0.0 == key }) {
            list[index].1 += value
        } else {
            list.append((key, value))
        }
        return list
    }

    /// Adds the years of `b` into `a`, key by key, keeping first-seen order.
    static func merge(_ a: [YearTotals], _ b: [YearTotals]) -> [YearTotals] {
        var result = a
        for year in b {
            guard let index = result.firstIndex(where: { $0.year == year.year }) else {
                result.append(year)
                continue
            }
            for (key, value) in year.units { result[index].units = add(result[index].units, key, value) }
            for (key, value) in year.access { result[index].access = add(result[index].access, key, value) }
            for (key, value) in year.money { result[index].money = add(result[index].money, key, value) }
        }
        return result.sorted { $0.year < $1.year }
    }

    /// Rows for each total either side has and that is not zero on both: access, then units (installed in the
    /// last year), then money summed over the years.
    static func compare(_ old: [YearTotals], _ new: [YearTotals]) -> [TotalRow] {
        let oldLast = old.max { $0.year < $1.year }
        let newLast = new.max { $0.year < $1.year }
        guard let lastYear = (newLast ?? oldLast)?.year else { return [] }
        let firstYear = min(old.map(\.year).min() ?? lastYear, new.map(\.year).min() ?? lastYear)
        var rows: [TotalRow] = []
        func rowsFor(_ prefix: String, _ pick: (YearTotals) -> [(String, Double)]) {
            let a = oldLast.map(pick) ?? []
            let b = newLast.map(pick) ?? []
            let keys = PlanDiff.orderedUnique(b.map(\.0) + a.map(\.0))
            for key in keys {
                rows.append(
                    TotalRow(
                        total: "\(prefix).\(key).installed", firstYear: nil, lastYear: lastYear,
                        before: oldLast.map { _ in a.first { $0.0 == key }?.1 ?? 0 },
                        after: newLast.map { _ in b.first { $0.0 == key }?.1 ?? 0 }, digits: 0))
            }
        }
        rowsFor("access", \.access)
        rowsFor("units", \.units)
        let moneyKeys = PlanDiff.orderedUnique(new.flatMap { $0.money.map(\.0) } + old.flatMap { $0.money.map(\.0) })
        for key in moneyKeys {
            func sum(_ side: [YearTotals]) -> Double? {
                side.isEmpty ? nil : side.reduce(0) { $0 + ($1.money.first { $0.0 == key }?.1 ?? 0) }
            }
            rows.append(
                TotalRow(
                    total: key, firstYear: firstYear, lastYear: lastYear, before: sum(old), after: sum(new), digits: 2))
        }
        return rows.filter { ($0.before ?? 0) != 0 || ($0.after ?? 0) != 0 }
    }
}
