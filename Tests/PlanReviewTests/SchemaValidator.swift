import Foundation
@testable import PlanReview
@testable import PlanningEngine

/// A validator for the subset of JSON Schema 2020-12 that `InputSchemas` uses: type, properties,
/// required, additionalProperties (false or a schema), items (false or a schema), prefixItems, enum,
/// minimum/maximum, minItems/maxItems, oneOf and local `$ref`s to `#/$defs/…`.
/// YAML scalars are typed as yaml-language-server types them: quoted → string; plain `true`/`false` →
/// boolean; plain numerals → integer or number; `~`/`null`/empty → null; anything else → string.
struct SchemaValidator {
    let root: SchemaValue

    func validate(_ node: YAMLNode) -> [String] {
        var errors: [String] = []
        check(node, against: root, path: "", errors: &errors)
        return errors
    }

    static func types(of node: YAMLNode) -> Set<String> {
        switch node.content {
        case .mapping: return ["object"]
        case .sequence: return ["array"]
        case .scalar(let text, let quoted):
            if quoted { return ["string"] }
            if text.isEmpty || text == "~" || text == "null" { return ["null"] }
            if text == "true" || text == "false" { return ["boolean"] }
            let cleaned = text.replacingOccurrences(of: "_", with: "")
            if Int(cleaned) != nil { return ["integer", "number"] }
            if Double(cleaned) != nil,
                cleaned.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) })
            {
                return ["number"]
            }
            return ["string"]
        }
    }

    private func resolve(_ schema: SchemaValue) -> SchemaValue {
        guard let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/$defs/") else { return schema }
        return root["$defs"]?[String(ref.dropFirst(8))] ?? schema
    }

    private func check(_ node: YAMLNode, against raw: SchemaValue, path: String, errors: inout [String]) {
        let schema = resolve(raw)
        let at = "\(node.position) \(path.isEmpty ? "/" : path)"
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(at): not allowed") }
            return
        }
        if let oneOf = schema["oneOf"]?.arrayValue {
            var matching = 0
            var firstErrors: [String] = []
            for option in oneOf {
                var optionErrors: [String] = []
                check(node, against: option, path: path, errors: &optionErrors)
                if optionErrors.isEmpty {
                    matching += 1
                } else if firstErrors.isEmpty || optionErrors.count < firstErrors.count {
                    firstErrors = optionErrors
                }
            }
            if matching != 1 {
                errors.append(
                    "\(at): matches \(matching) of the oneOf schemas (closest: \(firstErrors.joined(separator: "; ")))")
            }
        }
        if let type = schema["type"] {
            let wanted = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if Self.types(of: node).isDisjoint(with: wanted) {
                errors.append(
                    "\(at): expected \(wanted.joined(separator: " or ")), found \(Self.types(of: node).sorted().joined(separator: "/"))"
                )
                return
            }
        }
        if let values = schema["enum"]?.arrayValue?.compactMap(\.stringValue), let text = node.scalar,
            !values.contains(text)
        {
            errors.append("\(at): '\(text)' is not one of \(values.joined(separator: ", "))")
        }
        if let text = node.scalar, let value = Double(text.replacingOccurrences(of: "_", with: "")) {
            if let minimum = schema["minimum"]?.doubleValue, value < minimum {
                errors.append("\(at): \(text) < minimum \(minimum)")
            }
            if let maximum = schema["maximum"]?.doubleValue, value > maximum {
                errors.append("\(at): \(text) > maximum \(maximum)")
            }
        }
        switch node.content {
        case .mapping(let pairs):
            let properties = schema["properties"]
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            where !pairs.contains(where: { $0.key == key }) {
                errors.append("\(at): missing required '\(key)'")
            }
            for pair in pairs {
                if let property = properties?[pair.key] {
                    check(pair.value, against: property, path: path + "/" + pair.key, errors: &errors)
                } else if let additional = schema["additionalProperties"] {
                    if case .bool(false) = additional {
                        errors.append("\(pair.keyPosition) \(path)/\(pair.key): unknown key")
                    } else {
                        check(pair.value, against: additional, path: path + "/" + pair.key, errors: &errors)
                    }
                }
            }
        case .sequence(let items):
            if let minItems = schema["minItems"]?.doubleValue, Double(items.count) < minItems {
                errors.append("\(at): fewer than \(Int(minItems)) items")
            }
            if let maxItems = schema["maxItems"]?.doubleValue, Double(items.count) > maxItems {
                errors.append("\(at): more than \(Int(maxItems)) items")
            }
            let prefix = schema["prefixItems"]?.arrayValue ?? []
            for (index, item) in items.enumerated() {
                if index < prefix.count {
                    check(item, against: prefix[index], path: path + "/\(index)", errors: &errors)
                } else if let itemSchema = schema["items"] {
                    check(item, against: itemSchema, path: path + "/\(index)", errors: &errors)
                }
            }
        case .scalar:
            break
        }
    }
}
