import ArgumentParser
import PlanReview
import PlanWriters
import PlanningEngine

// The library's enums parsed as option values: a wrong value is refused by the parser, naming the option and
// listing the valid values (exit 2), before any command runs.

extension PlanFormat: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
extension SweepWriter.Format: ExpressibleByArgument {}
