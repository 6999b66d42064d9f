import Testing

@Test func AllotHTTPBuilds() {
  #expect(Bool(true))
}
