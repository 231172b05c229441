/// A one-city project in memory for writer and review tests: city `tiny`, rollout `r` (2020–2022), rule set `s`.
/// Plain text only, so every test target can load it with the engine it tests.
public enum TinyProject {
    public static let zoneA =
        "  - {id: tiny-a, kind: urban_core, population: 60000, area_km2: 40, centre: [30.0, 120.0], grid_headroom_kw: 3600}\n"
    public static let zoneB =
        "  - {id: tiny-b, kind: suburban, population: 40000, area_km2: 60, centre: [30.1, 120.1], grid_headroom_kw: 3600}\n"

    public static func city(zones: String = zoneA + zoneB) -> String {
        """
        id: tiny
        name: Tiny
        province: Test
        base_year: 2020
        population: 100000
        area_km2: 100
        vehicles: {stock: 20000, ev_stock: 1000, annual_sales: 2000, ev_sales_share: 0.1, ride_hailing_evs: 0, scrappage_rate: 0.05}
        home_parking_share: 0.5
        zones:

        """ + zones + "\n"
    }

    public static let rollout = """
        id: r
        name: R
        operator: O
        rule_set: s
        horizon: {first_year: 2020, last_year: 2022}
        cities:
          - {city: tiny, joins: 2020}

        """

    /// The inputs the city gives, as `Rules/china/inputs.yaml` declares them.
    public static let inputs = """
        currency: CNY
        zone_kinds: [urban_core, suburban, rural, highway]
        inputs:
          city:
            population: {type: number, min: 0}
            area_km2: {type: number, min: 0}
            vehicles.stock: {type: number, min: 0}
            vehicles.ev_stock: {type: number, min: 0, max: vehicles.stock}
            vehicles.annual_sales: {type: number, min: 0}
            vehicles.ev_sales_share: {type: number, min: 0, max: 1}
            vehicles.ride_hailing_evs: {type: number, min: 0}
            vehicles.ride_hailing_fleet_target: {type: number, min: 0, default: vehicles.ride_hailing_evs}
            vehicles.scrappage_rate: {type: number, min: 0, max: 1}
            home_parking_share: {type: number, min: 0, max: 1}
          zone:
            grid_headroom_kw: {type: number, min: 0}

        """

    /// The project's files with these rules (and this city text) in `currency`.
    public static func files(rules: String, city: String = city(), currency: String = "CNY") -> [String: String] {
        [
            "Cities/tiny.yaml": city, "Cities/rollouts/r.yaml": rollout, "Rules/s/rules.yaml": rules,
            "Rules/s/inputs.yaml": inputs.replacingOccurrences(of: "currency: CNY\n", with: "currency: \(currency)\n"),
        ]
    }

    /// Wallboxes and fast chargers for a growing fleet, an NPV and a warning: what `compare` and `plan` as a
    /// library call are tried on.
    public static let twoUnitRules = """
        units:
          wallbox: {access: private, power_kw: 7, ports_per_site: 1, capex_cny: 5000, sessions_per_day: 1, combine: max}
          fast: {access: public, power_kw: 360, ports_per_site: 4, capex_cny: 360000, sessions_per_day: 10,
                 combine: max}
        params:
          fast_per_ev: {value: 0.01, unit: chargers/EV}
        rules:
          - id: fleet.stock
            for: city
            derive: ev_stock
            initial: "city.vehicles.ev_stock"
            value: "prev.city.ev_stock * 1.1"
          - id: mix.wallbox
            for: zone
            add: wallbox
            count: "city.ev_stock * zone.population_share * city.home_parking_share"
          - id: mix.fast
            for: zone
            add: fast
            count: "city.ev_stock * zone.population_share * params.fast_per_ev"
          - id: money.npv
            for: city
            derive: npv_cny
            value: "0.0 - city.units.fast.new"
          - id: req.fast
            for: city
            require: "city.units.fast.installed < 12.0"
            severity: warning
            message: many fast chargers

        """
}
