import Foundation
import XCTest

/// The reports as a reader sees them: each page (a city's, a rollout's, a sweep's) opened in headless Chromium,
/// which must draw a screenshot that is not blank, keep every chart's data marks in its DOM and log no console
/// error. Skipped with a message when Chromium is missing, unless CHARGEPLAN_REQUIRE_BROWSER=1 (set by .ci/run,
/// which installs Debian's `chromium`): then a missing browser fails the test. CHARGEPLAN_BROWSER=PATH picks
/// another Chromium (a path that is not an executable counts as none).
final class BrowserReportTests: XCTestCase {
    /// Decodes a PNG (8-bit RGB or RGBA, as Chromium writes it) with zlib and prints its width, height and the
    /// number of distinct colours in a sample of its pixels (every 8th row, every 4th pixel).
    static let pngCheck = #"""
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
        pos, idat, ihdr = 8, [], None
        while pos < len(data):
            n = struct.unpack('>I', data[pos:pos + 4])[0]
            kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
            pos += 12 + n
            if kind == b'IHDR': ihdr = body
            if kind == b'IDAT': idat.append(body)
        w, h, depth, colour = struct.unpack('>IIBB', ihdr[:10])
        bpp = {2: 3, 6: 4}[colour]
        raw = zlib.decompress(b''.join(idat))
        stride = w * bpp
        prev = bytearray(stride)
        colours = set()
        i = 0
        for y in range(h):
            f = raw[i]
            line = bytearray(raw[i + 1:i + 1 + stride])
            i += 1 + stride
            if f == 1:
                for x in range(bpp, stride): line[x] = (line[x] + line[x - bpp]) & 255
            elif f == 2:
                line = bytearray((a + b) & 255 for a, b in zip(line, prev))
            elif f == 3:
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0
                    line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
            elif f == 4:
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0
                    b = prev[x]
                    c = prev[x - bpp] if x >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            if y % 8 == 0:
                colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp * 4))
            prev = line
        print(w, h, len(colours))
        """#

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program, killed after `timeLimit` seconds. Its output goes to files, not pipes: a browser that
    /// fills one pipe while the test waits on the other would hang.
    func tool(_ path: String, _ arguments: [String], timeLimit: Double = 120) throws -> Output {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("chargeplan-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = Self.killing(process, after: timeLimit)
        process.waitUntilExit()
        timer.cancel()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The first of `names` found on PATH.
    static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// The browser: CHARGEPLAN_BROWSER (a path) when set, else the first Chromium on PATH.
    func browser() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["CHARGEPLAN_BROWSER"] {
            if FileManager.default.isExecutableFile(atPath: chosen) { return chosen }
        } else if let found = Self.find(["chromium", "chromium-browser", "google-chrome"]) {
            return found
        }
        let message = "chromium is not installed (Debian: apt-get install -y chromium); .ci/run installs it"
        if environment["CHARGEPLAN_REQUIRE_BROWSER"] == "1" {
            XCTFail("CHARGEPLAN_REQUIRE_BROWSER=1 but " + message)
            throw CocoaError(.fileNoSuchFile)
        }
        throw XCTSkip(message + "; set CHARGEPLAN_REQUIRE_BROWSER=1 to make this a failure")
    }

    func testTheReportsRenderInAHeadlessBrowserWithEveryChartDrawnAndNoConsoleError() throws {
        let chromium = try browser()
        let python = try XCTUnwrap(Self.find(["python3"]), "python3 decodes the screenshots")
        let project = try projectCopy()
        let city = try run(["render", "haikou"], in: project)
        XCTAssertEqual(city.status, 0, city.stderr)
        let reports = project.appendingPathComponent("reports")
        XCTAssertEqual(try contents(of: reports).keys.sorted(), ["/hainan-2030/haikou.html"], "the city's page alone")
        let rollout = try run(["render", "hainan-2030"], in: project)
        XCTAssertEqual(rollout.status, 0, rollout.stderr)
        let sweep = try run(
            ["sweep", "cams-changzhou", "--samples", "20", "--seed", "1", "--format", "html"], in: project)
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let scratch = project.appendingPathComponent("browser")
        let pages = [
            reports.appendingPathComponent("hainan-2030/haikou.html"),
            reports.appendingPathComponent("hainan-2030/_report.html"),
            project.appendingPathComponent("sweeps/cams-changzhou/sweep.html"),
        ]
        let checker = project.appendingPathComponent("pngcheck.py")
        try Self.pngCheck.write(to: checker, atomically: true, encoding: .utf8)
        for (index, page) in pages.enumerated() {
            let name = page.lastPathComponent
            let common = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1280,2000",
                "--user-data-dir=\(scratch.path)/profile-\(index)", "--enable-logging=stderr", "--v=0",
            ]
            let png = scratch.appendingPathComponent("\(index).png")
            let shot = try tool(chromium, common + ["--screenshot=\(png.path)", page.absoluteString])
            XCTAssertEqual(shot.status, 0, "\(name): \(shot.stderr)")
            let check = try tool(python, [checker.path, png.path])
            XCTAssertEqual(check.status, 0, check.stderr)
            let numbers = check.stdout.split(separator: " ").compactMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            XCTAssertEqual(numbers.count, 3, check.stdout)
            XCTAssertEqual(Array(numbers.prefix(2)), [1280, 2000], "\(name): the window's size")
            XCTAssertGreaterThan(numbers.last ?? 0, 16, "\(name): the screenshot is not blank")
            let dom = try tool(chromium, common + ["--dump-dom", page.absoluteString])
            XCTAssertEqual(dom.status, 0, "\(name): \(dom.stderr)")
            let charts = dom.stdout.components(separatedBy: "<svg").dropFirst()
            XCTAssertGreaterThan(charts.count, 2, "\(name): the page has its charts")
            for (number, chart) in charts.enumerated() {
                let body = chart.components(separatedBy: "</svg>").first ?? ""
                let marks = ["<path", "<rect", "<circle"].reduce(0) { $0 + body.components(separatedBy: $1).count - 1 }
                XCTAssertGreaterThan(marks, 0, "\(name): chart \(number + 1) has no data marks")
            }
            for log in [shot.stderr, dom.stderr] {
                for marker in ["Uncaught", "ERROR:CONSOLE", ":CONSOLE("] {
                    XCTAssertFalse(log.contains(marker), "\(name): a console error: \(log)")
                }
            }
        }
    }
}
