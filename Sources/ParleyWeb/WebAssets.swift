/// The pages' files, compiled into the binary, by the name they are served under.
public enum WebAssets {
    public struct Asset: Sendable {
        public let bytes: [UInt8]
        public let contentType: String
    }

    public static func named(_ name: String) -> Asset? {
        switch name {
        case "messenger.js": Asset(bytes: PackageResources.messenger_js, contentType: javascript)
        case "messenger-app.js": Asset(bytes: PackageResources.messenger_app_js, contentType: javascript)
        case "render.js": Asset(bytes: PackageResources.render_js, contentType: javascript)
        case "inbox.js": Asset(bytes: PackageResources.inbox_js, contentType: javascript)
        case "messenger.css": Asset(bytes: PackageResources.messenger_css, contentType: css)
        case "inbox.css": Asset(bytes: PackageResources.inbox_css, contentType: css)
        case "messenger.html": Asset(bytes: PackageResources.messenger_html, contentType: html)
        case "inbox.html": Asset(bytes: PackageResources.inbox_html, contentType: html)
        default: nil
        }
    }

    static let javascript = "text/javascript; charset=utf-8"
    static let css = "text/css; charset=utf-8"
    static let html = "text/html; charset=utf-8"
}
