import ParleyDomain
import Testing

@Suite("Outbound address policy")
struct OutboundAddressPolicyTests {
    @Test("Addresses are classified as the networks they belong to; IPv6 forms carrying IPv4 by the IPv4 address", arguments: [
        ("8.8.8.8", OutboundAddressPolicy.Kind.public), ("2001:4860:4860::8888", .public), ("93.184.216.34", .public),
        ("127.0.0.1", .private), ("127.255.0.9", .private), ("10.1.2.3", .private), ("172.16.0.1", .private), ("172.31.255.255", .private),
        ("172.32.0.1", .public), ("192.168.1.1", .private), ("100.64.0.1", .private), ("100.100.100.200", .private), ("198.18.0.1", .private),
        ("::1", .private), ("fc00::1", .private), ("fd12:3456::1", .private), ("fec0::1", .private),
        ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal), ("192.0.0.192", .linkLocal), ("fe80::1", .linkLocal),
        ("fd00:ec2::254", .linkLocal),
        ("0.0.0.0", .never), ("0.1.2.3", .never), ("224.0.0.1", .never), ("255.255.255.255", .never), ("240.0.0.1", .never), ("::", .never),
        ("ff02::1", .never),
        ("::ffff:127.0.0.1", .private), ("::ffff:169.254.169.254", .linkLocal), ("::ffff:8.8.8.8", .public), ("64:ff9b::a9fe:a9fe", .linkLocal),
        ("2002:a9fe:a9fe::1", .linkLocal), ("::127.0.0.1", .private),
        // Legacy numeric forms the system resolver reads without DNS, as HTTP clients hand them to it.
        ("127.1", .private), ("2130706433", .private), ("0x7f000001", .private), ("0177.0.0.1", .private), ("[::1]", .private),
    ])
    func kinds(host: String, kind: OutboundAddressPolicy.Kind) throws {
        let address = try #require(IPAddress(numericHost: host), "\(host)")
        #expect(OutboundAddressPolicy.kind(of: address) == kind, "\(host) → \(address)")
    }

    @Test("Names that need DNS are not numeric hosts")
    func names() {
        for host in ["example.com", "localhost", "", "1.2.3.4.example", "127.0.0.1\u{0}.example.com", "[example.com]"] {
            #expect(IPAddress(numericHost: host) == nil, "\(host)")
        }
    }

    @Test("By default only public addresses; `private` adds private networks but never link-local; listed networks add exactly themselves")
    func permits() throws {
        // Every literal here is a valid address (the test above checks the parser).
        func address(_ text: String) -> IPAddress { IPAddress(numericHost: text)! }
        let strict = OutboundAddressPolicy()
        #expect(strict.permits(address("8.8.8.8")))
        #expect(!strict.permits(address("10.0.0.1")) && !strict.permits(address("127.0.0.1")) && !strict.permits(address("169.254.169.254")))

        let privateNetworks = try #require(OutboundAddressPolicy(allowList: "private"))
        #expect(privateNetworks.permits(address("10.0.0.1")) && privateNetworks.permits(address("::1")))
        #expect(!privateNetworks.permits(address("169.254.169.254")) && !privateNetworks.permits(address("fd00:ec2::254")))

        let listed = try #require(OutboundAddressPolicy(allowList: " 10.1.0.0/16, 127.0.0.1 ,169.254.10.0/24"))
        #expect(listed.permits(address("10.1.200.3")) && !listed.permits(address("10.2.0.1")))
        #expect(listed.permits(address("127.0.0.1")) && !listed.permits(address("127.0.0.2")))
        #expect(listed.permits(address("169.254.10.7")) && !listed.permits(address("169.254.169.254")))
        #expect(!listed.permits(address("0.0.0.0")))
        #expect(OutboundAddressPolicy(allowList: "0.0.0.0/0")?.permits(address("0.0.0.0")) == false)

        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "example.com", "private,nope", "::1/129", "10.0.0.0/8/8"] {
            #expect(OutboundAddressPolicy(allowList: bad) == nil, "\(bad)")
        }
    }

    @Test("A URL's host is refused before any request when it is a refused address or names this machine")
    func refusals() throws {
        let strict = OutboundAddressPolicy()
        #expect(strict.refusal(ofHost: "169.254.169.254") != nil)
        #expect(strict.refusal(ofHost: "127.1") != nil)
        #expect(strict.refusal(ofHost: "localhost") != nil && strict.refusal(ofHost: "api.localhost") != nil)
        #expect(strict.refusal(ofHost: "example.com") == nil)  // judged by its addresses when sent
        #expect(strict.refusal(ofHost: "93.184.216.34") == nil)
        let loopback = try #require(OutboundAddressPolicy(allowList: "127.0.0.0/8"))
        #expect(loopback.refusal(ofHost: "localhost") == nil && loopback.refusal(ofHost: "127.0.0.1") == nil)
        #expect(loopback.refusal(ofHost: "[::1]") != nil)
    }
}
