import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyDomain
import ParleyOutbound

/// Downloads a file a provider keeps (Twilio's MMS media) into an attachment, streamed. Redirects
/// (Twilio's media URL answers with one to its CDN) are followed here, at most three, each hop
/// checked against the outbound policy; the credentials go only to the first URL's host.
public struct MediaFetcher: Sendable {
    let client: OutboundClient

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func fetch(_ url: String, authorization: String?, into upload: inout AttachmentUpload, timeoutSeconds: Int64 = 30) async throws {
        let origin = URL(string: url)?.host
        var next = url
        for _ in 0...3 {
            var request = HTTPClientRequest(url: next)
            if let authorization, URL(string: next)?.host == origin { request.headers.add(name: "Authorization", value: authorization) }
            // What goes wrong with the provider is a `Failure`; what goes wrong storing the bytes is
            // the upload's own error.
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            } catch {
                throw Failure(description: "\(next): \(error)")
            }
            switch response.status.code {
            case 200:
                var body = response.body.makeAsyncIterator()
                while true {
                    let buffer: ByteBuffer?
                    do {
                        buffer = try await body.next()
                    } catch {
                        throw Failure(description: "\(next): \(error)")
                    }
                    guard let buffer else { return }
                    try upload.write(Array(buffer.readableBytesView))
                }
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location"), let target = URL(string: location, relativeTo: URL(string: next))
                else { throw Failure(description: "\(next) redirected nowhere") }
                next = target.absoluteString
            default:
                throw Failure(description: "\(next) answered HTTP \(response.status.code)")
            }
        }
        throw Failure(description: "\(url) redirected more than 3 times")
    }
}
