#include "bcma/fw/outbox/outbox.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>

#include "bcma/fw/outbox/posix_storage.hpp"
#include "log_format.hpp"

namespace bcma::fw::outbox {

Outbox::Outbox(std::unique_ptr<Storage> storage, Options options)
    : storage_(std::move(storage)), options_(options) {}

Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::open(std::unique_ptr<Storage> storage, Options options) {
  if (!storage) return fail(Errc::invalid_argument, "Outbox::open needs a storage");
  if (options.max_payload_bytes > kMaxPayloadLimit) {
    // A larger frame would be written fine and then read back as damage.
    return fail(Errc::invalid_argument,
                "max_payload_bytes " + std::to_string(options.max_payload_bytes) +
                    " is above the format's limit of " + std::to_string(kMaxPayloadLimit));
  }
  std::unique_ptr<Outbox> box(new Outbox(std::move(storage), options));
  if (auto recovered = box->recover(); !recovered) return Unexpected(std::move(recovered).error());
  return box;
}

Result<std::unique_ptr<Outbox>> Outbox::open_directory(const std::filesystem::path& dir,
                                                       Options options) {
  auto storage = PosixStorage::open(dir);
  if (!storage) return Unexpected(std::move(storage).error());
  return open(std::move(*storage), options);
}

void Outbox::add_entry(const Uuid& id, std::uint64_t seq, Bytes payload) {
  const std::uint64_t frame_bytes = format::record_frame_size(payload.size());
  const std::uint64_t key = next_key_++;
  records_.emplace(key, Entry{id, seq, std::move(payload), frame_bytes});
  by_id_.emplace(id, key);
  live_bytes_ += frame_bytes;
}

Result<void> Outbox::recover() {
  const std::lock_guard lock(mutex_);
  const std::string log_path = storage_->describe(kLogName);
  auto content = storage_->read(kLogName);
  if (!content) return Unexpected(std::move(content).error());
  if (!content->has_value()) {
    const Bytes header = format::encode_header(0);
    if (auto created = storage_->replace(kLogName, header); !created) return created;
    log_bytes_ = live_bytes_ = header.size();
    recovery_.created = true;
    return {};
  }
  const Bytes& log = **content;

  // A newer firmware's log is left exactly as it is: rewriting it could destroy records.
  if (const auto first = format::decode_frame(log, 0);
      first && first->type == format::FrameType::header && first->version != format::kVersion) {
    return fail(Errc::unsupported_format,
                log_path + " has format version " + std::to_string(first->version) +
                    "; this firmware reads version " + std::to_string(format::kVersion));
  }

  format::Scan scan = format::scan(log);
  recovery_.corrupt = std::move(scan.corrupt);
  recovery_.torn_tail_bytes = scan.torn_tail_bytes;
  recovery_.missing_header = scan.frames.empty() || scan.frames.front().offset != 0 ||
                             scan.frames.front().type != format::FrameType::header;
  live_bytes_ = recovery_.missing_header ? 0 : format::kHeaderFrameSize;

  std::uint64_t last_seq = 0;
  for (const format::Frame& f : scan.frames) {
    switch (f.type) {
      case format::FrameType::header:
        if (f.offset == 0) {
          last_seq = std::max(last_seq, f.seq);
        } else {
          // Intact but out of place: nothing we write puts one there.
          recovery_.corrupt.push_back(CorruptRegion{f.offset, f.size});
        }
        break;
      case format::FrameType::record:
        last_seq = std::max(last_seq, f.seq);
        if (by_id_.contains(f.id)) {
          ++recovery_.duplicates;
        } else {
          add_entry(f.id, f.seq, Bytes(f.payload.begin(), f.payload.end()));
        }
        break;
      case format::FrameType::ack:
        for (const Uuid& id : f.acked) {
          const auto it = by_id_.find(id);
          if (it == by_id_.end()) continue;
          live_bytes_ -= records_.at(it->second).frame_bytes;
          records_.erase(it->second);
          by_id_.erase(it);
          ++recovery_.acknowledged;
        }
        break;
    }
  }
  std::sort(recovery_.corrupt.begin(), recovery_.corrupt.end(),
            [](const CorruptRegion& a, const CorruptRegion& b) { return a.offset < b.offset; });
  next_seq_ = last_seq + 1;
  log_bytes_ = log.size();

  const bool damaged = !recovery_.corrupt.empty() || (recovery_.missing_header && !log.empty());
  if (damaged) {
    // Keep the evidence before any rewrite: a technician may still read a record out of it.
    if (auto kept = quarantine(log); kept) {
      recovery_.quarantine = std::move(*kept);
    } else {
      unquarantined_damage_ = true;
    }
  }
  if (recovery_.torn_tail_bytes > 0) {
    // The unfinished append never returned, so nobody was told it was recorded: drop it, so
    // that the next append starts on a frame boundary.
    if (auto cut = storage_->truncate(kLogName, scan.valid_end); !cut) return cut;
    log_bytes_ = scan.valid_end;
  }
  // A rewrite drops the damage (already copied aside) and puts back a missing header.
  const bool rewrite = recovery_.missing_header || !recovery_.corrupt.empty();
  if ((rewrite && !unquarantined_damage_) || should_compact()) {
    // Failure here is not fatal: the log is valid as it stands and is reported again next time.
    if (compact_locked()) recovery_.compacted = true;
  }
  recovery_.pending = records_.size();
  return {};
}

Result<std::string> Outbox::quarantine(std::span<const std::uint8_t> log) {
  auto names = storage_->list();
  if (!names) return Unexpected(std::move(names).error());
  std::uint64_t highest = 0;
  for (const std::string& name : *names) {
    if (!name.starts_with(kQuarantinePrefix)) continue;
    const std::string_view digits = std::string_view(name).substr(kQuarantinePrefix.size());
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size()) highest = std::max(highest, n);
  }
  const std::string name = std::string(kQuarantinePrefix) + std::to_string(highest + 1);
  if (auto kept = storage_->replace(name, log); !kept) return Unexpected(std::move(kept).error());
  unquarantined_damage_ = false;
  return storage_->describe(name);
}

