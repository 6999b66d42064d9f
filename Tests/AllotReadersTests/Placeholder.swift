import Testing

@Test func AllotReadersBuilds() {
  #expect(Bool(true))
}
