// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "support/loopback.hpp"

namespace mlflow::testing {
namespace {

constexpr auto kPollSlice = std::chrono::milliseconds(20);

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string trim(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return s.substr(b, e - b);
}

std::optional<std::string> find_header(const FaultHeaders& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Aborts the connection with a TCP RST instead of the orderly FIN.
void reset_and_close(int fd) {
  linger l{};
  l.l_onoff = 1;
  l.l_linger = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  ::close(fd);
}

// Splits "Name: value" lines of a header block (without the status/request line).
FaultHeaders parse_header_lines(const std::string& block, std::size_t from) {
  FaultHeaders headers;
  std::size_t pos = from;
  while (pos < block.size()) {
    std::size_t end = block.find("\r\n", pos);
    if (end == std::string::npos) end = block.size();
    const std::string line = block.substr(pos, end - pos);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    pos = end + 2;
  }
  return headers;
}

std::string serialise_response(int status, const FaultHeaders& headers, const std::string& body,
                               bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  for (const auto& [name, value] : headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Connection") ||
        iequals(name, "Transfer-Encoding") || iequals(name, "Keep-Alive")) {
      continue;
    }
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  out += body;
  return out;
}

}  // namespace

FaultAction FaultAction::respond(int status, std::string body, FaultHeaders headers) {
  FaultAction a;
  a.kind = Kind::kRespond;
  a.status = status;
  a.body = std::move(body);
  a.headers = std::move(headers);
  return a;
}

FaultAction FaultAction::stall(std::chrono::milliseconds delay, FaultAction then) {
  then.delay = delay;
  return then;
}

FaultAction FaultAction::stall(std::chrono::milliseconds delay) {
  return stall(delay, FaultAction{});
}

std::optional<std::string> RecordedRequest::header(const std::string& name) const {
  return find_header(headers, name);
}

FaultProxy::FaultProxy() {
  default_action_ = FaultAction::respond(
      404, R"({"error_code": "ENDPOINT_NOT_FOUND", "message": "FaultProxy: nothing scripted"})",
      {{"Content-Type", "application/json"}});
  start();
}

FaultProxy::FaultProxy(const std::string& upstream) {
  // Accepts http://127.0.0.1:PORT[/...] or http://localhost:PORT[/...].
  const std::string prefix = "http://";
  if (upstream.compare(0, prefix.size(), prefix) != 0) {
    throw std::invalid_argument("FaultProxy upstream must be http://127.0.0.1:PORT: " + upstream);
  }
  const std::size_t host_start = prefix.size();
  const std::size_t colon = upstream.find(':', host_start);
  if (colon == std::string::npos) {
    throw std::invalid_argument("FaultProxy upstream needs a port: " + upstream);
  }
  upstream_host_ = upstream.substr(host_start, colon - host_start);
  if (upstream_host_ == "localhost") upstream_host_ = "127.0.0.1";
  upstream_port_ = std::stoi(upstream.substr(colon + 1));
  has_upstream_ = true;
  start();
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  close_listener();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    workers.swap(workers_);
  }
  for (auto& t : workers) {
    if (t.joinable()) t.join();
  }
}

std::string FaultProxy::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FaultProxy::start() {
  if (!open_listener()) throw std::runtime_error("FaultProxy: cannot listen on 127.0.0.1");
  acceptor_ = std::thread([this] { accept_loop(); });
}

bool FaultProxy::open_listener() {
  int port = port_;  // 0 the first time: ephemeral; then the same port again
  const int fd = bind_loopback(port, 64, /*reuse_address=*/true);
  if (fd < 0) return false;
  port_ = port;
  listen_fd_ = fd;
  return true;
}

void FaultProxy::close_listener() {
  const int fd = listen_fd_.exchange(-1);
  if (fd >= 0) ::close(fd);
}

void FaultProxy::accept_loop() {
  while (!stop_) {
    bool want_down = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (down_ && down_until_ != std::chrono::steady_clock::time_point{} &&
          std::chrono::steady_clock::now() >= down_until_) {
        down_ = false;
      }
      want_down = down_;
      if (want_down && listen_fd_ >= 0) {
        // Existing keep-alive connections die too, as when a server process goes away.
        for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
      }
    }
    if (want_down) {
      close_listener();
      std::this_thread::sleep_for(kPollSlice / 4);
      continue;
    }
    if (listen_fd_ < 0 && !open_listener()) {
      std::this_thread::sleep_for(kPollSlice);
      continue;
    }
    pollfd p{};
    p.fd = listen_fd_;
    p.events = POLLIN;
    if (::poll(&p, 1, static_cast<int>(kPollSlice.count())) <= 0) continue;
    const int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard<std::mutex> lock(mutex_);
    const int number = ++connections_;
    open_fds_.push_back(client);
    workers_.emplace_back([this, client, number] { serve_connection(client, number); });
  }
}

