#pragma once
/// \file
/// The stable error codes of the dm+d import and lookups (`bcma::Error::code`). Import errors
/// carry the file, the line and the reason in the message: "f_vmp2_3010617.xml:123: ...".

namespace bcma::station::dmd::errc {

// Reading the release.
inline constexpr const char* kIo = "io_error";                ///< a file cannot be read
inline constexpr const char* kBadZip = "bad_zip";              ///< not a zip, truncated, bad CRC
inline constexpr const char* kMissingFile = "missing_file";    ///< a required f_*.xml is absent
inline constexpr const char* kMixedRelease = "mixed_release";  ///< two files of one kind, or dates differ
inline constexpr const char* kMalformedXml = "malformed_xml";  ///< not well-formed, or truncated
inline constexpr const char* kUnknownSchema = "unknown_schema";  ///< root, section, element or version
inline constexpr const char* kInvalidValue = "invalid_value";  ///< a value of the wrong form
inline constexpr const char* kDuplicate = "duplicate_record";  ///< the same id twice
inline constexpr const char* kBrokenReference = "broken_reference";  ///< names what is not there
inline constexpr const char* kOlderRelease = "older_release";  ///< older than what is imported

// Lookups.
inline constexpr const char* kInvalidGtin = "invalid_gtin";
inline constexpr const char* kUnknownGtin = "unknown_gtin";
inline constexpr const char* kGtinNotInForce = "gtin_not_in_force";  ///< known, not on that date
inline constexpr const char* kUnknownProduct = "unknown_product";
inline constexpr const char* kNoRelease = "no_release";  ///< nothing imported yet

}  // namespace bcma::station::dmd::errc
