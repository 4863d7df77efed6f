// SharedElements (exporter/shared_elements.h): copies share their elements,
// and a write copies the element first, so it never shows in another copy.
#include "exporter/shared_elements.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

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

}  // namespace
}  // namespace winnet
