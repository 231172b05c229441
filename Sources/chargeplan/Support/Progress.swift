import ArgumentParser
import Foundation
import PlanReview
import PlanWriters
import PlanningEngine

/// Runs `body` with a progress bar on stderr when it is a terminal (and NO_COLOR and CI are unset), erased after.
func withProgress<Value, Failure: Error>(
    _ label: String, _ body: ((any ProgressSink)?) throws(Failure) -> Value
) throws(Failure) -> Value {
    let reporter = ProgressReporter.onTerminal(label: label) { ProcessInfo.processInfo.systemUptime }
    defer { reporter?.finish() }
    return try body(reporter)
}
