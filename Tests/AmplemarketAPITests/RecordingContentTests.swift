import AmplemarketModels
import Foundation
import Testing
@testable import AmplemarketAPI

/// A recording answer is saved only when it is audio: JSON that links to the recording is followed (the
/// key only to the base URL's own host), JSON without a link, HTML and anything else are errors that say
/// what came back, and nothing is ever saved under the recording's name.
@Suite struct RecordingContentTests {
    static let mp3 = Data([0x49, 0x44, 0x33, 0x04, 0x00]) + Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "dispo-rec-type-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Downloads call `c-1` from `server` into a new folder; the failure (if any), the folder's files and
    /// the saved bytes.
    static func download(_ server: HandMadeServer) async throws -> (failure: APIFailure?, files: [String], saved: Data?) {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/call.mp3"
        let failure = try await withClient(testConfiguration(server.baseURL())) { client in
            await caught { try await client.downloadRecording(callID: "c-1", to: path) }
        }
        return (failure, try FileManager.default.contentsOfDirectory(atPath: dir), FileManager.default.contents(atPath: path))
    }

    @Test(arguments: [
        ("text/html; charset=utf-8", "<html><body>Sign in</body></html>", "text/html"),
        ("text/plain", "no recording here", "text/plain"),
        ("application/octet-stream", "<!doctype html><html></html>", "application/octet-stream"),
        (nil, "<html></html>", "an answer without a content type"),
    ] as [(String?, String, String)])
    func anAnswerThatIsNotAudioIsAnErrorNamingIt(_ type: String?, _ body: String, _ named: String) async throws {
        try await withServer({ _ in Reply(contentType: type, bytes: Data(body.utf8)) }) { server in
            let (failure, files, _) = try await Self.download(server)
            let f = try #require(failure)
            #expect(f.kind == .badResponse)
            #expect(f.message == "The server answered \(named) instead of a recording (audio); nothing was saved")
            #expect(files.isEmpty)
        }
    }

    @Test func audioWithoutATypeOrAsOctetStreamIsSavedByItsFirstBytes() async throws {
        for type in [nil, "application/octet-stream", "audio/wav"] as [String?] {
            try await withServer({ _ in Reply(contentType: type, bytes: Self.mp3) }) { server in
                let (failure, files, saved) = try await Self.download(server)
                #expect(failure == nil, "\(type ?? "none")")
                #expect(files == ["call.mp3"] && saved == Self.mp3)
            }
        }
    }

