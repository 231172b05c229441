/// `1 rollout`, `3 rollouts`: counts in messages agree with their noun.
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