void FaultProxy::go_down_for(std::chrono::milliseconds duration) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    down_ = true;
    down_until_ = std::chrono::steady_clock::now() + duration;
  }
  // Wait until the acceptor closed the listener, so refusals start when this returns.
  while (listen_fd_ >= 0 && !stop_) std::this_thread::sleep_for(kPollSlice / 4);
}

void FaultProxy::go_down() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    down_ = true;
    down_until_ = {};
  }
  while (listen_fd_ >= 0 && !stop_) std::this_thread::sleep_for(kPollSlice / 4);
}

void FaultProxy::come_back() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    down_ = false;
  }
  while (listen_fd_ < 0 && !stop_) std::this_thread::sleep_for(kPollSlice / 4);
}

void FaultProxy::script(const std::string& path, FaultAction action, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int i = 0; i < times; ++i) scripts_[path].push_back(action);
}

void FaultProxy::set_default(FaultAction action) {
  std::lock_guard<std::mutex> lock(mutex_);
  default_action_ = std::move(action);
}

void FaultProxy::clear_scripts() {
  std::lock_guard<std::mutex> lock(mutex_);
  scripts_.clear();
}

int FaultProxy::count(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = counts_.find(path);
  return it == counts_.end() ? 0 : it->second;
}

int FaultProxy::total_requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(requests_.size());
}

int FaultProxy::connections_accepted() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_;
}

std::vector<RecordedRequest> FaultProxy::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void FaultProxy::reset_counts() {
  std::lock_guard<std::mutex> lock(mutex_);
  counts_.clear();
  requests_.clear();
  connections_ = 0;
}

FaultAction FaultProxy::next_action(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& key : {path, std::string("*")}) {
    auto it = scripts_.find(key);
    if (it != scripts_.end() && !it->second.empty()) {
      FaultAction action = std::move(it->second.front());
      it->second.pop_front();
      return action;
    }
  }
  return default_action_;
}

void FaultProxy::sleep_interruptible(std::chrono::milliseconds duration) const {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stop_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        kPollSlice, until - std::chrono::steady_clock::now()));
  }
}

