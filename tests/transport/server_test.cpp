// The server core under misbehaving peers, many peers, silence, shutdown and restart: one bad
// connection never costs the others, and a stopping station answers what it has accepted.
#include <gtest/gtest.h>

#include "bcma/transport/client_link.hpp"
#include "bcma/transport/server.hpp"
#include "net_support.hpp"
#include "test_station.hpp"

namespace bcma::transport {
namespace {

using namespace testing;

class ServerCore : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.threads = 2;
    options.on_event = events.sink();
    server = start_server(station.credentials(), *station.registry, handler, options);
    ASSERT_NE(server, nullptr);
  }

  std::unique_ptr<ClientLink> connected_link(const std::string& device_id, ClientOptions options) {
    auto link = ClientLink::create(io.io(), station.pair(device_id), std::move(options));
    if (!link) {
      ADD_FAILURE() << link.error().message;
      return nullptr;
    }
    (*link)->start();
    EXPECT_TRUE((*link)->wait_for(LinkState::connected, kPatience)) << to_string((*link)->state());
    return std::move(*link);
  }
  std::unique_ptr<ClientLink> connected_link(const std::string& device_id) {
    return connected_link(device_id, client_options(server->port()));
  }

  static void expect_round_trip(ClientLink& link, const std::string& payload) {
    ASSERT_TRUE(link.send(payload));
    auto reply = link.receive(kPatience);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(*reply, "echo:" + payload);
  }

  TestStation station;
  RecordingHandler handler;
  EventLog events;
  std::unique_ptr<Server> server;
  IoThread io;
};

struct BadFrameCase {
  const char* name;
  std::uint32_t announced;
  CloseReason reason;
};

class BadFrame : public ServerCore, public ::testing::WithParamInterface<BadFrameCase> {};

