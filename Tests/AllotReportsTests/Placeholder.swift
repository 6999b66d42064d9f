import Testing

@Test func AllotReportsBuilds() {
  #expect(Bool(true))
}