void FaultProxy::serve_connection(int fd, int connection_number) {
  std::string buffer;
  bool reset = false;
  // Reads more bytes into `buffer`; false on EOF, error or shutdown.
  auto read_more = [&]() {
    char chunk[16384];
    while (!stop_) {
      pollfd p{};
      p.fd = fd;
      p.events = POLLIN;
      const int ready = ::poll(&p, 1, static_cast<int>(kPollSlice.count()));
      if (ready == 0) continue;
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return false;
      const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    return false;
  };

  while (!stop_) {
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more()) goto done;
      if (!buffer.empty() && !std::isupper(static_cast<unsigned char>(buffer[0]))) {
        // Not HTTP (e.g. a TLS ClientHello): answer like a plain HTTP server would.
        send_all(fd, serialise_response(400, {}, "not HTTP", true));
        goto done;
      }
    }
    {
      RecordedRequest request;
      request.connection = connection_number;
      const std::string head = buffer.substr(0, head_end);
      const std::size_t line_end = head.find("\r\n");
      const std::string request_line = head.substr(0, line_end);
      const std::size_t sp1 = request_line.find(' ');
      const std::size_t sp2 = request_line.find(' ', sp1 + 1);
      if (sp1 == std::string::npos || sp2 == std::string::npos) goto done;
      request.method = request_line.substr(0, sp1);
      request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
      request.path = request.target.substr(0, request.target.find('?'));
      if (line_end != std::string::npos) request.headers = parse_header_lines(head, line_end + 2);
      std::size_t body_length = 0;
      if (const auto cl = request.header("Content-Length")) {
        body_length = static_cast<std::size_t>(std::stoull(*cl));
      }
      const std::size_t body_start = head_end + 4;
      while (buffer.size() < body_start + body_length) {
        if (!read_more()) goto done;
      }
      request.body = buffer.substr(body_start, body_length);
      buffer.erase(0, body_start + body_length);
      const auto connection = request.header("Connection");
      const bool client_close = connection && iequals(trim(*connection), "close");

      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++counts_[request.path];
        requests_.push_back(request);
      }
      FaultAction action = next_action(request.path);
      if (action.delay.count() > 0) sleep_interruptible(action.delay);
      if (stop_) goto done;

      using Kind = FaultAction::Kind;
      if (action.kind == Kind::kPassThrough && !has_upstream_) {
        std::lock_guard<std::mutex> lock(mutex_);
        action = default_action_.kind == Kind::kPassThrough
                     ? FaultAction::respond(404, "{}", {{"Content-Type", "application/json"}})
                     : default_action_;
      }
      switch (action.kind) {
        case Kind::kResetBeforeForward:
          reset = true;
          goto done;
        case Kind::kCloseWithoutAnswer:
          goto done;
        case Kind::kResetAfterForward: {
          int status = 0;
          FaultHeaders headers;
          std::string body;
          if (has_upstream_) forward(request, status, headers, body);
          reset = true;
          goto done;
        }
        case Kind::kRespond:
          if (!send_all(fd, serialise_response(action.status, action.headers, action.body,
                                               client_close))) {
            goto done;
          }
          break;
        case Kind::kPassThrough: {
          int status = 0;
          FaultHeaders headers;
          std::string body;
          if (!forward(request, status, headers, body)) {
            status = 502;
            headers = {{"Content-Type", "text/plain"}};
            body = "FaultProxy: upstream unreachable";
          }
          if (!send_all(fd, serialise_response(status, headers, body, client_close))) goto done;
          break;
        }
      }
      if (client_close) goto done;
    }
  }
done : {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = open_fds_.begin(); it != open_fds_.end(); ++it) {
    if (*it == fd) {
      open_fds_.erase(it);
      break;
    }
  }
}
  if (reset) {
    reset_and_close(fd);
  } else {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }
}

bool FaultProxy::forward(const RecordedRequest& request, int& status, FaultHeaders& headers,
                         std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(upstream_port_));
  if (::inet_pton(AF_INET, upstream_host_.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return false;
  }
  // One upstream connection per request, closed by the upstream after answering: the answer
  // then simply ends at EOF.
  std::string out = request.method + " " + request.target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "Connection") || iequals(name, "Keep-Alive") ||
        iequals(name, "Content-Length") || iequals(name, "Proxy-Connection")) {
      continue;
    }
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(request.body.size()) + "\r\nConnection: close\r\n\r\n";
  out += request.body;
  if (!send_all(fd, out)) {
    ::close(fd);
    return false;
  }
  std::string raw;
  char chunk[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    raw.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);

  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  const std::string head = raw.substr(0, head_end);
  const std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  const std::size_t sp = status_line.find(' ');
  if (sp == std::string::npos) return false;
  status = std::atoi(status_line.c_str() + sp + 1);
  headers = line_end == std::string::npos ? FaultHeaders{} : parse_header_lines(head, line_end + 2);
  std::string rest = raw.substr(head_end + 4);
  const auto te = find_header(headers, "Transfer-Encoding");
  if (te && te->find("chunked") != std::string::npos) {
    // De-chunk; the relayed answer carries a Content-Length instead.
    body.clear();
    std::size_t pos = 0;
    while (pos < rest.size()) {
      const std::size_t size_end = rest.find("\r\n", pos);
      if (size_end == std::string::npos) break;
      const std::size_t size = std::stoul(rest.substr(pos, size_end - pos), nullptr, 16);
      if (size == 0) break;
      body.append(rest, size_end + 2, size);
      pos = size_end + 2 + size + 2;
    }
  } else if (const auto cl = find_header(headers, "Content-Length")) {
    body = rest.substr(0, static_cast<std::size_t>(std::stoull(*cl)));
  } else {
    body = std::move(rest);
  }
  return true;
}

}  // namespace mlflow::testing
