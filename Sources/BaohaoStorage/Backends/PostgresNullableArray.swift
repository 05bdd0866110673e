import NIOCore
import PostgresNIO

/// A one-dimensional PostgreSQL array whose elements may be NULL, bound as one parameter
/// (PostgresNIO encodes arrays of non-optional elements only). Written in the binary array format:
/// dimensions, has-nulls flag, element type, length and lower bound, then each element as a
/// length (-1 for NULL) and its bytes.
struct PostgresNullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable {
    var elements: [Element?]

    init(_ elements: [Element?]) {
        self.elements = elements
    }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
        }
    }
}

/// SQLKit binds only `Encodable` values; PostgreSQL's driver takes the array's own binary form
/// above (PostgresKit prefers a value's `PostgresEncodable` conformance), so this is the form any
/// other encoder would see: the elements, NULLs included.
extension PostgresNullableArray: Encodable where Element: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(elements)
    }
}

extension PostgresNullableArray: Sendable where Element: Sendable {}
