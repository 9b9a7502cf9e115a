#pragma once
/// \file
/// The scanner's persistent outbox. Every outcome a care worker records is appended here, and
/// made durable, before the screen says "recorded"; it stays until the station acknowledges its
/// id. It survives power loss at any moment: after a restart every record whose `append`
/// returned is pending exactly once (unless acknowledged), a torn last write is discarded and a
/// damaged record in the middle is reported, never delivered. Format and crash-safety argument:
/// docs/outbox.md.
///
/// Delivery is at least once: a record whose acknowledgement was not yet durable when the power
/// went comes back after a restart and is sent again; the station deduplicates by id.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "bcma/fw/outbox/error.hpp"
#include "bcma/fw/outbox/storage.hpp"
#include "bcma/fw/outbox/uuid.hpp"

namespace bcma::fw::outbox {

struct Options {
  /// Larger payloads are refused (`payload_too_large`); a record outcome is a few hundred bytes.
  /// At most `Outbox::kMaxPayloadLimit`.
  std::size_t max_payload_bytes = 64 * 1024;
  /// Compaction runs once at least this many bytes of the log are acknowledged records (and
  /// their markers) and they outnumber the bytes of pending ones: the log stays within about
  /// twice the pending data plus this much.
  std::uint64_t compact_min_dead_bytes = 32 * 1024;
};

/// A record waiting for the station's acknowledgement.
struct PendingRecord {
  Uuid id;
  std::uint64_t seq = 0;  ///< position in append order, strictly increasing, never reused
  Bytes payload;

  friend bool operator==(const PendingRecord&, const PendingRecord&) = default;
};

/// A stretch of the log that failed its checksum (or made no sense) with valid records after
/// it: real damage, not an interrupted write. Whatever record it held is not delivered.
struct CorruptRegion {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;

  friend bool operator==(const CorruptRegion&, const CorruptRegion&) = default;
};

/// What `open` found. Anything but `clean()` deserves a log line; `corrupt` non-empty means
/// records may have been lost and a person must be told (the station's view of the round will
/// lack them).
struct RecoveryReport {
  bool created = false;                 ///< there was no log: a new, empty outbox
  std::size_t pending = 0;              ///< records pending after recovery
  std::size_t acknowledged = 0;         ///< records in the log already acknowledged
  std::uint64_t torn_tail_bytes = 0;    ///< bytes of an unfinished last write, removed
  std::vector<CorruptRegion> corrupt;   ///< damaged stretches between valid records
  std::size_t duplicates = 0;           ///< repeated record frames for a pending id, ignored
  bool missing_header = false;          ///< the header frame was damaged or absent
  std::string quarantine;               ///< when corrupt: the copy of the damaged log kept aside
  bool compacted = false;               ///< the log was rewritten during recovery

  bool clean() const { return torn_tail_bytes == 0 && corrupt.empty() && duplicates == 0 &&
                              !missing_header; }
};

/// What an acknowledgement did.
struct AckReport {
  std::size_t acknowledged = 0;  ///< ids that were pending and now are not
  std::size_t unknown = 0;       ///< ids not pending (already acknowledged, or never here)
  bool compacted = false;        ///< the log was compacted afterwards
  /// Compaction is opportunistic: if it failed, the acknowledgement still stands (it was
  /// durable first) and the log is unchanged; this says why, and the next one retries.
  std::optional<OutboxError> compaction_error;
};

/// Sizes, for diagnostics and the heartbeat's pending count.
struct Stats {
  std::size_t pending = 0;
  std::uint64_t log_bytes = 0;   ///< size of the log file
  std::uint64_t live_bytes = 0;  ///< the header plus the frames of pending records
  std::uint64_t next_seq = 0;
  std::size_t compactions = 0;   ///< since open
  /// Set when damage found at open could only be copied aside later (the first attempt
  /// failed, e.g. storage full): where the copy is. Otherwise see `RecoveryReport::quarantine`.
  std::string late_quarantine;
};

/// Thread-safe: every method takes an internal lock, so the UI (appending) and the network
/// task (acknowledging) can share one instance. One process per outbox directory
/// (`PosixStorage` enforces it with a lock).
class Outbox {
 public:
  /// The log file's name in the storage.
  static constexpr std::string_view kLogName = "outbox.log";
  /// Prefix of the copies of a damaged log kept aside by recovery (`<prefix><n>`).
  static constexpr std::string_view kQuarantinePrefix = "outbox.damaged.";
  /// The largest `Options::max_payload_bytes` allowed: a frame the format can read back.
  static constexpr std::size_t kMaxPayloadLimit = 16 * 1024 * 1024 - 28;
  /// The most ids one `acknowledge` call takes (they go into one frame).
  static constexpr std::size_t kMaxAckBatch = 65536;

