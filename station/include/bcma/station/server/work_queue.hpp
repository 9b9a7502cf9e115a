#pragma once
/// \file
/// One thread that owns the station's service and store (one SQLite connection, usable from
/// one thread at a time) and does two kinds of work for every connection:
///
/// - jobs (a sign-in, a wristband or item scan), run one at a time in arrival order;
/// - records (outcomes to store durably), written in batches by a BatchWriter: everything that
///   queued while the previous write was in progress, up to `batch_max`, in one durable
///   transaction. An idle queue waits at most `wait_max` for company before writing a lone
///   record, so that a ward of scanners shares fsyncs instead of queueing behind one each.
///
/// Jobs and batches interleave, so a long queue of records never starves a scan and the other
/// way round: a record waits at most `wait_max` plus one job.

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace bcma::station::server {

struct WorkQueueOptions {
  std::size_t batch_max = 64;                 ///< at least 1
  std::chrono::microseconds wait_max{2000};   ///< 0: never wait for more records
};

struct WorkQueueStats {
  std::uint64_t jobs = 0;
  std::uint64_t batches = 0;
  std::uint64_t records = 0;
  std::uint64_t largest_batch = 0;
  /// Batches by size: [0] one record, [1] two, [2] 3-4, [3] 5-8, ... [7] 65 and more.
  std::array<std::uint64_t, 8> batch_sizes{};
  std::uint64_t failures = 0;  ///< jobs or batches that threw (their replies were not sent)
};

template <class Record>
class WorkQueue {
 public:
  using Job = std::function<void()>;
  /// Writes one batch and answers each record. Runs on the queue's thread.
  using BatchWriter = std::function<void(std::vector<Record>& batch)>;

  WorkQueue(WorkQueueOptions options, BatchWriter writer)
      : options_(options), writer_(std::move(writer)) {
    options_.batch_max = std::max<std::size_t>(1, options_.batch_max);
    thread_ = std::thread([this] { run(); });
  }
  ~WorkQueue() { stop(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  /// Queues a job. False once stop() has been called (the job is not run).
  bool post(Job job) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return false;
      jobs_.push_back(std::move(job));
    }
    changed_.notify_one();
    return true;
  }

  /// Queues a record for the next batch. False once stop() has been called: then `record` is
  /// left untouched (not moved from), so that the caller can still answer it.
  bool submit(Record&& record) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return false;
      records_.push_back(Queued{std::move(record), Clock::now()});
    }
    changed_.notify_one();
    return true;
  }

  /// Refuses new work, finishes every job and record already queued, and joins the thread.
  /// Idempotent; must not be called from a job or the writer.
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  WorkQueueStats stats() const {
    const std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Queued {
    Record record;
    Clock::time_point queued_at;
  };

  static std::size_t bucket(std::size_t n) {
    std::size_t b = 0;
    for (std::size_t limit = 1; n > limit && b + 1 < 8; limit *= 2) ++b;
    return b;
  }

  void run() {
    std::unique_lock lock(mutex_);
    bool last_was_batch = false;
    for (;;) {
      changed_.wait(lock, [&] { return stopping_ || !jobs_.empty() || !records_.empty(); });
      if (jobs_.empty() && records_.empty()) break;  // stopping, and nothing left
      if (!records_.empty()) {
        const auto deadline = records_.front().queued_at + options_.wait_max;
        const bool due = stopping_ || records_.size() >= options_.batch_max ||
                         Clock::now() >= deadline;
        // Under a steady stream of records a batch is always due again by the time the last
        // one is written: alternate, so that a waiting scan runs between two batches.
        if (due && !(last_was_batch && !jobs_.empty())) {
          write_batch(lock);
          last_was_batch = true;
          continue;
        }
        if (jobs_.empty()) {
          changed_.wait_until(lock, deadline, [&] {
            return stopping_ || !jobs_.empty() || records_.size() >= options_.batch_max;
          });
          continue;
        }
      }
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      bool failed = false;
      try {
        job();
      } catch (const std::exception&) {
        failed = true;  // the job's Reply is destroyed unanswered; the queue carries on
      }
      lock.lock();
      last_was_batch = false;
      ++stats_.jobs;
      if (failed) ++stats_.failures;
    }
  }

  void write_batch(std::unique_lock<std::mutex>& lock) {
    std::vector<Record> batch;
    const std::size_t n = std::min(records_.size(), options_.batch_max);
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(records_.front().record));
      records_.pop_front();
    }
    lock.unlock();
    bool failed = false;
    try {
      writer_(batch);
    } catch (const std::exception&) {
      failed = true;
    }
    lock.lock();
    ++stats_.batches;
    stats_.records += n;
    stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, n);
    ++stats_.batch_sizes[bucket(n)];
    if (failed) ++stats_.failures;
  }

  WorkQueueOptions options_;
  BatchWriter writer_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  std::deque<Queued> records_;
  bool stopping_ = false;
  WorkQueueStats stats_;
  std::thread thread_;  // last: starts after everything above is constructed
};

}  // namespace bcma::station::server