bool Outbox::should_compact() const {
  const std::uint64_t dead = log_bytes_ > live_bytes_ ? log_bytes_ - live_bytes_ : 0;
  return dead >= options_.compact_min_dead_bytes && dead > live_bytes_;
}

Result<void> Outbox::ensure_usable() const {
  if (failed_) return Unexpected(*failed_);
  return {};
}

Result<void> Outbox::append_frame(std::span<const std::uint8_t> frame) {
  auto appended = storage_->append(kLogName, frame);
  if (appended) {
    log_bytes_ += frame.size();
    return {};
  }
  // Part of the frame may be in the file. Cut it off, or the next frame would follow garbage
  // and read back as damage in the middle of the log.
  if (auto cut = storage_->truncate(kLogName, log_bytes_); !cut) {
    failed_ = OutboxError{Errc::failed,
                          "the outbox log's end is unknown after a failed write (" +
                              appended.error().message + "; then " + cut.error().message +
                              "): reopen the outbox",
                          cut.error().sys_errno, cut.error().path};
  }
  return appended;
}

Result<void> Outbox::append(const Uuid& id, std::span<const std::uint8_t> payload) {
  const std::lock_guard lock(mutex_);
  if (auto usable = ensure_usable(); !usable) return usable;
  if (id.is_nil()) return fail(Errc::invalid_argument, "a record id must not be the nil UUID");
  if (payload.size() > options_.max_payload_bytes) {
    return fail(Errc::payload_too_large,
                "record " + id.to_string() + " has " + std::to_string(payload.size()) +
                    " bytes; the outbox takes at most " +
                    std::to_string(options_.max_payload_bytes));
  }
  if (const auto it = by_id_.find(id); it != by_id_.end()) {
    const Bytes& existing = records_.at(it->second).payload;
    if (std::equal(existing.begin(), existing.end(), payload.begin(), payload.end())) return {};
    return fail(Errc::id_conflict, "record " + id.to_string() +
                                       " is already pending with a different payload");
  }
  const std::uint64_t seq = next_seq_;
  const Bytes frame = format::encode_record(seq, id, payload);
  if (auto written = append_frame(frame); !written) return written;
  ++next_seq_;
  add_entry(id, seq, Bytes(payload.begin(), payload.end()));
  return {};
}

