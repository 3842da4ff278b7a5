import HTTPTypes
import Testing

@testable import ParleyHTTP

@Suite("A header's value read once")
struct HTTPFieldsValueTests {
    @Test("Absent is nil, one field its value, several fields joined as the subscript joins them")
    func matchesSubscript() {
        var fields: HTTPFields = [.contentType: "application/json", .accept: "*/*"]
        #expect(fields.value(of: .authorization) == nil)
        #expect(fields.value(of: .contentType) == "application/json")
        fields.append(HTTPField(name: .contentType, value: "text/plain"))
        #expect(fields.value(of: .contentType) == "application/json, text/plain")
        #expect(fields.value(of: .contentType) == fields[.contentType])
        // Names are compared without case, as HTTP has them.
        let lowercase: HTTPFields = [HTTPField.Name("authorization")!: "Basic abc"]
        #expect(lowercase.value(of: .authorization) == "Basic abc")
    }
}
