import Foundation

/// A `multipart/form-data` body with one file part, as UploadAttachment takes it (`source`). Built
/// once per call, so every retry sends the same bytes under the same `Idempotency-Key`.
struct MultipartForm {
    let boundary: String
    private(set) var body = Data()

    init() {
        boundary = "parley-client-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func addFile(name: String, fileName: String, contentType: String, bytes: some Sequence<UInt8>) {
        body.append(Data("--\(boundary)\r\n".utf8))
        body.append(Data("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(fileName))\"\r\n".utf8))
        body.append(Data("Content-Type: \(Self.headerSafe(contentType))\r\n\r\n".utf8))
        body.append(contentsOf: bytes)
        body.append(Data("\r\n".utf8))
    }

    /// The closing delimiter; call once, after the last part.
    mutating func finish() {
        body.append(Data("--\(boundary)--\r\n".utf8))
    }

    /// A quoted-string's content: quotes and backslashes escaped, line breaks (which would end the
    /// header) dropped.
    static func quoted(_ value: String) -> String {
        headerSafe(value).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }.map(Character.init))
    }
}
