import AmplemarketModels
import Foundation
import Testing

/// The documentation's examples (`../shared/fixtures` beside the repository, copied into the test bundle)
/// decode as they are: a call, an error with its pointer, a log request.
@Suite struct FixtureTests {
    static func bundled(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test(arguments: ["docs-example-call", "docs-example-error-404", "docs-example-log-request"])
    func bundledCopiesMatchTheSharedOriginals(_ name: String) throws {
        // `shared/` sits beside the repository on developers' machines and in CI.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let original = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/\(name).json").path
        guard FileManager.default.fileExists(atPath: original) else { return } // a clone without shared/ beside it
        #expect(try Self.bundled(name) == (try Data(contentsOf: URL(fileURLWithPath: original))))
    }

    @Test func docsCallDecodes() throws {
        let call = try APIJSON.decoder().decode(Call.self, from: Self.bundled("docs-example-call"))
        #expect(call.id == "0199ba5b-e387-7d61-8ae4-6ad9ce65f07b")
        #expect(call.dispositionID == "0199ba5b-e20c-7dc1-9481-097d1256e75b")
        #expect(call.duration == 5)
        #expect(call.external == true)
        #expect(call.startDate == Date(timeIntervalSince1970: 1_759_768_208))
        #expect(call.from == "+1 123456789")
        #expect(call.notes == nil)
        #expect(call.transcription == nil)
        #expect(call.recordingURL == nil)
        #expect(call.human == false)
        #expect(call.answered == true)
        #expect(call.contact?.name == "John Doe")
        #expect(call.contact?.email == "john.doe@example.com")
    }

    @Test func docsErrorDecodesWithItsPointer() throws {
        let body = try APIJSON.decoder().decode(APIErrorBody.self, from: Self.bundled("docs-example-error-404"))
        #expect(body.object == "error")
        #expect(body.errors.count == 1)
        #expect(body.errors[0].code == "not_found")
        #expect(body.errors[0].source?.pointer == "/id")
        #expect(body.errors[0].field == "id")
        #expect(body.errors[0].message == "Call not found")
    }

    @Test func docsLogRequestRoundTrips() throws {
        let data = try Self.bundled("docs-example-log-request")
        let request = try APIJSON.decoder().decode(LogCallRequest.self, from: data)
        #expect(request.duration == 120)
        #expect(request.to == "+1 987654321")
        #expect(request.recordingURL == "https://example.com/recording.mp3")
        #expect(request.notes == nil)
        // Encoding gives the same JSON object back (nil notes omitted).
        let again = try JSONSerialization.jsonObject(with: APIJSON.encoder().encode(request)) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: data) as? NSDictionary
        #expect(again == original)
    }
}
