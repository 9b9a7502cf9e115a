// The GS1 half of scan classification: which identifiers a validated message carries decides
// what was scanned (rules and reasons in scan.hpp and docs/pharmacy-label.md).
#include <array>
#include <string>
#include <utility>

#include "bcma/ident/nhs_number.hpp"
#include "bcma/scan/scan.hpp"
#include "classify_internal.hpp"

namespace bcma::scan {

namespace detail {

std::string_view non_medicine_range(std::string_view gtin14) {
  if (gtin14.size() != 14) return "not a 14-digit GTIN";
  if (gtin14[0] == '9')
    return "a variable-measure item (GTIN indicator digit 9), sold by weight or length";
  const std::string_view gtin13 = gtin14.substr(1);
  if (gtin13.starts_with("0000000"))
    return "a restricted circulation number for use inside one company";
  if (gtin13.starts_with("02") || gtin13.starts_with("04") || gtin13[0] == '2')
    return "a restricted circulation (in-store) number, such as a weighed or price-marked item";
  if (gtin13.starts_with("977")) return "a magazine or journal (ISSN)";
  if (gtin13.starts_with("978") || gtin13.starts_with("979"))
    return "a book or printed music (ISBN)";
  if (gtin13.starts_with("980")) return "a refund receipt";
  if (gtin13.starts_with("981") || gtin13.starts_with("982") || gtin13.starts_with("99"))
    return "a coupon";
  return {};
}

Scan linear_pack(std::string gtin14) {
  if (auto range = non_medicine_range(gtin14); !range.empty()) {
    return make_unknown(UnknownReason::kNotAMedicine,
                        "This barcode's GTIN is " + std::string(range) +
                            ", not a medicine pack. Scan the barcode on the medicine pack itself.");
  }
  MedicinePack pack;
  pack.gtin = std::move(gtin14);
  pack.from_linear = true;
  Scan scan;
  scan.kind = Kind::kMedicinePack;
  scan.data = std::move(pack);
  return scan;
}

}  // namespace detail

namespace {

using detail::make_unknown;

// The NHS number inside an NHS GSRN: nullopt if the GSRN is not under a configured NHS prefix,
// an NhsNumber if it is and the number is valid, an error otherwise.
struct EmbeddedNhs {
  bool nhs_prefix = false;
  std::optional<std::string> number;
  std::string error;
};

EmbeddedNhs embedded_nhs_number(const std::string& gsrn, const Context& context) {
  EmbeddedNhs out;
  for (const auto& prefix : context.nhs_gsrn_prefixes()) {
    if (gsrn.size() != 18 || !gsrn.starts_with(prefix)) continue;
    out.nhs_prefix = true;
    auto nhs = ident::NhsNumber::parse(std::string_view(gsrn).substr(prefix.size(), 10));
    if (nhs) {
      out.number = nhs->digits();
    } else {
      out.error = nhs.error().message;
    }
    return out;
  }
  return out;
}

Scan bad_embedded_nhs(std::string_view what, const std::string& error) {
  return make_unknown(
      UnknownReason::kBadEmbeddedNhsNumber,
      "This " + std::string(what) +
          " carries a GSRN under this home's NHS number prefix, but the NHS number inside it "
          "is not valid. " + error + " Do not use it: identify the resident another way and "
          "have it reprinted.");
}

Result<std::optional<ExpiryDate>> expiry_of(const gs1::Message& message, const Context& context) {
  const std::string* yymmdd = message.find("17");
  if (yymmdd == nullptr) return std::optional<ExpiryDate>();
  auto date = parse_gs1_date(*yymmdd, context.current_year());
  if (!date) return Unexpected(date.error());
  return std::optional<ExpiryDate>(*date);
}

std::optional<std::string> optional_value(const gs1::Message& message, std::string_view ai) {
  const std::string* value = message.find(ai);
  return value == nullptr ? std::nullopt : std::optional<std::string>(*value);
}

Scan bad_expiry(const bcma::Error& error) {
  return make_unknown(UnknownReason::kUnreadableGs1,
                      "The expiry date (17) is not a real date: " + error.message +
                          " Set the pack aside and tell the pharmacy.");
}

Scan wristband(const gs1::Message& message, const Context& context) {
  ResidentWristband band;
  band.gsrn = *message.find("8018");
  band.srin = optional_value(message, "8019");
  auto nhs = embedded_nhs_number(*band.gsrn, context);
  if (nhs.nhs_prefix && !nhs.number) return bad_embedded_nhs("wristband", nhs.error);
  band.nhs_number = nhs.number;
  Scan scan;
  scan.kind = Kind::kResidentWristband;
  scan.data = std::move(band);
  return scan;
}

Scan pharmacy_label(const gs1::Message& message, const Context& context) {
  PharmacyLabel label;
  label.resident_gsrn = *message.find("8018");
  label.dispensed_item = *message.find("253");
  // A GDTI of 13 digits alone names a document type; only its serial names this dispensing.
  if (label.dispensed_item.size() <= 13) {
    return make_unknown(UnknownReason::kIncompleteLabel,
                        "This pharmacy label's dispensed-item identifier (253) has no serial "
                        "part, so it does not say which dispensed item it is. Ask the pharmacy "
                        "to reprint the label.");
  }
  auto nhs = embedded_nhs_number(label.resident_gsrn, context);
  if (nhs.nhs_prefix && !nhs.number) return bad_embedded_nhs("pharmacy label", nhs.error);
  label.resident_nhs_number = nhs.number;
  label.gtin = optional_value(message, "01");
  if (label.gtin) {
    if (auto range = detail::non_medicine_range(*label.gtin); !range.empty()) {
      return make_unknown(UnknownReason::kNotAMedicine,
                          "This pharmacy label's product GTIN (01) is " + std::string(range) +
                              ", not a medicine. Ask the pharmacy to reprint the label.");
    }
  }
  auto expiry = expiry_of(message, context);
  if (!expiry) return bad_expiry(expiry.error());
  label.expiry = *expiry;
  label.batch = optional_value(message, "10");
  Scan scan;
  scan.kind = Kind::kPharmacyLabel;
  scan.data = std::move(label);
  return scan;
}

Scan medicine_pack(const gs1::Message& message, const Context& context) {
  MedicinePack pack;
  pack.gtin = *message.find("01");
  if (auto range = detail::non_medicine_range(pack.gtin); !range.empty()) {
    return make_unknown(UnknownReason::kNotAMedicine,
                        "This code's GTIN (01) is " + std::string(range) +
                            ", not a medicine pack. Scan the barcode on the medicine pack.");
  }
  auto expiry = expiry_of(message, context);
  if (!expiry) return bad_expiry(expiry.error());
  pack.expiry = *expiry;
  pack.batch = optional_value(message, "10");
  pack.serial = optional_value(message, "21");
  for (const auto& element : message.elements) {
    const std::string& ai = element.ai;
    if (ai.size() == 3 && ai.starts_with("71") && ai[2] >= '0' && ai[2] <= '7')
      pack.national_numbers.push_back(element);
  }
  Scan scan;
  scan.kind = Kind::kMedicinePack;
  scan.data = std::move(pack);
  return scan;
}

struct KeyDescription {
  std::string_view ai;
  std::string_view what;
};

// GS1 keys met on goods and paperwork in a care home that bcma deliberately does not use.
constexpr std::array kOtherKeys{
    KeyDescription{"00", "a shipping container label (SSCC, AI 00)"},
    KeyDescription{"02", "a delivery label for a case of goods (AI 02)"},
    KeyDescription{"8004", "an asset tag (GIAI, AI 8004)"},
    KeyDescription{"8003", "a returnable asset label (GRAI, AI 8003)"},
    KeyDescription{"255", "a coupon (GCN, AI 255)"},
    KeyDescription{"8006", "one piece of a multi-part item (ITIP, AI 8006)"},
    KeyDescription{"401", "a consignment label (GINC, AI 401)"},
    KeyDescription{"402", "a shipment label (GSIN, AI 402)"},
    KeyDescription{"8010", "a component or part (CPID, AI 8010)"},
    KeyDescription{"8013", "a medical device model number (GMN, AI 8013)"},
};

Scan not_used(const gs1::Message& message) {
  for (const auto& key : kOtherKeys) {
    if (message.has(key.ai)) {
      return make_unknown(UnknownReason::kNotUsed,
                          "This is " + std::string(key.what) + ", not something bcma uses. " +
                              std::string(detail::kWhatWeScan));
    }
  }
  std::string ais;
  for (const auto& element : message.elements) {
    if (!ais.empty()) ais += ", ";
    ais += "(" + element.ai + ")";
  }
  return make_unknown(UnknownReason::kNotUsed,
                      "This GS1 code carries " + ais +
                          " but no identifier bcma uses. " + std::string(detail::kWhatWeScan));
}

}  // namespace

Scan classify_message(gs1::Message message, const Context& context) {
  const bool gtin = message.has("01");
  const bool gdti = message.has("253");
  const bool provider = message.has("8017");
  const bool recipient = message.has("8018");
  Scan scan;
  if (provider && recipient) {
    // The GS1 rules forbid this pair, so the parser should have refused it; never guess.
    scan = make_unknown(UnknownReason::kAmbiguous,
                        "This code carries both a staff GSRN (8017) and a resident GSRN (8018), "
                        "which GS1 forbids. Do not use it; report the label.");
  } else if (recipient && gdti) {
    scan = pharmacy_label(message, context);
  } else if (recipient && gtin) {
    scan = make_unknown(UnknownReason::kAmbiguous,
                        "This code carries a resident's GSRN (8018) and a product GTIN (01) but "
                        "no dispensed-item identifier (253): it is neither a wristband nor a "
                        "complete pharmacy label. Do not use it to identify the resident; ask the "
                        "pharmacy about the label.");
  } else if (recipient) {
    scan = wristband(message, context);
  } else if (provider && (gtin || gdti)) {
    scan = make_unknown(UnknownReason::kAmbiguous,
                        "This code carries a staff GSRN (8017) together with a product or "
                        "document identifier, so it is not a staff badge. Log in with your own "
                        "badge.");
  } else if (provider) {
    StaffBadge badge{*message.find("8017")};
    scan.kind = Kind::kStaffBadge;
    scan.data = std::move(badge);
  } else if (gdti) {
    scan = make_unknown(UnknownReason::kIncompleteLabel,
                        "This code carries a document identifier (GDTI, 253) but no resident "
                        "(8018). If it is a pharmacy label, it must say whose medicine it is: "
                        "ask the pharmacy to reprint it.");
  } else if (gtin) {
    scan = medicine_pack(message, context);
  } else if (message.has("414")) {
    Location location{*message.find("414")};
    scan.kind = Kind::kLocation;
    scan.data = std::move(location);
  } else {
    scan = not_used(message);
  }
  scan.gs1 = std::move(message);
  return scan;
}

}  // namespace bcma::scan
