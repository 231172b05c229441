/// One thread's share of a sweep: the rule set compiled, the plans without draws that samples take their invariants
/// from, and the inputs every sample reuses, all of its own, so no object it reads for every zone-year is shared with
/// another thread. A sample's numbers depend on its draws alone, never on which worker planned it.
struct SweepWorker {
    /// What every worker starts from: the workspace with the scenario applied, and what of it is swept.
    struct Setup: Sendable {
        let workspace: Workspace
        let overlay: Overlay
        let ruleSetIndex: Int
        let rolloutIndex: Int
        let members: [RolloutMember]
        let cityIndices: [Int]
        let entries: [UncertainEntry]
        /// False plans every rule of every sample (for tests: the result must be the same).
        let reusingInvariants: Bool
    }

    let setup: Setup
    let compiled: CompiledRuleSet
    let unitRelevant: [Bool]
    /// By member: the invariants of its plan without draws, and that plan's inputs by year.
    let baseline: [CityPlanner.SampleInvariant]
    let baselineInputs: [[CityPlanner.YearInputs]]
    let zonePatches: [(field: Int, declaration: InputDeclaration)]

    init(_ setup: Setup) throws(DiagnosticsError) {
        self.setup = setup
        let workspace = setup.workspace
        let set = workspace.ruleSets[setup.ruleSetIndex]
        let rollout = workspace.rollouts[setup.rolloutIndex]
        compiled = try CompiledRuleSet.compile(set)
        let invariance = compiled.sampleInvariance(
            varying: setup.entries.map { $0.target.celPath(moneySuffix: set.moneySuffix) })
        unitRelevant = compiled.unitRelevant()
        var varyingScopes: Set<InputScope> = []
        var drawnZoneInputs: [String] = []
        for entry in setup.entries {
            guard case .input(let scope, _, let name) = entry.target else { continue }
            varyingScopes.insert(scope)
            if scope == .zone { drawnZoneInputs.append(name) }
        }
        var baseline: [CityPlanner.SampleInvariant] = []
        var baselineInputs: [[CityPlanner.YearInputs]] = []
        var patches: [(field: Int, declaration: InputDeclaration)]?
        for (c, member) in setup.members.enumerated() {
            var planner = CityPlanner(
                rules: compiled, city: workspace.cities[setup.cityIndices[c]], rollout: rollout, joins: member.joins)
            planner.unitRelevant = unitRelevant
            let recording = CityPlanner.UnitRuleRecording(
                years: max(rollout.lastYear, planner.city.baseYear) - planner.city.baseYear + 1,
                zones: planner.city.zones.count, rules: invariance.derive.count)
            planner.unitRuleRecording = recording
            let years = try planner.unitYears()
            baseline.append(CityPlanner.SampleInvariant(invariance, years: years, unitRules: recording))
            patches = planner.patchableZoneInputs(drawnZoneInputs)
            baselineInputs.append(
                try planner.inputsOfEveryYear(varying: varyingScopes, patchingZones: patches != nil))
        }
        self.baseline = baseline
        self.baselineInputs = baselineInputs
        zonePatches = patches ?? []
    }

    /// The numbers of one sample, laid out as `grid` keeps them.
    func plan(sample: Int, draws: [Double], into grid: Sweep.Grid) throws(DiagnosticsError) -> [Double] {
        var sampled = setup.workspace
        var sampleOverlay = setup.overlay
        var ignored = DiagnosticBag()
        for (entry, number) in zip(setup.entries, draws) {
            let change: OverlayChange = entry.use == .value ? .set(.number(number)) : .scale(.number(number))
            sampleOverlay.apply(change, to: entry.target, in: &sampled, at: nil, bag: &ignored)
        }
        let rules = compiled.withNumbers(of: sampled.ruleSets[setup.ruleSetIndex])
        let constants = CityPlanner.constants(rules)
        var values = [Double](repeating: 0, count: grid.count)
        for (c, member) in setup.members.enumerated() {
            var planner = CityPlanner(
                rules: rules, city: sampled.cities[setup.cityIndices[c]],
                rollout: sampled.rollouts[setup.rolloutIndex], joins: member.joins)
            planner.recordsProvenance = false
            planner.unitRelevant = unitRelevant
            if setup.reusingInvariants {
                planner.sampleInvariant = baseline[c]
                planner.knownInputs = baselineInputs[c]
                planner.drawnZoneInputs = zonePatches
            }
            let states: [CityPlanner.YearState]
            do throws(DiagnosticsError) { states = try planner.unitYears(constants: constants) } catch {
                throw DiagnosticsError(
                    error.diagnostics.map { diagnostic in
                        var copy = diagnostic
                        copy.message = "sample \(sample + 1): " + copy.message
                        return copy
                    })
            }
            grid.record(states, city: c, into: &values)
        }
        return values
    }
}
