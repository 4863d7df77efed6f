// SharedElements (exporter/shared_elements.h): copies share their elements,
// and a write copies the element first, so it never shows in another copy.
#include "exporter/shared_elements.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "exporter/snapshot.h"  // OutOfLine

namespace winnet {
namespace {

SharedElements<std::string> Three() { return std::vector<std::string>{"a", "b", "c"}; }

TEST(SharedElements, ACopySharesEveryElementUntilOneIsWritten) {
  SharedElements<std::string> first = Three();
  EXPECT_EQ(first.shared_count(), 0u);
  SharedElements<std::string> second = first;
  EXPECT_EQ(second.shared_count(), 3u);
  EXPECT_EQ(&std::as_const(first)[1], &std::as_const(second)[1]);
  second.Mutable(1) = "B";
  EXPECT_EQ(std::as_const(first)[1], "b");
  EXPECT_EQ(std::as_const(second)[1], "B");
  EXPECT_EQ(second.shared_count(), 2u);
  EXPECT_EQ(&std::as_const(first)[0], &std::as_const(second)[0]);
}

TEST(SharedElements, WritesThroughTheOriginalDoNotShowInTheCopy) {
  SharedElements<std::string> first = Three();
  const SharedElements<std::string> second = first;
  first[0] = "A";
  first[2] = "C";
  for (auto& s : first) s += "!";
  EXPECT_EQ(std::as_const(first)[0], "A!");
  EXPECT_EQ(std::as_const(first)[2], "C!");
  EXPECT_EQ(second[0], "a");
  EXPECT_EQ(second[1], "b");
  EXPECT_EQ(second[2], "c");
}

TEST(SharedElements, ReadsLikeAVector) {
  SharedElements<std::string> v;
  EXPECT_TRUE(v.empty());
  v.push_back("x");
  v.emplace_back(3, 'y');
  v.emplace_back("z");
  ASSERT_EQ(v.size(), 3u);
  const auto& c = v;
  EXPECT_EQ(c.end() - c.begin(), 3);
  auto it = std::find(c.begin(), c.end(), "yyy");
  ASSERT_NE(it, c.end());
  EXPECT_EQ(it - c.begin(), 1);
  EXPECT_EQ(it->size(), 3u);
  EXPECT_EQ(c.begin()[2], "z");
  std::sort(v.begin(), v.end(), std::greater<>());
  EXPECT_EQ(c[0], "z");
  EXPECT_EQ(c[2], "x");
}

// The poller's counter-only cycle, again and again: each snapshot is a copy
// of the last with a few elements written. The blocks of elements no copy
// uses any more are let go, so a long run holds two blocks, not one per
// cycle, and a copy takes a reference per block, not per element.
TEST(SharedElements, RepeatedCopiesWithAFewWritesHoldTwoBlocks) {
  SharedElements<std::string> base;
  base.reserve(100);
  for (int i = 0; i < 100; ++i) base.push_back("e" + std::to_string(i));
  ASSERT_EQ(base.block_count(), 1u);
  SharedElements<std::string> last = base;
  for (int cycle = 0; cycle < 50; ++cycle) {
    SharedElements<std::string> next = last;
    for (size_t i : {3, 40, 97}) next.Mutable(i) = "c" + std::to_string(cycle);
    last = std::move(next);
    ASSERT_LE(last.block_count(), 2u) << "cycle " << cycle;
    ASSERT_LE(last.block_places(), 3u) << "cycle " << cycle;
  }
  SharedElements<std::string> copy = last;
  EXPECT_EQ(copy.block_count(), 2u);
  EXPECT_EQ(std::as_const(copy)[40], "c49");
  EXPECT_EQ(std::as_const(copy)[41], "e41");
  EXPECT_EQ(&std::as_const(copy)[41], &std::as_const(base)[41]);
  EXPECT_EQ(std::as_const(base)[40], "e40");
}

// Appending never moves an element: pointers taken before stay valid, also
// past the reserved size and after a copy made the block shared.
TEST(SharedElements, AppendingKeepsEveryElementInPlace) {
  SharedElements<std::string> v;
  v.reserve(2);
  std::vector<const std::string*> places;
  for (int i = 0; i < 300; ++i) {
    places.push_back(&v.emplace_back("long enough to be on the heap " + std::to_string(i)));
    if (i == 150) {
      SharedElements<std::string> copy = v;
      EXPECT_EQ(&std::as_const(copy)[150], places[150]);
    }
  }
  for (size_t i = 0; i < places.size(); ++i) {
    ASSERT_EQ(&std::as_const(v)[i], places[i]) << i;
    ASSERT_EQ(*places[i], "long enough to be on the heap " + std::to_string(i)) << i;
  }
}

// What only this copy holds is written where it is; the original, written
// again after each copy it gave out, keeps a few places for blocks.
TEST(SharedElements, AnUnsharedElementIsWrittenInPlaceAndPlacesAreReused) {
  SharedElements<std::string> v = Three();
  const std::string* before = &std::as_const(v)[1];
  v.Mutable(1) = "B";
  EXPECT_EQ(&std::as_const(v)[1], before);
  for (int i = 0; i < 50; ++i) {
    SharedElements<std::string> published = v;
    v.Mutable(0) = "a" + std::to_string(i);
    EXPECT_EQ(std::as_const(published)[0], i == 0 ? "a" : "a" + std::to_string(i - 1));
    ASSERT_LE(v.block_places(), 3u) << "round " << i;
  }
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(std::as_const(v)[0], "a49");
  EXPECT_EQ(std::as_const(v)[1], "B");
}

TEST(SharedElements, AssignedCopiesShareAndSelfAssignmentKeepsAll) {
  SharedElements<std::string> first = Three();
  SharedElements<std::string> second;
  second.push_back("old");
  second = first;
  EXPECT_EQ(second.size(), 3u);
  EXPECT_EQ(&std::as_const(second)[2], &std::as_const(first)[2]);
  auto& same = second;
  second = same;
  second = std::move(same);
  EXPECT_EQ(second.size(), 3u);
  EXPECT_EQ(std::as_const(second)[0], "a");
  second.Mutable(0) = "A";
  EXPECT_EQ(std::as_const(first)[0], "a");
}

TEST(SharedElements, AMovedFromVectorIsEmptyAndUsable) {
  SharedElements<std::string> first = Three();
  SharedElements<std::string> second = std::move(first);
  EXPECT_EQ(second.size(), 3u);
  EXPECT_TRUE(first.empty());  // NOLINT: read after move on purpose
  first.push_back("d");
  EXPECT_EQ(std::as_const(first)[0], "d");
  EXPECT_EQ(std::as_const(second)[2], "c");
}

// SharedVector: a copy shares the whole vector until either side writes.
TEST(SharedVector, ACopySharesTheVectorUntilEitherSideWrites) {
  SharedVector<std::string> first = std::vector<std::string>{"a", "b"};
  SharedVector<std::string> second = first;
  EXPECT_TRUE(second.SharesWith(first));
  EXPECT_EQ(&first[0], &second[0]);
  second.push_back("c");
  EXPECT_FALSE(second.SharesWith(first));
  EXPECT_EQ(first.get(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(second.get(), (std::vector<std::string>{"a", "b", "c"}));
  SharedVector<std::string> third = first;
  first.Mutable()[0] = "A";
  EXPECT_EQ(third[0], "a");
  EXPECT_EQ(first[0], "A");
}

TEST(SharedVector, AnEmptyOneReadsAsAnEmptyVector) {
  SharedVector<int> none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.begin(), none.end());
  EXPECT_FALSE(none.SharesWith(SharedVector<int>{}));
  none.push_back(7);
  EXPECT_EQ(none.size(), 1u);
  EXPECT_EQ(none, (SharedVector<int>{7}));
}

TEST(OutOfLine, IsAPointerWhileEmptyAndCopiesItsValue) {
  static_assert(sizeof(OutOfLine<HnsEndpointStats>) == sizeof(void*));
  OutOfLine<HnsEndpointStats> stats;
  EXPECT_FALSE(stats.has_value());
  stats = HnsEndpointStats{};
  stats->bytes_received = 7;
  OutOfLine<HnsEndpointStats> copy = stats;
  stats->bytes_received = 8;  // the copy has its own value
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->bytes_received, 7u);
  copy.reset();
  EXPECT_FALSE(copy);
  copy = stats;
  EXPECT_EQ((*copy).bytes_received, 8u);
  stats.reset();
  EXPECT_TRUE(copy && !stats);
}

}  // namespace
}  // namespace winnet
