// Every bcma.v1 payload survives serialisation inside an Envelope with every field intact.
// Each case fills every field (checked by reflection), so a field added to a .proto without a
// value here fails the test rather than going untested.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>

#include "bcma/v1/envelope.pb.h"

namespace bcma::v1 {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

google::protobuf::Timestamp at(std::int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  t.set_nanos(250'000'000);
  return t;
}

RawDecode gs1_decode() {
  RawDecode d;
  d.set_format("DataMatrix");
  d.set_symbology("]d2");
  // GS separators and a byte that is not UTF-8 must both survive (text is bytes).
  static constexpr char kText[] = "010950600013435217251231" "10ABC123\x1d" "21XYZ987\xff";
  d.set_text(std::string(kText, sizeof kText - 1));
  d.set_gs1(true);
  return d;
}

Reason reason(const char* code, const char* message) {
  Reason r;
  r.set_code(code);
  r.set_message(message);
  return r;
}

// Sets every field of `message` that is still unset, recursively, to a value that is not the
// default (strings name their field; numbers and enums are 1 or the first non-zero value;
// repeated fields get one element). Used for the protocol 1.1 messages and fields, whose
// realistic values matter less here than that each one survives the wire.
void fill_unset(Message& message, int depth = 0) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* f = descriptor->field(i);
    if (f->containing_oneof() != nullptr && !f->containing_oneof()->is_synthetic() &&
        reflection->GetOneofFieldDescriptor(message, f->containing_oneof()) != nullptr) {
      continue;  // a oneof already chosen
    }
    if (f->is_repeated()) {
      if (reflection->FieldSize(message, f) > 0) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          for (int j = 0; j < reflection->FieldSize(message, f); ++j) {
            fill_unset(*reflection->MutableRepeatedMessage(&message, f, j), depth + 1);
          }
        }
        continue;
      }
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING: reflection->AddString(&message, f, f->name()); break;
        case FieldDescriptor::CPPTYPE_MESSAGE: fill_unset(*reflection->AddMessage(&message, f), depth + 1); break;
        case FieldDescriptor::CPPTYPE_INT32: reflection->AddInt32(&message, f, 1); break;
        case FieldDescriptor::CPPTYPE_INT64: reflection->AddInt64(&message, f, 1); break;
        case FieldDescriptor::CPPTYPE_UINT32: reflection->AddUInt32(&message, f, 1); break;
        case FieldDescriptor::CPPTYPE_UINT64: reflection->AddUInt64(&message, f, 1); break;
        case FieldDescriptor::CPPTYPE_BOOL: reflection->AddBool(&message, f, true); break;
        case FieldDescriptor::CPPTYPE_ENUM: reflection->AddEnumValue(&message, f, 1); break;
        default: break;
      }
      continue;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Message* child = reflection->MutableMessage(&message, f);
      if (f->message_type()->full_name() == "google.protobuf.Timestamp") {
        auto* ts = static_cast<google::protobuf::Timestamp*>(child);
        if (ts->seconds() == 0) ts->set_seconds(1'767'230'000 + depth);
      } else {
        fill_unset(*child, depth + 1);
      }
      continue;
    }
    if (reflection->HasField(message, f)) continue;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: reflection->SetString(&message, f, f->name()); break;
      case FieldDescriptor::CPPTYPE_INT32: reflection->SetInt32(&message, f, 1); break;
      case FieldDescriptor::CPPTYPE_INT64: reflection->SetInt64(&message, f, 1); break;
      case FieldDescriptor::CPPTYPE_UINT32: reflection->SetUInt32(&message, f, 1); break;
      case FieldDescriptor::CPPTYPE_UINT64: reflection->SetUInt64(&message, f, 1); break;
      case FieldDescriptor::CPPTYPE_BOOL: reflection->SetBool(&message, f, true); break;
      case FieldDescriptor::CPPTYPE_ENUM: reflection->SetEnumValue(&message, f, 1); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: reflection->SetDouble(&message, f, 1.5); break;
      case FieldDescriptor::CPPTYPE_FLOAT: reflection->SetFloat(&message, f, 1.5F); break;
      default: break;
    }
  }
}

// An envelope whose payload `name` has every field set by fill_unset.
Envelope filled(int request_id, const char* name) {
  Envelope e;
  e.set_request_id(static_cast<std::uint64_t>(request_id));
  const auto* field = Envelope::descriptor()->FindFieldByName(name);
  fill_unset(*e.GetReflection()->MutableMessage(&e, field));
  return e;
}

struct Case {
  const char* name;
  std::function<Envelope()> make;
};

