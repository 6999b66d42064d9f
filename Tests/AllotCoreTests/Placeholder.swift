import Testing

@Test func AllotCoreBuilds() {
  #expect(Bool(true))
}