TEST_P(BadFrame, ClosesOnlyThatConnection) {
  ServerOptions options;
  options.max_frame_size = 1024;
  start(options);
  auto good = connected_link("good-scanner");
  ASSERT_NE(good, nullptr);
  expect_round_trip(*good, "before");

  auto ctx = make_raw_context(raw_options_from(station.pair("bad-scanner")));
  // A valid frame first (answered), then the bad header.
  const std::string bytes = *encode_frame("fine") + frame_header(GetParam().announced) + "tail";
  const auto out = raw_exchange(server->port(), ctx.get(), bytes, 0, kPatience);
  ASSERT_TRUE(out.handshake_ok) << out.handshake_error;
  EXPECT_TRUE(out.closed_by_server);
  // The frame before the bad header is answered, then the station's last word, then the close.
  EXPECT_EQ(out.frames, (std::vector<std::string>{"echo:fine", "error:" + std::string(to_string(GetParam().reason))}));

  ASSERT_TRUE(handler.wait([&] {
    for (const auto& c : handler.closes()) {
      if (c.device_id == "bad-scanner") return true;
    }
    return false;
  }));
  for (const auto& c : handler.closes()) {
    if (c.device_id == "bad-scanner") {
      EXPECT_EQ(c.reason, GetParam().reason);
    }
    EXPECT_NE(c.device_id, "good-scanner");
  }
  auto closed = events.wait_for(ServerEvent::Kind::closed, "bad-scanner");
  ASSERT_TRUE(closed);
  EXPECT_NE(closed->detail.find(to_string(GetParam().reason)), std::string::npos) << closed->detail;

  // The other scanner never noticed.
  expect_round_trip(*good, "after");
  EXPECT_EQ(good->connections_established(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Cases, BadFrame,
                         ::testing::Values(BadFrameCase{"oversized", 1025, CloseReason::frame_too_large},
                                           BadFrameCase{"huge", 0xFFFFFFFFu, CloseReason::frame_too_large},
                                           BadFrameCase{"zero_length", 0, CloseReason::malformed_frame}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ServerCore, ServesManyScannersAtOnceOnOneClientThread) {
  start();
  constexpr int kScanners = 24;
  constexpr int kFramesEach = 5;
  std::vector<std::unique_ptr<ClientLink>> links;
  for (int i = 0; i < kScanners; ++i) {
    auto link = ClientLink::create(io.io(), station.pair("scanner-" + std::to_string(i)),
                                   client_options(server->port()));
    ASSERT_TRUE(link);
    (*link)->start();
    links.push_back(std::move(*link));
  }
  for (auto& link : links) ASSERT_TRUE(link->wait_for(LinkState::connected, kPatience));
  for (int f = 0; f < kFramesEach; ++f) {
    for (int i = 0; i < kScanners; ++i) ASSERT_TRUE(links[static_cast<std::size_t>(i)]->send("s" + std::to_string(i) + "-f" + std::to_string(f)));
  }
  for (int i = 0; i < kScanners; ++i) {
    for (int f = 0; f < kFramesEach; ++f) {
      auto reply = links[static_cast<std::size_t>(i)]->receive(kPatience);
      ASSERT_TRUE(reply) << "scanner " << i << " frame " << f << ": " << reply.error().message;
      // Responses on one connection come back in request order.
      EXPECT_EQ(*reply, "echo:s" + std::to_string(i) + "-f" + std::to_string(f));
    }
  }
  EXPECT_EQ(handler.connects().size(), static_cast<std::size_t>(kScanners));
}

TEST_F(ServerCore, GracefulStopWritesInFlightResponsesBeforeClosing) {
  ServerOptions options;
  options.drain_timeout = 10s;
  start(options);
  handler.hold_replies = true;
  auto link = connected_link("scanner-1");
  ASSERT_NE(link, nullptr);
  for (const char* p : {"r1", "r2", "r3"}) ASSERT_TRUE(link->send(p));
  ASSERT_TRUE(handler.wait([&] { return handler.held() == 3; }));

  server->stop();
  ASSERT_TRUE(events.wait_for(ServerEvent::Kind::stopping));
  // With three frames unanswered the connection stays open: it is draining, not dropped.
  EXPECT_FALSE(link->wait_for(LinkState::waiting_to_retry, 300ms));
  EXPECT_TRUE(handler.closes().empty());

  handler.answer_held();  // the station's work completes after stop() was requested
  for (const char* p : {"r1", "r2", "r3"}) {
    auto reply = link->receive(kPatience);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(*reply, std::string("echo:") + p);
  }
  ASSERT_TRUE(link->wait_for(LinkState::waiting_to_retry, kPatience));
  server->join();
  ASSERT_EQ(handler.closes().size(), 1u);
  EXPECT_EQ(handler.closes().front().reason, CloseReason::server_stopping);
  EXPECT_EQ(server->connection_count(), 0u);
  ASSERT_TRUE(events.wait_for(ServerEvent::Kind::stopped));
}

TEST_F(ServerCore, StopGivesUpOnAHandlerThatNeverAnswersAfterTheDrainTimeout) {
  ServerOptions options;
  options.drain_timeout = 200ms;
  start(options);
  handler.hold_replies = true;
  auto link = connected_link("scanner-1");
  ASSERT_TRUE(link->send("never answered"));
  ASSERT_TRUE(handler.wait([&] { return handler.held() == 1; }));
  server->stop();
  server->join();  // returns: the drain timeout closed the connection
  ASSERT_EQ(handler.closes().size(), 1u);
  EXPECT_EQ(handler.closes().front().reason, CloseReason::server_stopping);
  // A late answer is harmless.
  handler.answer_held();
}

TEST_F(ServerCore, SilentScannerIsClosedByTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 300ms;
  start(options);
  auto link = connected_link("quiet-scanner");
  ASSERT_TRUE(handler.wait([&] { return handler.closes().size() == 1; }));
  EXPECT_EQ(handler.closes().front().reason, CloseReason::idle_timeout);
  EXPECT_EQ(handler.closes().front().device_id, "quiet-scanner");
  ASSERT_TRUE(link->wait_for(LinkState::waiting_to_retry, kPatience));
  EXPECT_EQ(link->last_error()->code, Errc::connection_lost);
}

TEST_F(ServerCore, HeartbeatsKeepAScannerConnectedPastTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 300ms;
  start(options);
  auto client = client_options(server->port());
  client.heartbeat_interval = 50ms;
  client.heartbeat_payload = "heartbeat";
  client.on_frame = [](std::string) {};  // drop the echoes
  auto link = connected_link("busy-scanner", client);
  ASSERT_TRUE(handler.wait([&] { return handler.frames().size() >= 20; }));  // about 1 s
  EXPECT_TRUE(handler.closes().empty());
  EXPECT_EQ(link->state(), LinkState::connected);
  EXPECT_EQ(link->connections_established(), 1u);
  for (const auto& f : handler.frames()) EXPECT_EQ(f, "heartbeat");
}

TEST_F(ServerCore, ScannerNoticesAStationThatStoppedAnswering) {
  ServerOptions options;
  options.idle_timeout = 0ms;
  start(options);
  handler.hold_replies = true;  // the station accepts frames but never answers
  auto client = client_options(server->port());
  client.dead_after = 300ms;
  client.retry_initial = 10s;  // stay in waiting_to_retry for the assertion
  client.retry_max = 10s;
  auto link = connected_link("scanner-1", client);
  ASSERT_TRUE(link->wait_for(LinkState::waiting_to_retry, kPatience));
  ASSERT_TRUE(link->last_error());
  EXPECT_EQ(link->last_error()->code, Errc::timeout);
}

TEST_F(ServerCore, TcpClientThatNeverHandshakesIsDropped) {
  ServerOptions options;
  options.handshake_timeout = 200ms;
  start(options);
  const auto out = raw_exchange(server->port(), nullptr, {}, 0, kPatience);
  ASSERT_TRUE(out.tcp_connected);
  EXPECT_TRUE(out.closed_by_server);
  auto failed = events.wait_for(ServerEvent::Kind::handshake_failed);
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->detail.find("timed out"), std::string::npos) << failed->detail;
}

TEST_F(ServerCore, ConnectionsBeyondTheLimitAreClosedAndLogged) {
  ServerOptions options;
  options.max_connections = 1;
  start(options);
  auto link = connected_link("scanner-1");
  ASSERT_NE(link, nullptr);
  const auto out = raw_exchange(server->port(), nullptr, {}, 0, kPatience);
  ASSERT_TRUE(out.tcp_connected);
  EXPECT_TRUE(out.closed_by_server);
  auto limited = events.wait_for(ServerEvent::Kind::error);
  ASSERT_TRUE(limited);
  EXPECT_NE(limited->detail.find("too many connections"), std::string::npos) << limited->detail;
  expect_round_trip(*link, "still served");
}

TEST_F(ServerCore, ScannerReconnectsAfterTheStationRestarts) {
  start();
  const std::uint16_t port = server->port();
  auto link = connected_link("scanner-1");
  ASSERT_NE(link, nullptr);
  expect_round_trip(*link, "before restart");

  server->stop();
  server->join();
  server.reset();
  ASSERT_TRUE(link->wait_for(LinkState::waiting_to_retry, kPatience));
  EXPECT_EQ(link->send("while down").error().code, Errc::not_connected);

  ServerOptions options;
  options.port = port;
  options.threads = 2;
  options.on_event = events.sink();
  server = start_server(station.credentials(), *station.registry, handler, options);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server->port(), port);
  ASSERT_TRUE(link->wait_for(LinkState::connected, kPatience)) << to_string(link->state());
  EXPECT_EQ(link->connections_established(), 2u);
  expect_round_trip(*link, "after restart");
}

TEST_F(ServerCore, HandlerCanCloseAConnectionAfterItsResponse) {
  class Closer : public FrameHandler {
   public:
    void on_connect(const Session&) override {}
    void on_frame(const Session&, std::string, Reply reply) override {
      reply.send("goodbye");
      reply.close();
    }
    void on_close(const Session&, CloseReason r) override { reason = r; }
    std::atomic<CloseReason> reason{CloseReason::peer_closed};
  } closer;
  ServerOptions options;
  options.on_event = events.sink();
  auto srv = start_server(station.credentials(), *station.registry, closer, options);
  ASSERT_NE(srv, nullptr);
  auto ctx = make_raw_context(raw_options_from(station.pair("scanner-1")));
  const auto out = raw_exchange(srv->port(), ctx.get(), *encode_frame("bad envelope"), 0, kPatience);
  EXPECT_EQ(out.frames, std::vector<std::string>{"goodbye"});
  EXPECT_TRUE(out.closed_by_server);
  srv->stop();
  srv->join();
  EXPECT_EQ(closer.reason.load(), CloseReason::handler_closed);
}

TEST_F(ServerCore, SyncHandlerResponsesArriveInOrder) {
  class TwoAnswers : public SyncFrameHandler {
   public:
    void on_connect(const Session&) override {}
    void on_close(const Session&, CloseReason) override {}
    std::vector<std::string> handle(const Session& session, std::string payload) override {
      return {"ack:" + payload, "from:" + session.device.device_id};
    }
  } two;
  ServerOptions options;
  options.on_event = events.sink();
  auto srv = start_server(station.credentials(), *station.registry, two, options);
  ASSERT_NE(srv, nullptr);
  auto link = connected_link("scanner-9", client_options(srv->port()));
  ASSERT_NE(link, nullptr);
  ASSERT_TRUE(link->send("a"));
  ASSERT_TRUE(link->send("b"));
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) {
    auto reply = link->receive(kPatience);
    ASSERT_TRUE(reply) << reply.error().message;
    got.push_back(*reply);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"ack:a", "from:scanner-9", "ack:b", "from:scanner-9"}));
  link.reset();
  srv->stop();
  srv->join();
}

TEST_F(ServerCore, SendRefusesFramesTheServerWouldReject) {
  start();
  auto link = connected_link("scanner-1");
  EXPECT_EQ(link->send("").error().code, Errc::frame_empty);
  EXPECT_EQ(link->send(std::string(kDefaultMaxFrameSize + 1, 'x')).error().code, Errc::frame_too_large);
  link->stop();
  EXPECT_EQ(link->send("x").error().code, Errc::stopped);
  EXPECT_EQ(link->state(), LinkState::stopped);
}

}  // namespace
}  // namespace bcma::transport
