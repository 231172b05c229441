import PlanningEngine

/// `plan` of whole rollouts in memory that grows as little as it can with the number of cities: each city's files
/// are written into the staging folder by the thread that planned it and dropped, only what the formats' rollout
/// summaries read of it kept (`summaryOnly(readBy:)`: totals and finding counts for YAML, stations only when a
/// format lists them), and the summaries are written last; then the set is committed all or nothing. The bytes are
/// those of `PlanOutput.files` written by `PlanSetWriter`, whatever the number of threads. On any error nothing is
/// written.
public enum StreamedPlanning {
    /// The summary-only plans of `rollouts`, whose files are now in `output`; planning and writing errors of every
    /// rollout together (write errors without a position).
    /// `progress` hears of each city planned.
    public static func plan(
        _ rollouts: [Rollout], in workspace: Workspace, threads: Int?, formats: [PlanFormat],
        into output: String, progress: (any ProgressSink)? = nil
    )
        throws(DiagnosticsError) -> [RolloutPlan]
    {
        let stream: PlanSetStream
        do { stream = try PlanSetStream(into: output, rollouts: rollouts.map(\.id.value)) } catch {
            throw DiagnosticsError([.error(error.description, at: nil)])
        }
        var plans: [RolloutPlan] = []
        var failures: [Diagnostic] = []
        for rollout in rollouts {
            let folder = rollout.id.value
            do throws(DiagnosticsError) {
                let plan = try RolloutPlanner.plan(rollout, in: workspace, threads: threads, progress: progress) {
                    city throws(DiagnosticsError) in
                    do throws(PlanOutput.WriteError) {
                        for file in PlanOutput.cityFiles(of: city, formats: formats) {
                            try stream.write(file, in: folder)
                        }
                    } catch {
                        throw DiagnosticsError([.error(error.description, at: nil)])
                    }
                    return city.summaryOnly(readBy: formats)
                }
                plans.append(plan)
            } catch {
                failures += error.diagnostics
            }
        }
        guard failures.isEmpty else {
            stream.discard()
            throw DiagnosticsError(failures)
        }
        do throws(PlanOutput.WriteError) {
            for plan in plans {
                for file in PlanOutput.summaryFiles(for: plan, formats: formats) {
                    try stream.write(file, in: plan.rollout)
                }
            }
            _ = try stream.commit()
        } catch {
            stream.discard()
            throw DiagnosticsError([.error(error.description, at: nil)])
        }
        return plans
    }
}
