// Result<T>: a value or an error message. Errors name the file, the field and
// what was wrong; no exception crosses a module boundary.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace winnet {

struct Error {
  std::string message;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const std::string& error() const { return std::get<1>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

// Success, or an error message: what a step that returns no value gives.
template <>
class Result<void> {
 public:
  Result() = default;
  Result(Error error)
      : error_(std::move(error.message)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
  bool failed_ = false;
};

using Status = Result<void>;
inline Status Ok() { return Status(); }

inline Error MakeError(std::string message) { return Error{std::move(message)}; }

}  // namespace winnet
