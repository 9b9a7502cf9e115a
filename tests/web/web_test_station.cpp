// A station for the browser tests: a fresh station directory (CA and certificate made as
// `bcma station init` makes them), a database seeded with a home, staff of every role and a
// few weeks of rounds, and the web server on 127.0.0.1 with a free port. Prints one JSON line
// (port, sign-in credentials per role, the identifiers a page must never show to an
// evaluator), then serves until its standard input closes.
//
// usage: bcma_web_test_station DIR
#include <chrono>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "../station/store_test_support.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/web/server.hpp"

namespace {

using namespace bcma;
namespace t = bcma::station::store::testing;
using station::store::Store;

domain::Instant at(int day, int hour, int minute) {
  return domain::Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / day}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute};
}

int die(const std::string& what) {
  std::cerr << "bcma_web_test_station: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return die("usage: bcma_web_test_station DIR");
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);

  station::pki::InitOptions init;
  init.station_name = "station.test.bcma";
  init.organisation = "Rowan House";
  auto ca = station::pki::CertificateAuthority::initialise(dir / "station", init,
                                                           std::chrono::system_clock::now());
  if (!ca) return die("CA: " + ca.error().message);
  auto credentials = ca->server_credentials();
  if (!credentials) return die("credentials: " + credentials.error().message);

  const auto db_path = dir / "station.db";
  nlohmann::ordered_json users;
  nlohmann::ordered_json identifiers = nlohmann::ordered_json::array();
  {
    domain::FixedClock clock(t::test_now());
    station::store::StoreOptions options;
    options.pin_cost = station::store::PinHashCost::minimum();
    auto store = Store::open(db_path, clock, options);
    if (!store) return die("store: " + store.error().message);
    auto seed = t::seed_home(*store);
    if (!seed) return die("seed: " + seed.error().message);
    const station::store::Actor setup = t::setup_actor();
    users["care_worker"] = {{"badge", seed->carer_badge}, {"pin", "1234"}};
    struct Extra {
      const char* role_key;
      const char* name;
      const char* serial;
      domain::Role role;
      const char* pin;
    };
    for (const Extra& e : {Extra{"pharmacist", "Priya Pharmacist", "80170000000000021", domain::Role::kPharmacist, "2580"},
                           Extra{"evaluator", "Evan Evaluator", "80170000000000022", domain::Role::kEvaluator, "3690"},
                           Extra{"manager", "Mina Manager", "80170000000000023", domain::Role::kManager, "4701"}}) {
      const std::string badge = t::gsrn(e.serial);
      auto id = store->add_staff({0, e.name, badge, e.role, true}, e.pin, setup);
      if (!id) return die("staff: " + id.error().message);
      users[e.role_key] = {{"badge", badge}, {"pin", e.pin}};
    }
    // Two weeks of Alice's morning paracetamol, one dose given late with no wristband scan,
    // a refusal by Bob, a blocked scan, and a dropped tablet.
    std::uint64_t n = 0;
    for (int day = 11; day <= 24; ++day) {
      clock.set(at(day, 8, 10));
      auto r = t::given_record(*seed, ++n, at(day, 8, 10));
      r.slot = at(day, 8, 0);
      if (day == 15) {
        r.event_time = at(day, 9, 45);
        clock.set(r.event_time);
        r.wristband = station::store::ScanEvidence::unable_to_scan("band unreadable");
      }
      auto a = store->record_administration(r);
      if (!a) return die("record: " + a.error().message);
    }
    clock.set(at(12, 8, 0));
    station::store::NewAdministration refused;
    refused.record_id = t::uuid(900);
    refused.resident_id = seed->bob;
    refused.prescription_id = seed->bob_paracetamol;
    refused.slot = at(12, 8, 0);
    refused.outcome = domain::Outcome::kRefused;
    refused.code = "refused";
    refused.wristband = station::store::ScanEvidence::unable_to_scan("no band");
    refused.event_time = at(12, 8, 0);
    refused.device_id = "scanner-02";
    refused.staff_id = seed->carer;
    if (auto a = store->record_administration(refused); !a) return die("refusal: " + a.error().message);
    clock.set(at(13, 8, 5));
    auto v = store->append_audit(station::store::AuditEvent{
        station::store::AuditKind::kVerdict, {seed->carer, "scanner-01"}, "resident:1",
        nlohmann::ordered_json{{"resident_id", seed->alice}, {"decision", "block"},
                               {"reasons", {{{"code", "wrong_resident"}, {"message", "for Bob Baker"}}}}}
            .dump()});
    if (!v) return die("verdict: " + v.error().message);
    clock.set(at(14, 12, 0));
    station::store::NewStockEntry waste;
    waste.kind = station::store::StockKind::kWaste;
    waste.label_id = seed->alice_label;
    waste.resident_id = seed->alice;
    waste.quantity = domain::Decimal::from_int(1);
    waste.reason = "dropped";
    waste.witness = seed->nurse;
    waste.event_time = at(14, 12, 0);
    if (auto w = store->record_stock(waste, {seed->carer, "station"}); !w) {
      return die("waste: " + w.error().message);
    }
    for (auto id : {seed->alice, seed->bob}) {
      auto r = store->resident(id);
      if (!r) return die("resident: " + r.error().message);
      identifiers.push_back(r->given_name);
      identifiers.push_back(r->family_name);
      identifiers.push_back(r->nhs_number);
      identifiers.push_back(domain::to_string(r->date_of_birth));
      if (!r->wristband_gsrn.empty()) identifiers.push_back(r->wristband_gsrn);
    }
    for (const auto& [role, u] : users.items()) identifiers.push_back(u["badge"]);
    identifiers.push_back("Carol Carer");
  }

  station::web::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.cert_pem = credentials->cert_pem;
  options.key_pem = credentials->key_pem;
  options.database = db_path;
  options.pin_cost = station::store::PinHashCost::minimum();
  auto server = station::web::Server::start(options);
  if (!server) return die("web: " + server.error().code + ": " + server.error().message);
  std::cout << nlohmann::ordered_json{{"event", "listening"},
                                      {"port", (*server)->port()},
                                      {"users", users},
                                      {"identifiers", identifiers}}
                   .dump()
            << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  (*server)->stop();
  return 0;
}
