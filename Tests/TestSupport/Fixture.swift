/// A small in-memory project: one city with two zones, one rollout, one rule set. Plain text only, so the engine
/// tests and the review tests load the same project with the module they test.
public enum Fixture {
    public static let city = """
        id: testville
        name: Testville
        province: Test
        base_year: 2020
        population: 1000000
        area_km2: 1000
        vehicles:
          stock: 200000
          ev_stock: 10000
          annual_sales: 20000
          ev_sales_share: 0.1
          ride_hailing_evs: 1000
          ride_hailing_fleet_target: 2000
          scrappage_rate: 0.05
        home_parking_share: 0.5
        existing_chargers: {wallbox: 100, fast: 10, mobile: 0}
        targets:
          - {year: 2024, ev_sales_share: 0.5}
        zones:
          - id: tv-core
            kind: urban_core
            population: 600000
            area_km2: 100
            centre: [30.0, 120.0]
            grid_headroom_kw: 3600
            existing_chargers: {wallbox: 60, fast: 8, mobile: 0}
          - id: tv-rural
            kind: rural
            population: 400000
            area_km2: 900
            centre: [30.2, 120.3]
            grid_headroom_kw: 720
            existing_chargers: {wallbox: 40, fast: 2, mobile: 0}

        """

    public static let rollout = """
        id: test-rollout
        name: Test rollout
        operator: Test operator
        rule_set: basic
        horizon: {first_year: 2020, last_year: 2024}
        cities:
          - {city: testville, joins: 2020}

        """

    public static let units = """
        currency: CNY
        units:
          wallbox: {access: private, power_kw: 7, ports_per_site: 1, capex_cny: 5000, sessions_per_day: 1, combine: max}
          fast: {access: public, power_kw: 360, ports_per_site: 4, capex_cny: 360000, sessions_per_day: 10,
                 price_per_session_cny: 280, combine: max}
          mobile: {access: mobile, power_kw: 60, ports_per_site: 1, capex_cny: 450000, sessions_per_day: 6,
                   price_per_session_cny: 380, combine: sum}
        params:
          fast_per_ev: {value: 0.01, unit: chargers/EV}
          radius_km: {value: 5.0, unit: km}

        """

    /// The fixture's inputs, declared as `Rules/china/inputs.yaml` declares them.
    public static let inputs = """
        zone_kinds: [urban_core, suburban, rural, highway]
        inputs:
          city:
            population: {type: number, unit: people, min: 0, max: 2e9}
            area_km2: {type: number, unit: km2, min: 0, max: 1e7}
            vehicles.stock: {type: number, unit: vehicles, min: 0, max: 1e10}
            vehicles.ev_stock: {type: number, unit: vehicles, min: 0, max: vehicles.stock}
            vehicles.annual_sales: {type: number, unit: vehicles/year, min: 0, max: 1e10}
            vehicles.ev_sales_share: {type: number, unit: share, min: 0, max: 1}
            vehicles.ride_hailing_evs: {type: number, unit: vehicles, min: 0, max: 1e9}
            vehicles.ride_hailing_fleet_target: {type: number, min: 0, max: 1e9, default: vehicles.ride_hailing_evs}
            vehicles.scrappage_rate: {type: number, unit: share/year, min: 0, max: 1}
            home_parking_share: {type: number, unit: share, min: 0, max: 1}
          zone:
            grid_headroom_kw: {type: number, unit: kW, min: 0, max: 1e9}

        """

    public static let rules = """
        rules:
          - id: fleet.share
            for: city
            derive: ev_sales_share
            precision: 4
            initial: "city.vehicles.ev_sales_share"
            value: "year >= city.target_year ? city.target_ev_sales_share : prev.city.ev_sales_share + (city.target_ev_sales_share - prev.city.ev_sales_share) / double(city.target_year - year + 1)"
          - id: fleet.stock
            for: city
            derive: ev_stock
            precision: 0
            initial: "city.vehicles.ev_stock"
            value: "prev.city.ev_stock * (1.0 - city.vehicles.scrappage_rate) + city.vehicles.annual_sales * city.ev_sales_share"
          - id: zone.evs
            for: zone
            derive: ev_stock
            precision: 0
            value: "city.ev_stock * zone.population_share"
          - id: mix.wallbox
            for: zone
            add: wallbox
            count: "zone.ev_stock * city.home_parking_share"
          - id: mix.fast
            for: zone
            add: fast
            count: "zone.ev_stock * params.fast_per_ev"
          - id: caps.grid
            for: zone
            cap: fast
            max: "zone.grid_headroom_kw / units.fast.power_kw"
            spill: {to: mobile, ratio: "0.5"}
          - id: money.capex
            for: city
            derive: capex_cny
            value: "city.units.fast.new * units.fast.capex_cny + city.units.wallbox.new * units.wallbox.capex_cny"
          - id: site.fast
            for: city
            site: fast
            radius_km: "params.radius_km"
            weight: "zone.ev_stock"
          - id: req.ratio
            for: city
            require: "city.ev_stock / (city.units.fast.installed + 1.0) < 50.0"
            severity: warning
            message: too many EVs per fast charger

        """

    public static var files: [String: String] {
        [
            "Cities/testville.yaml": city,
            "Cities/rollouts/test-rollout.yaml": rollout,
            "Rules/basic/units.yaml": units,
            "Rules/basic/inputs.yaml": inputs,
            "Rules/basic/rules.yaml": rules,
        ]
    }

    public static func files(replacing path: String, with text: String) -> [String: String] {
        var files = self.files
        files[path] = text
        return files
    }

    /// `file:line:col` of the first occurrence of `needle` in `text` (columns from 1).
    public static func position(of needle: String, in text: String, file: String) -> String? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: needle) {
                return "\(file):\(index + 1):\(line.distance(from: line.startIndex, to: range.lowerBound) + 1)"
            }
        }
        return nil
    }
}