    @Test func jsonWithoutALinkIsAnErrorAndNothingIsSaved() async throws {
        try await withServer({ _ in Reply(body: #"{"status":"processing","eta_seconds":30}"#) }) { server in
            let (failure, files, _) = try await Self.download(server)
            #expect(failure?.kind == .badResponse)
            #expect(failure?.message == "The server answered JSON without a link instead of a recording; nothing was saved")
            #expect(files.isEmpty)
            #expect(await server.requests().count == 1)
        }
    }

    @Test func aLinkOnTheSameHostIsFollowedWithTheKey() async throws {
        try await withServer({ r in
            r.path == "/calls/c-1/recording"
                ? Reply(contentType: "application/vnd.amp+json", body: #"{"recording":{"url":"/files/rec-1.mp3"}}"#)
                : Reply(contentType: "audio/mpeg", bytes: Self.mp3)
        }) { server in
            let (failure, files, saved) = try await Self.download(server)
            #expect(failure == nil)
            #expect(files == ["call.mp3"] && saved == Self.mp3)
            let seen = await server.requests()
            #expect(seen.map(\.path) == ["/calls/c-1/recording", "/files/rec-1.mp3"])
            #expect(seen.last?.headers["authorization"] == "Bearer \(testAPIKey)")
        }
    }

    @Test func aLinkToAnotherHostIsFollowedWithoutTheKey() async throws {
        try await withServer({ _ in Reply(contentType: "audio/mpeg", bytes: Self.mp3) }) { storage in
            // Another port is another origin.
            let link = storage.baseURL() + "/bucket/rec-1.mp3?X-Signature=abc"
            try await withServer({ _ in Reply(body: #"{"url":"\#(link)"}"#) }) { api in
                let (failure, _, saved) = try await Self.download(api)
                #expect(failure == nil)
                #expect(saved == Self.mp3)
            }
            let seen = try #require(await storage.requests().first)
            #expect(seen.target == "/bucket/rec-1.mp3?X-Signature=abc")
            #expect(seen.headers["authorization"] == nil)
        }
    }

    @Test func aLinkThatLeadsToMoreJSONOrToPlainHTTPElsewhereIsNotSaved() async throws {
        try await withServer({ r in
            r.path == "/calls/c-1/recording" ? Reply(body: #"{"url":"/next"}"#) : Reply(body: #"{"url":"/again"}"#)
        }) { server in
            let (failure, files, _) = try await Self.download(server)
            #expect(failure?.message == "The recording's link led to another link (/again), not to audio; nothing was saved")
            #expect(files.isEmpty)
            #expect(await server.requests().count == 2)
        }
        try await withServer({ _ in Reply(body: #"{"url":"http://recordings.example.com/r.mp3"}"#) }) { server in
            let (failure, files, _) = try await Self.download(server)
            #expect(failure?.message.contains("does not follow (http://recordings.example.com/r.mp3)") == true, "\(failure?.message ?? "")")
            #expect(files.isEmpty)
        }
    }

    /// File stores answer `binary/octet-stream` for an upload made without a type: its first bytes decide.
    @Test func binaryOctetStreamIsJudgedByItsFirstBytes() async throws {
        try await withServer({ _ in Reply(contentType: "binary/octet-stream", bytes: Self.mp3) }) { server in
            let (failure, files, saved) = try await Self.download(server)
            #expect(failure == nil)
            #expect(files == ["call.mp3"] && saved == Self.mp3)
        }
        try await withServer({ _ in Reply(contentType: "binary/octet-stream", bytes: Data("<html></html>".utf8)) }) { server in
            let (failure, files, _) = try await Self.download(server)
            #expect(failure?.message == "The server answered binary/octet-stream instead of a recording (audio); nothing was saved")
            #expect(files.isEmpty)
        }
    }

    static func redirect(to location: String) -> Reply {
        Reply(status: 302, contentType: nil, headers: [("Location", location)], body: "")
    }

    @Test func aRedirectOnTheSameHostIsFollowedWithTheKey() async throws {
        try await withServer({ r in
            r.path == "/calls/c-1/recording" ? Self.redirect(to: "/files/rec-1.mp3") : Reply(contentType: "audio/mpeg", bytes: Self.mp3)
        }) { server in
            let (failure, files, saved) = try await Self.download(server)
            #expect(failure == nil)
            #expect(files == ["call.mp3"] && saved == Self.mp3)
            let seen = await server.requests()
            #expect(seen.map(\.path) == ["/calls/c-1/recording", "/files/rec-1.mp3"])
            #expect(seen.last?.headers["authorization"] == "Bearer \(testAPIKey)")
        }
    }

    @Test func aRedirectToAnotherHostIsFollowedWithoutTheKey() async throws {
        try await withServer({ _ in Reply(contentType: "audio/mpeg", bytes: Self.mp3) }) { storage in
            let link = storage.baseURL() + "/bucket/rec-1.mp3?X-Signature=abc"
            try await withServer({ _ in Self.redirect(to: link) }) { api in
                let (failure, _, saved) = try await Self.download(api)
                #expect(failure == nil)
                #expect(saved == Self.mp3)
            }
            let seen = try #require(await storage.requests().first)
            #expect(seen.target == "/bucket/rec-1.mp3?X-Signature=abc")
            #expect(seen.headers["authorization"] == nil)
        }
    }

    /// A redirect is followed once, and what it leads to is checked like any answer.
    @Test func aRedirectThatLeadsToAnotherRedirectOrToHTMLIsNotSaved() async throws {
        try await withServer({ r in
            r.path == "/calls/c-1/recording" ? Self.redirect(to: "/next") : Self.redirect(to: "/again")
        }) { server in
            let (failure, files, _) = try await Self.download(server)
            #expect(failure?.message == "The recording's link was redirected again (to /again), not to audio; nothing was saved")
            #expect(files.isEmpty)
            #expect(await server.requests().count == 2)
        }
        try await withServer({ r in
            r.path == "/calls/c-1/recording" ? Self.redirect(to: "/sign-in") : Reply(contentType: "text/html", body: "<html></html>")
        }) { server in
            let (failure, files, _) = try await Self.download(server)
            #expect(failure?.message == "The server answered text/html instead of a recording (audio); nothing was saved")
            #expect(files.isEmpty)
        }
    }

    @Test func classification() {
        #expect(RecordingContent.classify(contentType: "Audio/MPEG", start: []) == .audio)
        #expect(RecordingContent.classify(contentType: "application/problem+json", start: []) == .json)
        #expect(RecordingContent.classify(contentType: nil, start: Array(" {\"url\":1}".utf8)) == .json)
        #expect(RecordingContent.classify(contentType: "application/octet-stream", start: [0xFF, 0xFB, 0x90]) == .audio)
        #expect(RecordingContent.classify(contentType: "video/mp4", start: []) == .other("video/mp4"))
        #expect(RecordingContent.link(inJSON: Data(#"{"data":{"attributes":{"download_url":"https://s3.example/x"}}}"#.utf8)) == "https://s3.example/x")
        #expect(RecordingContent.link(inJSON: Data(#"{"url":"ftp://x"}"#.utf8)) == nil)
    }
}