Result<AckReport> Outbox::acknowledge(std::span<const Uuid> ids) {
  const std::lock_guard lock(mutex_);
  if (auto usable = ensure_usable(); !usable) return Unexpected(std::move(usable).error());
  if (ids.size() > kMaxAckBatch) {
    return fail(Errc::invalid_argument, std::to_string(ids.size()) +
                                            " ids in one acknowledgement; at most " +
                                            std::to_string(kMaxAckBatch));
  }
  AckReport report;
  std::vector<Uuid> known;
  std::set<Uuid> seen;
  for (const Uuid& id : ids) {
    if (by_id_.contains(id) && seen.insert(id).second) {
      known.push_back(id);
    } else {
      ++report.unknown;
    }
  }
  if (known.empty()) return report;

  // The marker goes to disk before memory forgets the records: a crash in between resends
  // them (harmless), never the reverse.
  const Bytes frame = format::encode_ack(known);
  if (auto written = append_frame(frame); !written) return Unexpected(std::move(written).error());
  for (const Uuid& id : known) {
    const auto it = by_id_.find(id);
    live_bytes_ -= records_.at(it->second).frame_bytes;
    records_.erase(it->second);
    by_id_.erase(it);
  }
  report.acknowledged = known.size();

  if (should_compact()) {
    if (auto compacted = compact_locked(); compacted) {
      report.compacted = true;
    } else {
      report.compaction_error = std::move(compacted).error();
    }
  }
  return report;
}

Result<void> Outbox::compact() {
  const std::lock_guard lock(mutex_);
  if (auto usable = ensure_usable(); !usable) return usable;
  return compact_locked();
}

Result<void> Outbox::compact_locked() {
  if (unquarantined_damage_) {
    // Damage found at open could not be copied aside then; it must be before it is dropped.
    auto current = storage_->read(kLogName);
    if (!current) return Unexpected(std::move(current).error());
    if (current->has_value()) {
      auto kept = quarantine(**current);
      if (!kept) return Unexpected(std::move(kept).error());
      late_quarantine_ = std::move(*kept);
    }
  }
  Bytes image = format::encode_header(next_seq_ - 1);
  for (const auto& [key, entry] : records_) {
    const Bytes frame = format::encode_record(entry.seq, entry.id, entry.payload);
    image.insert(image.end(), frame.begin(), frame.end());
  }
  auto replaced = storage_->replace(kLogName, image);
  if (!replaced) {
    // The replacement is atomic, but the error does not say whether the rename happened (a
    // failed directory fsync comes after it). Either file holds the same pending records;
    // only the size the next truncation would use differs, so find out which one is there.
    auto now = storage_->read(kLogName);
    if (now && now->has_value() && **now == image) {
      log_bytes_ = image.size();
    } else if (!now || !now->has_value() || (*now)->size() != log_bytes_) {
      failed_ = OutboxError{Errc::failed,
                            "the outbox log is in an unknown state after a failed compaction (" +
                                replaced.error().message + "): reopen the outbox",
                            replaced.error().sys_errno, replaced.error().path};
    }
    return replaced;
  }
  log_bytes_ = image.size();
  live_bytes_ = image.size();
  ++compactions_;
  return {};
}

std::vector<PendingRecord> Outbox::pending(std::size_t limit) const {
  const std::lock_guard lock(mutex_);
  std::vector<PendingRecord> out;
  out.reserve(std::min(limit, records_.size()));
  for (const auto& [key, entry] : records_) {
    if (out.size() >= limit) break;
    out.push_back(PendingRecord{entry.id, entry.seq, entry.payload});
  }
  return out;
}

std::optional<PendingRecord> Outbox::find(const Uuid& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  const Entry& entry = records_.at(it->second);
  return PendingRecord{entry.id, entry.seq, entry.payload};
}

std::size_t Outbox::size() const {
  const std::lock_guard lock(mutex_);
  return records_.size();
}

Stats Outbox::stats() const {
  const std::lock_guard lock(mutex_);
  return Stats{records_.size(), log_bytes_, live_bytes_, next_seq_, compactions_,
               late_quarantine_};
}

}  // namespace bcma::fw::outbox
