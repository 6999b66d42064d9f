import Testing

@Test func AllotStoreBuilds() {
  #expect(Bool(true))
}