std::vector<Case> cases() {
  return {
      {"device_hello", [] {
         Envelope e;
         e.set_request_id(1);
         auto* m = e.mutable_device_hello();
         m->set_protocol_major(1);
         m->set_protocol_minor(3);
         m->set_device_id("scanner-07");
         m->set_firmware_version("0.1.0+g4fe1bd4");
         return e;
       }},
      {"hello_response", [] {
         Envelope e;
         e.set_request_id(1);
         auto* m = e.mutable_hello_response();
         m->set_accepted(true);
         m->set_protocol_major(1);
         m->set_protocol_minor(2);
         m->set_station_id("rose-court");
         *m->mutable_station_time() = at(1'767'225'600);
         m->set_message("welcome");
         return e;
       }},
      {"staff_login", [] {
         Envelope e;
         e.set_request_id(2);
         auto* m = e.mutable_staff_login();
         m->set_badge_gsrn("952000000000000017");
         m->set_pin("4711");
         return e;
       }},
      {"staff_login_result", [] {
         Envelope e;
         e.set_request_id(2);
         auto* m = e.mutable_staff_login_result();
         m->set_status(StaffLoginResult::STATUS_OK);
         m->set_session_id("s-1");
         m->set_staff_name("Amara Okafor");
         *m->mutable_expires_at() = at(1'767'254'400);
         m->set_message("logged in");
         return e;
       }},
      {"scan_resident", [] {
         Envelope e;
         e.set_request_id(3);
         auto* m = e.mutable_scan_resident();
         m->set_session_id("s-1");
         *m->mutable_decode() = gs1_decode();
         m->set_entry(ENTRY_METHOD_SCANNED);
         return e;
       }},
      {"resident_summary", [] {
         Envelope e;
         e.set_request_id(3);
         auto* m = e.mutable_resident_summary();
         m->set_status(ResidentSummary::STATUS_FOUND);
         m->set_resident_id("r-12");
         m->set_display_name("Edith Clarke");
         m->set_date_of_birth("1938-04-17");
         m->set_nhs_number("9990000018");
         m->add_allergies("penicillin");
         m->set_due_count(4);
         *m->add_alerts() =
             reason("covert", "Covert administration agreed (best-interest decision on file).");
         *m->add_reasons() = reason("none", "Shown only for completeness of this test.");
         return e;
       }},
      {"scan_item", [] {
         Envelope e;
         e.set_request_id(4);
         auto* m = e.mutable_scan_item();
         m->set_session_id("s-1");
         m->set_resident_id("r-12");
         *m->mutable_decode() = gs1_decode();
         m->set_entry(ENTRY_METHOD_TYPED);
         return e;
       }},
      {"verdict", [] {
         Envelope e;
         e.set_request_id(4);
         auto* m = e.mutable_verdict();
         m->set_decision(Verdict::DECISION_BLOCK);
         *m->add_reasons() =
             reason("too_soon", "Paracetamol was given 2 hours ago; the minimum gap is 4 hours.");
         m->set_verdict_id("v-99");
         m->set_scheduled_dose_id("d-5");
         m->set_medicine_name("Paracetamol 500mg tablets");
         m->set_dose_text("2 tablets, by mouth");
         return e;
       }},
      {"record_outcome", [] {
         Envelope e;
         e.set_request_id(5);
         auto* m = e.mutable_record_outcome();
         m->set_outcome_id("3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f01");
         m->set_session_id("s-1");
         m->set_resident_id("r-12");
         m->set_verdict_id("v-99");
         m->set_scheduled_dose_id("d-5");
         m->set_kind(OUTCOME_KIND_NOT_GIVEN);
         m->mutable_quantity()->set_value("2.5");
         m->mutable_quantity()->set_unit("ml");
         m->set_non_administration_code("refused");
         auto* o = m->mutable_override();
         o->set_by_staff_id("st-3");
         o->set_reason_code("prescriber_advised");
         o->set_reason_text("GP confirmed by phone at 14:05");
         o->mutable_witness()->set_badge_gsrn("952000000000000024");
         o->mutable_witness()->set_pin("8080");
         *m->mutable_event_time() = at(1'767'230'000);
         m->set_note("Resident said she would take it later.");
         return e;
       }},
      {"acknowledgement", [] {
         Envelope e;
         e.set_request_id(5);
         auto* m = e.mutable_acknowledgement();
         m->set_outcome_id("3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f01");
         m->set_status(Acknowledgement::STATUS_RECORDED);
         m->set_record_id("a-100234");
         *m->mutable_recorded_at() = at(1'767'230'001);
         *m->add_reasons() = reason("late", "Recorded 40 minutes after the round time.");
         return e;
       }},
      {"heartbeat", [] {
         Envelope e;
         e.set_request_id(6);
         auto* m = e.mutable_heartbeat();
         *m->mutable_sent_at() = at(1'767'230'100);
         m->set_pending_outcomes(3);
         return e;
       }},
      {"error", [] {
         Envelope e;
         e.set_request_id(7);
         auto* m = e.mutable_error();
         m->set_code("session_expired");
         m->set_message("Log in again: your session ended at 14:00.");
         return e;
       }},
      // Protocol 1.1.
      {"round_snapshot_request", [] { return filled(8, "round_snapshot_request"); }},
      {"round_snapshot", [] { return filled(9, "round_snapshot"); }},
      {"confirm_witness", [] { return filled(10, "confirm_witness"); }},
      {"witness_confirmation", [] { return filled(11, "witness_confirmation"); }},
  };
}

// Every field of `message`, recursively, holds a non-default value: the round trip covers it.
void expect_fully_populated(const Message& message, const std::string& path) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const std::string where = path + "." + field->name();
    if (field->is_repeated()) {
      EXPECT_GT(reflection->FieldSize(message, field), 0) << where << " is empty";
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        for (int j = 0; j < reflection->FieldSize(message, field); ++j)
          expect_fully_populated(reflection->GetRepeatedMessage(message, field, j), where);
      }
    } else {
      EXPECT_TRUE(reflection->HasField(message, field)) << where << " is not set";
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          reflection->HasField(message, field) &&
          field->message_type()->full_name() != "google.protobuf.Timestamp") {
        expect_fully_populated(reflection->GetMessage(message, field), where);
      }
    }
  }
}

class RoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(RoundTrip, SurvivesSerialisationWithEveryFieldSet) {
  Envelope sent = GetParam().make();
  // The hand-written 1.0 cases predate the 1.1 fields: fill those in too.
  {
    const auto* oneof = Envelope::descriptor()->FindOneofByName("payload");
    const FieldDescriptor* chosen = sent.GetReflection()->GetOneofFieldDescriptor(sent, oneof);
    ASSERT_NE(chosen, nullptr);
    fill_unset(*sent.GetReflection()->MutableMessage(&sent, chosen));
  }
  const auto* payload_oneof = Envelope::descriptor()->FindOneofByName("payload");
  const FieldDescriptor* payload =
      sent.GetReflection()->GetOneofFieldDescriptor(sent, payload_oneof);
  ASSERT_NE(payload, nullptr);
  EXPECT_EQ(payload->name(), GetParam().name);
  expect_fully_populated(sent.GetReflection()->GetMessage(sent, payload), payload->name());

  std::string wire;
  ASSERT_TRUE(sent.SerializeToString(&wire));
  Envelope received;
  ASSERT_TRUE(received.ParseFromString(wire));
  EXPECT_EQ(received.payload_case(), sent.payload_case());
  EXPECT_EQ(received.request_id(), sent.request_id());
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(sent, received)) << differences;
}

