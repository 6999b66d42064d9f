/// A short, printable excerpt of a response body for error messages: control characters and runs of
/// whitespace collapse to one space, invalid UTF-8 is replaced, at most `limit` characters.
func bodyExcerpt(_ bytes: some Collection<UInt8>, limit: Int = 160) -> String {
  let text = String(decoding: bytes.prefix(limit * 4), as: UTF8.self)
  var out = ""
  var lastWasSpace = false
  var count = 0
  for scalar in text.unicodeScalars {
    if count >= limit {
      out += "…"
      break
    }
    let isSpace = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
    if isSpace {
      if !lastWasSpace && !out.isEmpty {
        out.unicodeScalars.append(" ")
        count += 1
      }
      lastWasSpace = true
    } else {
      out.unicodeScalars.append(scalar)
      lastWasSpace = false
      count += 1
    }
  }
  while out.hasSuffix(" ") { out.removeLast() }
  return out
}

/// The standard reason phrase for common statuses, for messages when the body says nothing.
func reasonPhrase(_ status: Int) -> String {
  switch status {
  case 400: "Bad Request"
  case 401: "Unauthorized"
  case 403: "Forbidden"
  case 404: "Not Found"
  case 408: "Request Timeout"
  case 413: "Payload Too Large"
  case 422: "Unprocessable Entity"
  case 429: "Too Many Requests"
  case 500: "Internal Server Error"
  case 502: "Bad Gateway"
  case 503: "Service Unavailable"
  case 504: "Gateway Timeout"
  default: "HTTP \(status)"
  }
}
