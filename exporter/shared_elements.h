// SharedElements<T>: a vector whose elements are shared between its copies
// and copied one by one on first write (docs/architecture.md, "Only counters
// changed"). A snapshot copied to update the local endpoints' counters
// shares the views it does not write with the snapshot it came from instead
// of copying them.
//
// Reads look like std::vector's. A write through a non-const operator[] or
// iterator to an element another copy also holds (or whose block another
// copy holds) copies that element first, so a write never shows in another
// copy. To update a few elements of a copy, read through the const accessors
// and write through Mutable(): a non-const loop over a copy copies every
// element it touches.
//
// The elements live in blocks, and the copies count their holders per block,
// not per element: a copy copies the list of element pointers and takes one
// reference to each block (a few, not one per element), and freeing it drops
// those few. An element is written in place when no other copy holds its
// block; otherwise it is copied into a block of this copy's own. A block that
// none of a copy's elements is in any more is let go by that copy, and its
// place in the copy's list is taken by the next block the copy makes. A block is
// held whole while any of its elements is in use: the poller writes all of a
// copy's local views each cycle, so the block of the cycle before empties and
// goes; a pattern that left one element behind in each block would keep them.
//
// Not for copies another thread may drop while this one is written: an
// element is written in place when no other copy holds its block, and the
// count is read without ordering against another thread's last use. The
// poller writes only snapshots it is building, copied from one it holds until
// they are done, so a block it shares never becomes its own mid-write.
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace winnet {

template <typename T>
class SharedElements {
  template <typename Owner, typename Ref>
  class Iter {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = Ref;
    using pointer = std::remove_reference_t<Ref>*;

    Iter() = default;
    Iter(Owner* owner, size_t i) : owner_(owner), i_(i) {}
    Ref operator*() const { return (*owner_)[i_]; }
    pointer operator->() const { return &(*owner_)[i_]; }
    Ref operator[](difference_type n) const { return (*owner_)[i_ + n]; }
    Iter& operator++() { return ++i_, *this; }
    Iter operator++(int) { return Iter(owner_, i_++); }
    Iter& operator--() { return --i_, *this; }
    Iter operator--(int) { return Iter(owner_, i_--); }
    Iter& operator+=(difference_type n) { return i_ += n, *this; }
    Iter& operator-=(difference_type n) { return i_ -= n, *this; }
    Iter operator+(difference_type n) const { return Iter(owner_, i_ + n); }
    friend Iter operator+(difference_type n, const Iter& it) { return it + n; }
    Iter operator-(difference_type n) const { return Iter(owner_, i_ - n); }
    difference_type operator-(const Iter& o) const {
      return static_cast<difference_type>(i_) - static_cast<difference_type>(o.i_);
    }
    bool operator==(const Iter& o) const { return i_ == o.i_; }
    auto operator<=>(const Iter& o) const { return i_ <=> o.i_; }

   private:
    Owner* owner_ = nullptr;
    size_t i_ = 0;
  };

 public:
  using value_type = T;
  using size_type = size_t;
  using iterator = Iter<SharedElements, T&>;
  using const_iterator = Iter<const SharedElements, const T&>;

  SharedElements() = default;
  SharedElements(std::initializer_list<T> items) {
    reserve(items.size());
    for (const T& t : items) push_back(t);
  }
  SharedElements(std::vector<T> items) {  // NOLINT: converts like a vector's assignment
    reserve(items.size());
    for (T& t : items) push_back(std::move(t));
  }
  // A copy shares every block. Neither side appends to a block the other
  // holds: Append makes a block of its own while its open one is shared.
  SharedElements(const SharedElements&) = default;
  SharedElements& operator=(const SharedElements&) = default;
  SharedElements(SharedElements&& other) noexcept { *this = std::move(other); }
  SharedElements& operator=(SharedElements&& other) noexcept {
    items_ = std::exchange(other.items_, {});
    block_of_ = std::exchange(other.block_of_, {});
    blocks_ = std::exchange(other.blocks_, {});
    open_ = std::exchange(other.open_, kNone);
    reserve_hint_ = std::exchange(other.reserve_hint_, 0);
    return *this;
  }

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  // Room for n elements in all: the block appended to next holds the rest.
  void reserve(size_t n) {
    items_.reserve(n);
    block_of_.reserve(n);
    reserve_hint_ = n > items_.size() ? n - items_.size() : 0;
  }

  const T& operator[](size_t i) const { return *items_[i]; }
  T& operator[](size_t i) { return Mutable(i); }
  // Element i, copied first when its block is shared with another copy.
  T& Mutable(size_t i) {
    if (blocks_[block_of_[i]].block.use_count() == 1) return *items_[i];
    // Made before anything changes: a throw leaves this copy as it was.
    T* copy = &Append(T(*items_[i]));
    ForgetUse(block_of_[i]);
    items_[i] = copy;
    block_of_[i] = open_;
    return *copy;
  }

  void push_back(T t) { emplace_back(std::move(t)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    // The places first: a throw after them takes them back, so the three
    // lists never disagree.
    items_.push_back(nullptr);
    block_of_.push_back(kNone);
    try {
      items_.back() = &Append(T(std::forward<Args>(args)...));
    } catch (...) {
      items_.pop_back();
      block_of_.pop_back();
      throw;
    }
    block_of_.back() = open_;
    return *items_.back();
  }

  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, items_.size()); }
  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, items_.size()); }
  // How many elements of this copy are in a block another copy holds (tests).
  size_t shared_count() const {
    size_t n = 0;
    for (uint32_t b : block_of_) n += blocks_[b].block.use_count() > 1 ? 1 : 0;
    return n;
  }
  // How many blocks this copy holds, and how many places it keeps for
  // blocks, held or let go (tests).
  size_t block_count() const {
    return static_cast<size_t>(
        std::count_if(blocks_.begin(), blocks_.end(), [](const Use& u) { return u.block; }));
  }
  size_t block_places() const { return blocks_.size(); }

 private:
  // Elements in chunks whose capacity is fixed when they are made: appending
  // never moves an element, so the pointers to them stay valid.
  struct Block {
    std::vector<std::vector<T>> chunks;
  };
  // A block, and how many of this copy's elements are in it.
  struct Use {
    std::shared_ptr<Block> block;
    size_t elements = 0;
  };
  static constexpr size_t kChunk = 64;
  static constexpr uint32_t kNone = UINT32_MAX;

  // Moves t into the block this copy appends to; the block is made first
  // when there is none, or when another copy shares it. Its place is one
  // a let-go block left, if any, so a copy written again and again keeps a
  // few places. open_ changes only once the block is in place.
  T& Append(T&& t) {
    if (open_ == kNone || blocks_[open_].block.use_count() != 1) {
      Use fresh{std::make_shared<Block>(), 0};
      auto free =
          std::find_if(blocks_.begin(), blocks_.end(), [](const Use& u) { return !u.block; });
      if (free == blocks_.end())
        free = blocks_.insert(free, std::move(fresh));
      else
        *free = std::move(fresh);
      open_ = static_cast<uint32_t>(free - blocks_.begin());
    }
    Use& use = blocks_[open_];
    auto& chunks = use.block->chunks;
    if (chunks.empty() || chunks.back().size() == chunks.back().capacity()) {
      chunks.emplace_back().reserve(std::max(kChunk, reserve_hint_));
      reserve_hint_ = 0;
    }
    T& added = chunks.back().emplace_back(std::move(t));
    ++use.elements;
    return added;
  }
  // One element of block b is no longer this copy's: the block is let go
  // when it was the last. Its place stays, empty, for the next block made
  // here. (b is never open_ here: Mutable copies out of shared blocks only,
  // and Append has just made the open one this copy's own.)
  void ForgetUse(uint32_t b) {
    if (--blocks_[b].elements == 0) blocks_[b].block.reset();
  }
  std::vector<T*> items_;
  std::vector<uint32_t> block_of_;  // the place in blocks_ of each element's block
  std::vector<Use> blocks_;
  uint32_t open_ = kNone;    // the block appended to, in blocks_
  size_t reserve_hint_ = 0;  // the size of the next chunk, from reserve()
};