INSTANTIATE_TEST_SUITE_P(EveryPayload, RoundTrip, ::testing::ValuesIn(cases()),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(Envelope, EveryPayloadHasARoundTripCase) {
  std::set<std::string> covered;
  for (const auto& c : cases()) covered.insert(c.name);
  const auto* payload = Envelope::descriptor()->FindOneofByName("payload");
  ASSERT_NE(payload, nullptr);
  for (int i = 0; i < payload->field_count(); ++i)
    EXPECT_TRUE(covered.count(payload->field(i)->name())) << payload->field(i)->name();
  EXPECT_EQ(covered.size(), static_cast<std::size_t>(payload->field_count()));
}

TEST(Envelope, GsAndNonUtf8BytesInADecodeSurvive) {
  Envelope e;
  *e.mutable_scan_item()->mutable_decode() = gs1_decode();
  std::string wire;
  ASSERT_TRUE(e.SerializeToString(&wire));
  Envelope back;
  ASSERT_TRUE(back.ParseFromString(wire));
  const std::string& text = back.scan_item().decode().text();
  EXPECT_EQ(text.size(), 42u);  // 24 + 8 + GS + 8 + the 0xFF byte
  EXPECT_NE(text.find('\x1d'), std::string::npos);
  EXPECT_EQ(text.back(), '\xff');
}

TEST(Envelope, FieldNumbersAreTheOnesPublishedInVersion1) {
  // Renumbering a field silently breaks every deployed scanner (docs/protocol.md): pin them.
  const auto* d = Envelope::descriptor();
  EXPECT_EQ(d->FindFieldByName("request_id")->number(), 1);
  EXPECT_EQ(d->FindFieldByName("device_hello")->number(), 10);
  EXPECT_EQ(d->FindFieldByName("record_outcome")->number(), 18);
  EXPECT_EQ(d->FindFieldByName("acknowledgement")->number(), 19);
  EXPECT_EQ(d->FindFieldByName("error")->number(), 21);
  EXPECT_EQ(RecordOutcome::descriptor()->FindFieldByName("outcome_id")->number(), 1);
  EXPECT_EQ(RecordOutcome::descriptor()->FindFieldByName("event_time")->number(), 10);
  EXPECT_EQ(RawDecode::descriptor()->FindFieldByName("text")->type(), FieldDescriptor::TYPE_BYTES);
}

}  // namespace
}  // namespace bcma::v1
