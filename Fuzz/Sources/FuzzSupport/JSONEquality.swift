import Foundation
import TreueCore

/// A JSON value as `JSONDecoder` reads it, compared scalar for scalar (no normalization
/// hides a difference), so two encodings of the same value compare equal and nothing else.
public indirect enum DecodedJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string([Unicode.Scalar])
    case array([DecodedJSON])
    case object([Member])

    public struct Member: Equatable {
        let key: [Unicode.Scalar]
        let value: DecodedJSON
    }

    private struct Key: CodingKey {
        let stringValue: String
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        // Strings first: most values are strings, and every failed attempt throws.
        if let value = try? decoder.singleValueContainer() {
            if let string = try? value.decode(String.self) {
                self = .string(Array(string.unicodeScalars))
                return
            }
            if value.decodeNil() {
                self = .null
                return
            }
            if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
                return
            }
            if let int = try? value.decode(Int.self) {
                self = .int(int)
                return
            }
        }
        if var array = try? decoder.unkeyedContainer() {
            var values: [DecodedJSON] = []
            while !array.isAtEnd { values.append(try array.decode(DecodedJSON.self)) }
            self = .array(values)
            return
        }
        let object = try decoder.container(keyedBy: Key.self)
        self = try .object(object.allKeys.map { Member(key: Array($0.stringValue.unicodeScalars), value: try object.decode(DecodedJSON.self, forKey: $0)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) { $0.value < $1.value } })
    }
}

extension Fixtures {
    public static let foundationEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Checks that `line` (what `JSONLineWriter` wrote) is one clean JSON line that
    /// decodes to what `JSONEncoder` writes for `value`.
    public static func expectSameJSON(_ line: [UInt8], as value: some Encodable, input: String) {
        guard line.last == 10, !line.dropLast().contains(where: { $0 < 0x20 }) else {
            violated("written JSON is not one line free of raw control characters", input: input)
        }
        let reference: Data
        do { reference = try foundationEncoder.encode(value) } catch {
            violated("JSONEncoder failed on a value the writer wrote: \(error)", input: input)
        }
        let mine: DecodedJSON
        do { mine = try JSONDecoder().decode(DecodedJSON.self, from: Data(line)) } catch {
            violated("JSONDecoder refuses what the writer wrote: \(error)\n\(String(decoding: line, as: UTF8.self).debugDescription)", input: input)
        }
        guard let theirs = try? JSONDecoder().decode(DecodedJSON.self, from: reference), mine == theirs else {
            violated("writer and JSONEncoder disagree:\n\(String(decoding: line, as: UTF8.self).debugDescription)\n\(String(decoding: reference, as: UTF8.self).debugDescription)", input: input)
        }
    }
}
