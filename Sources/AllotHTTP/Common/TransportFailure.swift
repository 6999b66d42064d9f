import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a transport error (no HTTP status) says about whether the request reached the server.
struct TransportFailure: Sendable, Hashable {
  /// `true` when the request certainly never left: connection refused, DNS failure, connect timeout,
  /// no connection from the pool.
  var neverSent: Bool
  /// A short sentence, without any credential.
  var reason: String

  init(neverSent: Bool, reason: String) {
    self.neverSent = neverSent
    self.reason = reason
  }

  /// Classifies an error thrown by `HTTPClient.execute` or while reading the response body.
  init(_ error: any Error) {
    switch error {
    case let error as HTTPClientError:
      switch error {
      case .connectTimeout:
        self.init(neverSent: true, reason: "connect timed out")
      case .getConnectionFromPoolTimeout:
        self.init(neverSent: true, reason: "no connection available before the deadline")
      case .tlsHandshakeTimeout:
        self.init(neverSent: true, reason: "TLS handshake timed out")
      case .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .invalidProxyResponse,
        .proxyAuthenticationRequired:
        self.init(neverSent: true, reason: "proxy failed before the request was sent (\(error))")
      case .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown:
        self.init(neverSent: true, reason: "request not sent (\(error))")
      case .readTimeout:
        self.init(neverSent: false, reason: "read timed out after the request was sent")
      case .deadlineExceeded:
        self.init(neverSent: false, reason: "request deadline passed before an answer came")
      case .remoteConnectionClosed:
        self.init(neverSent: false, reason: "connection closed by the server before an answer came")
      case .cancelled:
        self.init(neverSent: false, reason: "request cancelled while in flight")
      default:
        self.init(neverSent: false, reason: "transport error: \(error)")
      }
    case let error as NIOConnectionError:
      if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
        self.init(neverSent: true, reason: "could not resolve host \(error.host)")
      } else {
        let first = error.connectionErrors.first.map { " (\($0.error))" } ?? ""
        self.init(neverSent: true, reason: "could not connect to \(error.host):\(error.port)\(first)")
      }
    case ChannelError.connectTimeout:
      self.init(neverSent: true, reason: "connect timed out")
    case let error as IOError:
      switch error.errnoCode {
      case ECONNREFUSED:
        self.init(neverSent: true, reason: "connection refused")
      case EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL:
        self.init(neverSent: true, reason: "host unreachable")
      case ECONNRESET, EPIPE:
        self.init(neverSent: false, reason: "connection reset after the request was sent")
      default:
        self.init(neverSent: false, reason: "I/O error: \(error)")
      }
    case is NIOTooManyBytesError:
      self.init(neverSent: false, reason: "response body too large")
    case is CancellationError:
      self.init(neverSent: false, reason: "request cancelled while in flight")
    default:
      self.init(neverSent: false, reason: "transport error: \(String(describing: error).prefix(200))")
    }
  }
}