// SharedVector<T>: a vector shared whole between its copies, copied on the
// first write to a copy that is shared (the same rule as above). For the
// lists of a snapshot that a counter-only cycle never changes (the pools, the
// CNI endpoints, the unreferenced and stale remote endpoints): a copy of the
// snapshot shares them instead of copying thousands of strings. Reads look
// like a const std::vector's; writes go through Mutable() or push_back.
template <typename T>
class SharedVector {
 public:
  using value_type = T;
  using size_type = size_t;
  using const_iterator = typename std::vector<T>::const_iterator;
  using iterator = const_iterator;

  SharedVector() = default;
  SharedVector(std::vector<T> items)  // NOLINT: a vector converts, as for assignment
      : items_(std::make_shared<std::vector<T>>(std::move(items))) {}
  SharedVector(std::initializer_list<T> items) : SharedVector(std::vector<T>(items)) {}

  const std::vector<T>& get() const { return items_ ? *items_ : Empty(); }
  operator const std::vector<T>&() const { return get(); }  // NOLINT: reads as the vector
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  size_t size() const { return get().size(); }
  bool empty() const { return get().empty(); }
  const T& operator[](size_t i) const { return get()[i]; }
  bool operator==(const SharedVector& other) const { return get() == other.get(); }

  // The vector to write: copied first when another copy holds it.
  std::vector<T>& Mutable() {
    if (!items_) {
      items_ = std::make_shared<std::vector<T>>();
    } else if (items_.use_count() > 1) {
      items_ = std::make_shared<std::vector<T>>(*items_);
    }
    return *items_;
  }
  void push_back(T item) { Mutable().push_back(std::move(item)); }
  // True when `other` holds the same vector, not a copy (for tests).
  bool SharesWith(const SharedVector& other) const { return items_ && items_ == other.items_; }

 private:
  static const std::vector<T>& Empty() {
    static const std::vector<T> empty;
    return empty;
  }
  std::shared_ptr<std::vector<T>> items_;
};

}  // namespace winnet
