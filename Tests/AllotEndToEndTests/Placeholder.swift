import Testing

@Test func AllotEndToEndBuilds() {
  #expect(Bool(true))
}