  /// Opens the outbox in `storage`, recovering from whatever a crash left: see
  /// `RecoveryReport`. A torn tail is truncated away; a damaged log is copied aside
  /// (`kQuarantinePrefix`) and rewritten without the damage.
  /// Errors: `invalid_argument` (no storage, or `max_payload_bytes` above `kMaxPayloadLimit`),
  /// `unsupported_format` (a newer version's log: left untouched), `storage_full`, `io`.
  static Result<std::unique_ptr<Outbox>> open(std::unique_ptr<Storage> storage,
                                              Options options = {});

  /// `open` on a `PosixStorage` of `dir`. Errors: as `open`, and `locked`.
  static Result<std::unique_ptr<Outbox>> open_directory(const std::filesystem::path& dir,
                                                        Options options = {});

  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;
  ~Outbox();

  /// Adds a record and makes it durable before returning: only then may the screen say
  /// "recorded". Appending an id that is pending with the same payload is a no-op success (a
  /// retry). After an error the record is not pending; retry with the SAME id and payload
  /// (after `failed`, reopen first): in rare cases (a failed fsync) the record may still
  /// surface after a restart, and a new id would then give the station two records.
  /// Errors: `invalid_argument` (nil id), `payload_too_large`, `id_conflict` (pending with a
  /// different payload), `storage_full`, `io`, `failed`.
  Result<void> append(const Uuid& id, std::span<const std::uint8_t> payload);

  /// Removes the records with these ids, durably (one write for all of them), then compacts if
  /// the log is mostly acknowledged. Unknown ids are counted, not errors: the station may
  /// acknowledge a repeat after the first acknowledgement was processed.
  /// Errors: `invalid_argument` (more than `kMaxAckBatch` ids), `storage_full`, `io`, `failed`
  /// (on any error nothing was acknowledged in memory; the
  /// acknowledgement may or may not have reached the disk, which is harmless either way).
  Result<AckReport> acknowledge(std::span<const Uuid> ids);
  Result<AckReport> acknowledge(const Uuid& id) { return acknowledge(std::span(&id, 1)); }

  /// Pending records in append order; at most `limit` of them (the oldest first).
  std::vector<PendingRecord> pending(std::size_t limit = SIZE_MAX) const;
  /// The pending record with this id, if any.
  std::optional<PendingRecord> find(const Uuid& id) const;
  /// Number of pending records.
  std::size_t size() const;

  /// Rewrites the log with only the pending records, atomically. Errors: `storage_full`,
  /// `io` (the old log stays in place), `failed`.
  Result<void> compact();

  const RecoveryReport& recovery() const { return recovery_; }
  Stats stats() const;

 private:
  struct Entry {
    Uuid id;
    std::uint64_t seq = 0;
    Bytes payload;
    std::uint64_t frame_bytes = 0;
  };

  Outbox(std::unique_ptr<Storage> storage, Options options);

  Result<void> recover();
  void add_entry(const Uuid& id, std::uint64_t seq, Bytes payload);
  Result<void> append_frame(std::span<const std::uint8_t> frame);
  Result<void> compact_locked();
  Result<std::string> quarantine(std::span<const std::uint8_t> log);
  bool should_compact() const;
  Result<void> ensure_usable() const;

  std::unique_ptr<Storage> storage_;
  Options options_;
  RecoveryReport recovery_;

  mutable std::mutex mutex_;
  // Keyed by position in the log (file order), which is append order; a record's seq is its
  // own number, normally the same order, but recovery trusts the file order over it.
  std::map<std::uint64_t, Entry> records_;
  std::unordered_map<Uuid, std::uint64_t> by_id_;      // id -> key in records_
  std::uint64_t next_key_ = 0;
  std::uint64_t next_seq_ = 1;
  std::uint64_t log_bytes_ = 0;    // bytes of the log known to be valid and durable
  std::uint64_t live_bytes_ = 0;
  std::size_t compactions_ = 0;
  std::optional<OutboxError> failed_;  // set when the log's state on disk is unknown
  bool unquarantined_damage_ = false;  // the log holds damage not yet copied aside
  std::string late_quarantine_;
};

}  // namespace bcma::fw::outbox
