// The station's work queue: jobs in order, records in batches, and a stop that finishes what
// was accepted and refuses the rest.
#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "bcma/station/server/work_queue.hpp"

namespace bcma::station::server {
namespace {

using namespace std::chrono_literals;

struct Recorder {
  std::mutex mutex;
  std::vector<std::vector<int>> batches;
  std::vector<std::string> order;  ///< "job:N" / "batch:N"
};

TEST(WorkQueue, JobsRunInArrivalOrder) {
  Recorder rec;
  WorkQueue<int> q({}, [&](std::vector<int>&) {});
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(q.post([&, i] {
      const std::lock_guard lock(rec.mutex);
      rec.order.push_back("job:" + std::to_string(i));
    }));
  }
  q.stop();
  ASSERT_EQ(rec.order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(rec.order[static_cast<std::size_t>(i)], "job:" + std::to_string(i));
  EXPECT_EQ(q.stats().jobs, 50u);
}

TEST(WorkQueue, RecordsThatQueueDuringAWriteShareTheNextBatch) {
  Recorder rec;
  std::promise<void> first_started;
  std::promise<void> release_first;
  auto release = release_first.get_future().share();
  bool first = true;
  WorkQueue<int> q({.batch_max = 64, .wait_max = 0us}, [&](std::vector<int>& batch) {
    if (first) {
      first = false;
      first_started.set_value();
      release.wait();  // a slow fsync
    }
    const std::lock_guard lock(rec.mutex);
    rec.batches.push_back(batch);
  });
  int one = 1;
  ASSERT_TRUE(q.submit(std::move(one)));
  first_started.get_future().wait();
  for (int i = 2; i <= 11; ++i) {
    int v = i;
    ASSERT_TRUE(q.submit(std::move(v)));
  }
  release_first.set_value();
  q.stop();
  ASSERT_EQ(rec.batches.size(), 2u);
  EXPECT_EQ(rec.batches[0], std::vector<int>{1});
  EXPECT_EQ(rec.batches[1], (std::vector<int>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  const auto s = q.stats();
  EXPECT_EQ(s.batches, 2u);
  EXPECT_EQ(s.records, 11u);
  EXPECT_EQ(s.largest_batch, 10u);
  EXPECT_EQ(s.batch_sizes[0], 1u);  // one record
  EXPECT_EQ(s.batch_sizes[4], 1u);  // 9-16 records
}

TEST(WorkQueue, BatchesNeverExceedTheMaximum) {
  Recorder rec;
  std::promise<void> go;
  auto gate = go.get_future().share();
  WorkQueue<int> q({.batch_max = 4, .wait_max = 0us}, [&](std::vector<int>& batch) {
    gate.wait();
    const std::lock_guard lock(rec.mutex);
    rec.batches.push_back(batch);
  });
  for (int i = 0; i < 10; ++i) {
    int v = i;
    ASSERT_TRUE(q.submit(std::move(v)));
  }
  go.set_value();
  q.stop();
  std::vector<int> all;
  for (const auto& b : rec.batches) {
    EXPECT_LE(b.size(), 4u);
    all.insert(all.end(), b.begin(), b.end());
  }
  EXPECT_EQ(all, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})) << "every record once, in order";
}

TEST(WorkQueue, ALoneRecordWaitsForCompanyOnlyUpToTheMaximumWait) {
  // A generous wait collects records that arrive shortly after one another into one batch;
  // the lone first record is still written (the wait is bounded) once nobody else comes.
  Recorder rec;
  WorkQueue<int> q({.batch_max = 64, .wait_max = 2s}, [&](std::vector<int>& batch) {
    const std::lock_guard lock(rec.mutex);
    rec.batches.push_back(batch);
  });
  for (int i = 0; i < 3; ++i) {
    int v = i;
    ASSERT_TRUE(q.submit(std::move(v)));
  }
  for (int waited = 0; waited < 200; ++waited) {
    {
      const std::lock_guard lock(rec.mutex);
      if (!rec.batches.empty()) break;
    }
    std::this_thread::sleep_for(50ms);
  }
  const std::lock_guard lock(rec.mutex);
  ASSERT_EQ(rec.batches.size(), 1u);
  EXPECT_EQ(rec.batches[0], (std::vector<int>{0, 1, 2}));
}

TEST(WorkQueue, StopFinishesAcceptedWorkAndRefusesNewWork) {
  std::atomic<int> written{0};
  std::atomic<int> jobs{0};
  auto q = std::make_unique<WorkQueue<int>>(WorkQueueOptions{.batch_max = 8, .wait_max = 1s},
                                            [&](std::vector<int>& batch) {
                                              written += static_cast<int>(batch.size());
                                            });
  for (int i = 0; i < 20; ++i) {
    int v = i;
    ASSERT_TRUE(q->submit(std::move(v)));
    ASSERT_TRUE(q->post([&] { ++jobs; }));
  }
  q->stop();  // does not wait out the 1 s: stopping writes at once
  EXPECT_EQ(written.load(), 20);
  EXPECT_EQ(jobs.load(), 20);
  EXPECT_FALSE(q->post([&] { ++jobs; }));
  std::string late = "still mine";
  WorkQueue<std::string> strings({}, [](std::vector<std::string>&) {});
  strings.stop();
  EXPECT_FALSE(strings.submit(std::move(late)));
  EXPECT_EQ(late, "still mine") << "a refused record is left to the caller to answer";
}

TEST(WorkQueue, AStreamOfRecordsDoesNotStarveJobs) {
  // Records arrive faster than they are written, so a batch is always due; a scan queued in
  // the middle of the stream must still run while the stream goes on.
  std::atomic<bool> producer_done{false};
  std::atomic<int> job_saw{-1};  // 1: ran while records were still arriving, 0: only after
  WorkQueue<int> q({.batch_max = 2, .wait_max = 0us},
                   [&](std::vector<int>&) { std::this_thread::sleep_for(2ms); });
  std::thread producer([&] {
    for (int i = 0; i < 5000; ++i) {
      int v = i;
      if (!q.submit(std::move(v))) break;
      std::this_thread::sleep_for(200us);
    }
    producer_done = true;
  });
  std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(q.post([&] { job_saw = producer_done ? 0 : 1; }));
  producer.join();
  q.stop();
  EXPECT_EQ(job_saw.load(), 1) << "the job waited for the whole stream of records";
}

TEST(WorkQueue, AThrowingJobDoesNotStopTheQueue) {
  std::atomic<int> ran{0};
  WorkQueue<int> q({}, [](std::vector<int>&) {});
  ASSERT_TRUE(q.post([] { throw std::runtime_error("boom"); }));
  ASSERT_TRUE(q.post([&] { ++ran; }));
  q.stop();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(q.stats().failures, 1u);
}

}  // namespace
}  // namespace bcma::station::server
