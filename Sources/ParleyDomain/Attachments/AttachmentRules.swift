/// What may be uploaded and how it is served: the size limit, the media types allowed, and which
/// types a browser could run (served as downloads, never inline from Parley's origin).
public struct AttachmentRules: Sendable {
    /// Sunshine Conversations' documented limit for a file.
    public static let defaultMaximumBytes: Int64 = 50 * 1024 * 1024
    /// Images, video, audio, text, PDF, archives and office documents; `*` matches any subtype.
    public static let defaultMediaTypes = [
        "image/*", "video/*", "audio/*", "text/*", "application/pdf", "application/zip", "application/json", "application/msword",
        "application/vnd.openxmlformats-officedocument.*", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.oasis.opendocument.*", "application/octet-stream",
    ]

    /// How long an upload made `for=message` waits to be used by a message before it is removed.
    public static let defaultUnusedLifetimeSeconds: Int64 = 24 * 3600

    public var maximumBytes: Int64
    public var mediaTypes: [String]
    public var unusedLifetimeSeconds: Int64

    public init(
        maximumBytes: Int64 = AttachmentRules.defaultMaximumBytes, mediaTypes: [String] = AttachmentRules.defaultMediaTypes,
        unusedLifetimeSeconds: Int64 = AttachmentRules.defaultUnusedLifetimeSeconds
    ) {
        self.maximumBytes = maximumBytes
        self.mediaTypes = mediaTypes.map { $0.lowercased() }
        self.unusedLifetimeSeconds = unusedLifetimeSeconds
    }

    public func allows(_ mediaType: String) -> Bool {
        mediaTypes.contains { pattern in
            pattern.hasSuffix("*") ? mediaType.hasPrefix(pattern.dropLast()) : mediaType == pattern
        }
    }

    /// Types a browser would render or run from Parley's origin: HTML, SVG, XML, scripts.
    public static func isActiveContent(_ mediaType: String) -> Bool {
        ["text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript", "application/javascript",
         "application/ecmascript", "text/ecmascript", "application/x-javascript", "text/xsl", "application/pdf"]
            .contains(mediaType) || mediaType.hasSuffix("+xml")
    }

    /// The media type of a part: its `Content-Type` when it names one, else guessed from the file
    /// name's extension, else `application/octet-stream`.
    public static func mediaType(declared: String?, fileName: String) -> String {
        if let declared, declared.contains("/"), declared != "application/octet-stream" { return declared.lowercased() }
        let suffix = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let byExtension = [
            "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
            "pdf": "application/pdf", "txt": "text/plain", "csv": "text/csv", "html": "text/html", "htm": "text/html", "mp4": "video/mp4",
            "mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav", "json": "application/json", "zip": "application/zip",
        ]
        return byExtension[suffix] ?? "application/octet-stream"
    }

    /// A file name safe as one URL path segment: letters, digits, `.`, `-`, `_`; others become `_`.
    public static func safeFileName(_ name: String?) -> String {
        let base = (name ?? "").split(separator: "/").last.map(String.init) ?? ""
        let cleaned = String(base.unicodeScalars.prefix(128).map { scalar -> Character in
            scalar.isASCII && UInt8(scalar.value).isASCIIWordByte(also: Array(".-_".utf8)) ? Character(scalar) : "_"
        })
        let trimmed = cleaned.drop { $0 == "." }
        return trimmed.isEmpty ? "file" : String(trimmed)
    }
}
