import CYaml
import Foundation
import Yams

/// A YAML node with the position of every key and value, so loaders can point at the exact spot.
/// Built from Yams' nodes with limits on size, depth and node count, so an alias-expansion
/// bomb stops with an error instead of exhausting memory.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, quoted: Bool)
        case mapping([(key: String, keyPosition: SourcePosition, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var position: SourcePosition

    public init(content: Content, position: SourcePosition) {
        self.content = content
        self.position = position
    }

    public var kindName: String {
        switch content {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var isNull: Bool {
        if case .scalar(let text, let quoted) = content {
            return !quoted && (text.isEmpty || text == "~" || text == "null")
        }
        return false
    }
}
