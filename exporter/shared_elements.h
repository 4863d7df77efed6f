// SharedElements<T>: a vector whose elements are shared between its copies
// and copied one by one on first write (docs/architecture.md, "Only counters
// changed"). A snapshot copied to update the 250 local endpoints' counters
// shares the 5,000 remote endpoints' views with the snapshot it came from
// instead of copying them.
//
// Reads look like std::vector's. A write through a non-const operator[] or
// iterator to an element another copy also holds copies that element
// first, so a write never shows in another copy. To update a few elements of a
// copy, read through the const accessors and write through Mutable(): a
// non-const loop over a copy copies every element it touches.
//
// Not for copies another thread may drop while this one is written: an
// element is written in place when no other copy holds it, and the count is
// read without ordering against another thread's last use. The poller writes
// only snapshots it is building, copied from one it holds until they are
// done, so an element it shares never becomes its own mid-write.
#pragma once

#include <compare>
#include <cstddef>
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
    for (const T& t : items) push_back(t);
  }
  SharedElements(std::vector<T> items) {  // NOLINT: converts like a vector's assignment
    reserve(items.size());
    for (T& t : items) push_back(std::move(t));
  }

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void reserve(size_t n) { items_.reserve(n); }

  const T& operator[](size_t i) const { return *items_[i]; }
  T& operator[](size_t i) { return Mutable(i); }
  // Element i, copied first when another copy of the vector shares it.
  T& Mutable(size_t i) {
    std::shared_ptr<T>& item = items_[i];
    if (item.use_count() != 1) item = std::make_shared<T>(*item);
    return *item;
  }

  void push_back(T t) { emplace_back(std::move(t)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    items_.push_back(std::make_shared<T>(std::forward<Args>(args)...));
    return *items_.back();
  }

  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, items_.size()); }
  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, items_.size()); }
  // How many elements this copy shares with another (tests).
  size_t shared_count() const {
    size_t n = 0;
    for (const auto& item : items_) n += item.use_count() > 1 ? 1 : 0;
    return n;
  }

 private:
  std::vector<std::shared_ptr<T>> items_;
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
