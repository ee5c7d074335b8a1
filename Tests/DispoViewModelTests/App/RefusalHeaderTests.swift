import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// A rejected key (401) and a refusal that explains itself (403) are told apart, and after either the
/// header no longer says `online`.
@Suite struct RefusalHeaderTests: SnapshotSuite {
    init() { useUTF8Locale() }

    /// The first row of the screen and the whole screen's text.
    func screen(_ s: AppState) -> (header: String, all: String) {
        let text = gridText(render(s, size: Self.small, options: options))
        return (text.split(separator: "\n").first.map(String.init) ?? "", text)
    }

    @Test func aRefusalShowsTheServersWordsAndTheHeaderSaysAccessRefused() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        let refusal = APIFailure(kind: .forbidden, status: 403, message: "Amplemarket refused: This API key has no access to calls")
        _ = reduce(&s, .callsFailed(refusal))
        _ = reduce(&s, .connectionChanged(.refused(refusal.message)))
        let (header, all) = screen(s)
        #expect(header.contains("access refused"), "\(header)")
        #expect(!header.contains("online"), "\(header)")
        #expect(all.contains("Amplemarket refused: This API key has no access"), "\(all)")
        #expect(!all.contains("API key was rejected"), "\(all)")
    }

    @Test func aRejectedKeyBlocksTheAppAndTheHeaderSaysKeyRejected() {
        var s = Fixtures.ready()
        _ = reduce(&s, .callsFailed(APIFailure(kind: .unauthorized, status: 401, message: "The API key was rejected")))
        _ = reduce(&s, .connectionChanged(.keyRejected))
        let (header, all) = screen(s)
        #expect(header.contains("key rejected"), "\(header)")
        #expect(!header.contains("online"), "\(header)")
        #expect(all.contains("The API key was rejected by"), "\(all)")
    }
}
