import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

/// Writes text files, each through a temporary file and a rename, so no file is ever half-written.
enum ReviewFiles {
    static func write(_ files: [(path: String, content: String)]) throws {
        for file in files {
            do {
                try Data(file.content.utf8).write(to: URL(fileURLWithPath: file.path), options: .atomic)
            } catch {
                throw DiagnosticPrinter.fail(message: "cannot write \(file.path): \(error.localizedDescription)")
            }
        }
    }

    static func join(_ root: String, _ path: String) -> String {
        path.hasPrefix("/") || root == "." ? path : root + "/" + path
    }
}
